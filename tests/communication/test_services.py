"""The writes of « Mes messages »: notify one or several users, mark read, purge old read messages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from communication import evenements
from communication.enums import CategorieNotification
from communication.models import Notification
from communication.services import (
    CONSERVATION_LUES,
    notification_marquer_lue,
    notifier,
    notifier_evenement,
    notifier_plusieurs,
    toutes_marquer_lues,
)
from communication.tasks import purger_notifications_lues
from tests.communication.conftest import message
from tests.factories import StructureFactory

pytestmark = pytest.mark.django_db


def test_notifier_cree_un_message_non_lu(camille):
    n = notifier(
        destinataire=camille,
        titre="  Facture   F-1 rejetée ",
        texte="Motif : doublon.",
        lien="/factures/emises/1/",
        categorie=CategorieNotification.FACTURE,
    )
    n.refresh_from_db()
    assert (n.destinataire, n.titre, n.texte, n.lien, n.lue_le) == (
        camille,
        "Facture F-1 rejetée",
        "Motif : doublon.",
        "/factures/emises/1/",
        None,
    )
    assert not n.est_lue


@pytest.mark.parametrize(
    "lien",
    ["https://ailleurs.example/x", "//ailleurs.example/x", "/\\ailleurs.example", "javascript:alert(1)", "factures/1"],
)
def test_un_lien_hors_du_portail_est_refuse(camille, lien):
    with pytest.raises(ValueError, match="chemin du portail"):
        message(camille, lien=lien)
    assert not Notification.objects.exists()


def test_titre_et_categorie_obligatoires(camille):
    with pytest.raises(ValueError, match="titre"):
        message(camille, titre="   ")
    with pytest.raises(ValueError, match="Catégorie"):
        message(camille, categorie="INCONNUE")


def test_notifier_plusieurs_en_une_requete_et_sans_doublon(camille, intrus, django_assert_max_num_queries):
    with django_assert_max_num_queries(3) as requetes:  # the INSERT, within a savepoint
        lignes = notifier_plusieurs(
            destinataires=[camille, intrus, camille], titre="Relance", lien="/", categorie="TRAVAUX"
        )
    assert [q["sql"].split()[0] for q in requetes.captured_queries].count("INSERT") == 1
    assert len(lignes) == 2
    assert sorted(Notification.objects.values_list("destinataire_id", flat=True)) == sorted([camille.pk, intrus.pk])


def test_marquer_lue_une_fois(camille):
    n = message(camille)
    notification_marquer_lue(notification=n, par=camille)
    premiere = Notification.objects.get(pk=n.pk).lue_le
    assert premiere is not None
    notification_marquer_lue(notification=Notification.objects.get(pk=n.pk), par=camille)
    assert Notification.objects.get(pk=n.pk).lue_le == premiere


def test_marquer_lue_le_message_d_un_autre_est_refuse(camille, intrus):
    n = message(camille)
    with pytest.raises(Notification.DoesNotExist):
        notification_marquer_lue(notification=n, par=intrus)
    assert Notification.objects.get(pk=n.pk).lue_le is None


def test_tout_marquer_lu_ne_touche_que_ses_messages(camille, intrus):
    message(camille)
    message(camille)
    deja = message(camille)
    notification_marquer_lue(notification=deja, par=camille)
    lue_le = Notification.objects.get(pk=deja.pk).lue_le
    autre = message(intrus)
    assert toutes_marquer_lues(par=camille) == 2
    assert not Notification.objects.filter(destinataire=camille, lue_le__isnull=True).exists()
    assert Notification.objects.get(pk=deja.pk).lue_le == lue_le
    assert Notification.objects.get(pk=autre.pk).lue_le is None


def test_la_tache_de_purge_supprime_les_vieux_messages_lus(camille):
    vieux_lu, vieux_non_lu, recent_lu = message(camille), message(camille), message(camille)
    for n in (vieux_lu, recent_lu):
        notification_marquer_lue(notification=n, par=camille)
    il_y_a = timezone.now() - CONSERVATION_LUES - timedelta(days=1)
    Notification.objects.filter(pk__in=[vieux_lu.pk, vieux_non_lu.pk]).update(cree_le=il_y_a)

    assert purger_notifications_lues() == 1  # the task itself, as beat runs it
    assert set(Notification.objects.values_list("pk", flat=True)) == {vieux_non_lu.pk, recent_lu.pk}
    assert purger_notifications_lues() == 0


def test_le_catalogue_suit_les_gabarits_de_courriel():
    """Each row names an existing mail gabarit, a known category, and templates that compile."""
    from django.template.loader import get_template

    lignes = evenements.catalogue()
    assert len(lignes) >= 17
    for gabarit, ligne in lignes.items():
        get_template(f"{gabarit}_subject.txt")
        assert ligne["categorie"] in CategorieNotification.values, gabarit
        for colonne in ("titre", "texte", "lien"):
            assert ligne[colonne], (gabarit, colonne)
            evenements._gabarit(ligne[colonne])


def test_notifier_evenement_rend_une_fois_pour_tous(camille, intrus):
    structure = StructureFactory(raison_sociale="Mairie d'Exemple & Cie")
    lignes = notifier_evenement(
        gabarit="organisation/email/rattachement_accepte",
        destinataires=[camille, intrus],
        contexte={"structure": structure, "rattachement": None},
    )
    assert [n.titre for n in lignes] == ["Rattachement à Mairie d'Exemple & Cie accepté"] * 2
    assert lignes[0].lien == f"/organisation/structures/{structure.pk}/"
    assert lignes[0].categorie == CategorieNotification.RATTACHEMENT
    assert notifier_evenement(gabarit="organisation/email/rattachement_accepte", destinataires=[], contexte={}) == []
