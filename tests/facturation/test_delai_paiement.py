"""The payment clock (délai global de paiement, due date, late-payment interest) and its structure setting."""

import html
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from chorus.exceptions import ApplicationError
from chorus.models import ModificationDifferee
from chorus.tasks import appliquer_modifications_en_retard
from facturation.delai_paiement import EtatDelai, echeance, horloge, taux_interets_moratoires
from facturation.models import Facture, FactureHistorique
from facturation.workflow import FACTURE_WORKFLOW
from organisation.enums import Application, Niveau, StatutStructure
from organisation.models import Structure
from organisation.services.structures import structure_parametrer
from tests.conftest import connecter
from tests.factories import StructureFactory, UtilisateurFactory, facture_deposee, rattacher

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def le(annee, mois, jour, heure=10):
    return datetime(annee, mois, jour, heure, tzinfo=PARIS)


def publique(**champs):
    structure = StructureFactory(est_publique=True)
    Structure.objects.filter(pk=structure.pk).update(statut=StatutStructure.ACTIVE, **champs)
    structure.refresh_from_db()
    return structure


@pytest.fixture
def fournisseur():
    return StructureFactory()


@pytest.fixture
def destinataire():
    return publique()


DEPOT = le(2024, 3, 1)


def deposee(fournisseur, destinataire, quand=DEPOT, **champs):
    """An invoice deposited on `quand` (net à payer 1 200,00 € by default), its deposit row dated accordingly."""
    facture = facture_deposee(fournisseur, destinataire, deposee_le=quand, **champs)
    facture.historique.update(le=quand)
    return facture


def passer(facture, vers_statut, quand):
    """A history row as chorus.workflow writes it, dated `quand`."""
    ligne = FactureHistorique.objects.create(
        facture=facture, action="traiter", de_statut=facture.statut, vers_statut=vers_statut
    )
    FactureHistorique.objects.filter(pk=ligne.pk).update(le=quand)
    Facture.objects.filter(pk=facture.pk).update(statut=vers_statut, statut_depuis=quand)
    facture.refresh_from_db()


# --- délai, échéance, retard -----------------------------------------------------------------------------------------


def test_avant_l_echeance_jours_restants(fournisseur, destinataire):
    h = horloge(deposee(fournisseur, destinataire), aujourd_hui=date(2024, 3, 21))
    assert (h.etat, h.delai, h.depart, h.echeance) == (EtatDelai.EN_COURS, 30, date(2024, 3, 1), date(2024, 3, 31))
    assert (h.jours_restants, h.jours_retard, h.interets, h.indemnite) == (10, 0, None, None)


def test_le_jour_de_l_echeance_rien_n_est_du(fournisseur, destinataire):
    h = horloge(deposee(fournisseur, destinataire), aujourd_hui=date(2024, 3, 31))
    assert (h.etat, h.jours_restants, h.jours_retard, h.interets) == (EtatDelai.EN_COURS, 0, 0, None)


def test_apres_l_echeance_interets_et_indemnite(fournisseur, destinataire):
    h = horloge(deposee(fournisseur, destinataire), aujourd_hui=date(2024, 4, 10))
    assert (h.etat, h.jours_restants, h.jours_retard) == (EtatDelai.ECHUE, None, 10)
    # interest from 01/04/2024: 1st half-year of 2024, ECB 4.50 % + 8 points; 1 200 × 12.5 % × 10 / 365 = 4.109…
    assert (h.taux.taux, h.taux.taux_bce, h.taux.date_bce) == (Decimal("12.50"), Decimal("4.50"), date(2024, 1, 1))
    assert h.taux.base == "taux BCE 4,50 % au 01/01/2024 + 8 points"
    assert h.interets == Decimal("4.11")
    assert (h.indemnite, h.devise_indemnite) == (Decimal("40.00"), "EUR")


def test_depot_tard_le_soir_compte_a_la_date_de_paris(fournisseur, destinataire):
    # 23:30 in Paris is already the next day in UTC+0 … and still the 1st in Paris
    h = horloge(deposee(fournisseur, destinataire, quand=le(2024, 3, 1, heure=23)), aujourd_hui=date(2024, 3, 2))
    assert h.depart == date(2024, 3, 1) and h.jours_restants == 29


@pytest.mark.parametrize(
    ("depot", "echeance_attendue", "taux", "taux_bce", "semestre"),
    [
        # due on 29/06: interest starts on 30/06, in the first half-year (ECB 4.50 % on 01/01/2024)
        (le(2024, 5, 30), date(2024, 6, 29), "12.50", "4.50", date(2024, 1, 1)),
        # due on 30/06: interest starts on 01/07, in the second half-year (ECB 4.25 % on 01/07/2024)
        (le(2024, 5, 31), date(2024, 6, 30), "12.25", "4.25", date(2024, 7, 1)),
    ],
)
def test_taux_du_semestre_ou_les_interets_commencent(
    fournisseur, destinataire, depot, echeance_attendue, taux, taux_bce, semestre
):
    h = horloge(deposee(fournisseur, destinataire, quand=depot), aujourd_hui=date(2024, 7, 15))
    assert h.echeance == echeance_attendue
    assert (h.taux.taux, h.taux.taux_bce, h.taux.date_bce) == (Decimal(taux), Decimal(taux_bce), semestre)
    attendu = (Decimal("1200") * Decimal(taux) / 100 * h.jours_retard / 365).quantize(Decimal("0.01"))
    assert h.interets == attendu


@pytest.mark.parametrize(
    ("jour", "taux_bce"),
    [
        (date(2023, 1, 1), "2.50"),
        (date(2023, 6, 30), "2.50"),
        (date(2023, 7, 1), "4.00"),
        (date(2025, 3, 15), "3.15"),
        (date(2025, 12, 31), "2.15"),
        (date(2026, 2, 1), "2.15"),
        (date(2027, 9, 1), "2.15"),  # past the table: the last known rate
    ],
)
def test_table_des_taux_bce(jour, taux_bce):
    taux = taux_interets_moratoires(jour)
    assert taux.taux_bce == Decimal(taux_bce) and taux.taux == Decimal(taux_bce) + 8


def test_avant_la_table_pas_de_taux_ni_d_interets(fournisseur, destinataire):
    assert taux_interets_moratoires(date(2022, 12, 31)) is None
    h = horloge(deposee(fournisseur, destinataire, quand=le(2022, 10, 3)), aujourd_hui=date(2022, 11, 20))
    assert h.etat == EtatDelai.ECHUE and h.jours_retard == 18
    assert h.taux is None and h.interets is None and h.indemnite == Decimal("40.00")


def test_structure_a_50_jours(fournisseur):
    hopital = publique(delai_global_paiement=50)
    facture = deposee(fournisseur, hopital)
    assert facture.delai_paiement_jours == 50
    h = horloge(facture, aujourd_hui=date(2024, 4, 10))
    assert (h.delai, h.echeance, h.etat, h.jours_restants) == (50, date(2024, 4, 20), EtatDelai.EN_COURS, 10)


def test_ancienne_facture_sans_delai_prend_celui_du_destinataire(fournisseur):
    hopital = publique(delai_global_paiement=50)
    facture = deposee(fournisseur, hopital)
    Facture.objects.filter(pk=facture.pk).update(delai_paiement_jours=None)
    h = horloge(Facture.objects.get(pk=facture.pk), aujourd_hui=date(2024, 4, 10))
    assert (h.delai, h.echeance) == (50, date(2024, 4, 20))


def test_le_delai_garde_sur_la_facture_reste_celui_du_depot(fournisseur, destinataire):
    facture = deposee(fournisseur, destinataire)  # 30 days at deposit
    Structure.objects.filter(pk=destinataire.pk).update(delai_global_paiement=50)
    assert horloge(Facture.objects.get(pk=facture.pk), aujourd_hui=date(2024, 3, 5)).delai == 30


# --- suspension ------------------------------------------------------------------------------------------------------


@pytest.fixture
def agent(destinataire):
    user = UtilisateurFactory()
    rattacher(user, destinataire, (Application.FACTURES_RECUES, Niveau.MODIFICATION))
    return user


@pytest.fixture
def comptable_fournisseur(fournisseur):
    user = UtilisateurFactory()
    rattacher(user, fournisseur, (Application.FACTURES_EMISES, Niveau.MODIFICATION))
    return user


def test_suspension_exclue_du_delai(fournisseur, destinataire, agent, comptable_fournisseur):
    facture = deposee(fournisseur, destinataire)
    with time_machine.travel(le(2024, 3, 10), tick=False):
        # the workflow writes the history row (facture_traiter also sends mails, which are not this test's subject)
        FACTURE_WORKFLOW.appliquer(
            facture, "traiterFactureRecue:SUSPENDUE", par=agent, motif="Pièce justificative manquante"
        )
    # the suspension is running: the clock is stopped, with 21 days left, whatever the day
    h = horloge(facture, aujourd_hui=date(2024, 3, 15))
    assert (h.suspendue_depuis, h.jours_suspendus, h.jours_restants) == (date(2024, 3, 10), 5, 21)
    assert horloge(facture, aujourd_hui=date(2024, 5, 1)).jours_restants == 21
    assert horloge(facture, aujourd_hui=date(2024, 5, 1)).etat == EtatDelai.EN_COURS

    with time_machine.travel(le(2024, 3, 20), tick=False):
        # compléter is its own operation (attachments, comment); the status change is the workflow's
        FACTURE_WORKFLOW.appliquer(facture, "completerFacture:COMPLETEE", par=comptable_fournisseur)
    h = horloge(facture, aujourd_hui=date(2024, 4, 5))
    assert (h.jours_suspendus, h.suspendue_depuis, h.echeance) == (10, None, date(2024, 4, 10))
    assert (h.etat, h.jours_restants) == (EtatDelai.EN_COURS, 5)


def test_une_ligne_qui_reste_suspendue_ne_termine_pas_la_suspension(fournisseur, destinataire):
    facture = deposee(fournisseur, destinataire)
    passer(facture, "SUSPENDUE", le(2024, 3, 10))
    passer(facture, "SUSPENDUE", le(2024, 3, 15))  # the supplier adds a document, still suspended
    passer(facture, "MISE_A_DISPOSITION", le(2024, 3, 25))
    h = horloge(facture, aujourd_hui=date(2024, 4, 20))
    assert (h.jours_suspendus, h.echeance, h.etat, h.jours_retard) == (15, date(2024, 4, 15), EtatDelai.ECHUE, 5)


def test_deux_suspensions_s_additionnent(fournisseur, destinataire):
    facture = deposee(fournisseur, destinataire)
    passer(facture, "SUSPENDUE", le(2024, 3, 5))
    passer(facture, "COMPLETEE", le(2024, 3, 8))
    passer(facture, "SUSPENDUE", le(2024, 3, 12))
    passer(facture, "COMPLETEE", le(2024, 3, 14))
    assert horloge(facture, aujourd_hui=date(2024, 3, 20)).echeance == date(2024, 4, 5)


# --- payment ---------------------------------------------------------------------------------------------------------


def test_payee_dans_le_delai(fournisseur, destinataire):
    facture = deposee(fournisseur, destinataire)
    passer(facture, "SERVICE_FAIT", le(2024, 3, 12))
    passer(facture, "MISE_EN_PAIEMENT", le(2024, 3, 25))
    h = horloge(facture, aujourd_hui=date(2024, 9, 1))
    assert (h.etat, h.payee_le, h.jours_paiement, h.jours_retard) == (EtatDelai.PAYEE, date(2024, 3, 25), 24, 0)
    assert (h.jours_restants, h.interets, h.indemnite) == (None, None, None)


def test_payee_en_retard_interets_dus(fournisseur, destinataire):
    facture = deposee(fournisseur, destinataire)
    passer(facture, "MISE_EN_PAIEMENT", le(2024, 4, 15))
    h = horloge(facture, aujourd_hui=date(2024, 9, 1))  # the clock stopped at the payment
    assert (h.etat, h.jours_paiement, h.jours_retard) == (EtatDelai.PAYEE, 45, 15)
    assert h.interets == Decimal("6.16")  # 1 200 × 12.5 % × 15 / 365 = 6.164…
    assert h.indemnite == Decimal("40.00")


def test_payee_sans_ligne_d_historique_date_du_statut(fournisseur, destinataire):
    facture = deposee(fournisseur, destinataire)
    Facture.objects.filter(pk=facture.pk).update(statut="MISE_EN_PAIEMENT", statut_depuis=le(2024, 4, 2))
    h = horloge(Facture.objects.get(pk=facture.pk), aujourd_hui=date(2024, 9, 1))
    assert (h.etat, h.payee_le, h.jours_retard) == (EtatDelai.PAYEE, date(2024, 4, 2), 2)


def test_suspension_puis_paiement_en_retard(fournisseur, destinataire):
    facture = deposee(fournisseur, destinataire)
    passer(facture, "SUSPENDUE", le(2024, 3, 10))
    passer(facture, "MISE_A_DISPOSITION", le(2024, 3, 20))
    passer(facture, "MISE_EN_PAIEMENT", le(2024, 4, 13))
    h = horloge(facture, aujourd_hui=date(2024, 9, 1))
    assert (h.echeance, h.jours_paiement, h.jours_retard) == (date(2024, 4, 10), 33, 3)


# --- currency --------------------------------------------------------------------------------------------------------


def test_interets_en_xpf_sans_decimale(fournisseur, destinataire):
    facture = deposee(fournisseur, destinataire, montant_ht="100000", devise="XPF")  # net à payer 120 000 XPF
    h = horloge(facture, aujourd_hui=date(2024, 4, 10))
    # 120 000 × 12.5 % × 10 / 365 = 410.958… → 411 XPF, no decimals (ISO 4217)
    assert str(h.interets) == "411" and h.devise == "XPF"


# --- no clock --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("champs", "motif"),
    [
        ({"cadre": "A2"}, "Facture déjà payée (cadre A2) : aucun délai de paiement ne court."),
        ({"type_facture": "AVOIR"}, "Un avoir n'appelle pas de paiement : aucun délai de paiement ne court."),
        (
            {"statut": "REJETEE"},
            "La facture est au statut « Rejetée » : elle ne sera pas payée, aucun délai de paiement ne court.",
        ),
        (
            {"statut": "BROUILLON"},
            "La facture n'est pas encore déposée : le délai de paiement court à partir de son dépôt.",
        ),
    ],
)
def test_sans_objet(fournisseur, destinataire, champs, motif):
    facture = deposee(fournisseur, destinataire, **champs)
    h = horloge(facture, aujourd_hui=date(2024, 9, 1))
    assert (h.etat, h.motif, h.echeance, h.interets) == (EtatDelai.SANS_OBJET, motif, None, None)
    assert echeance(facture) is None


def test_sans_objet_non_deposee(fournisseur, destinataire):
    facture = Facture.objects.create(
        numero="F-BROUILLON", fournisseur=fournisseur, destinataire=destinataire, date_facture=date(2024, 3, 1)
    )
    assert horloge(facture).sans_objet and echeance(facture) is None


# --- echeance() for lists --------------------------------------------------------------------------------------------


def test_echeance_sans_requete_ignore_les_suspensions(fournisseur, destinataire, django_assert_num_queries):
    facture = deposee(fournisseur, destinataire)
    passer(facture, "SUSPENDUE", le(2024, 3, 10))
    passer(facture, "COMPLETEE", le(2024, 3, 20))
    lignes = list(Facture.objects.filter(pk=facture.pk))
    with django_assert_num_queries(0):
        assert echeance(lignes[0]) == date(2024, 3, 31)  # horloge() says 10/04 with the suspension


def test_echeance_d_une_ancienne_facture(fournisseur, destinataire, django_assert_num_queries):
    facture = deposee(fournisseur, publique(delai_global_paiement=50))
    Facture.objects.filter(pk=facture.pk).update(delai_paiement_jours=None)
    seule = Facture.objects.get(pk=facture.pk)
    avec_destinataire = Facture.objects.select_related("destinataire").get(pk=facture.pk)
    with django_assert_num_queries(0):
        assert echeance(seule) is None  # unknown without a query
        assert echeance(avec_destinataire) == date(2024, 4, 20)


# --- the partial, through the template tag ---------------------------------------------------------------------------

GABARIT = Template(
    "{% load paiement %}{% horloge_paiement facture aujourd_hui as horloge %}"
    '{% include "facturation/_partials/delai_paiement.html" %}'
)


def rendu(facture, aujourd_hui):
    # spaces and line breaks collapsed; the no-break spaces of amounts kept
    return re.sub(
        r"[ \n]+", " ", html.unescape(GABARIT.render(Context({"facture": facture, "aujourd_hui": aujourd_hui})))
    )


def test_rendu_en_retard(fournisseur, destinataire):
    contenu = rendu(deposee(fournisseur, destinataire), date(2024, 4, 10))
    assert "Délai de paiement" in contenu
    assert '<p class="fr-badge fr-badge--error">' not in contenu  # a span inside a paragraph
    assert "En retard de 10 jours" in contenu
    assert 'Délai global de paiement</dt> <dd id="delai-paiement-delai">30 jours</dd>' in contenu
    assert "01/03/2024" in contenu and "31/03/2024" in contenu
    assert "Intérêts moratoires à ce jour" in contenu
    assert "4,11\u00a0€ pour 10 jours de retard sur un net à payer de 1\u00a0200,00\u00a0€" in contenu
    assert "Taux appliqué : 12,50 % (taux BCE 4,50 % au 01/01/2024 + 8 points)" in contenu
    assert "Indemnité forfaitaire pour frais de recouvrement" in contenu and "40,00\u00a0€" in contenu
    assert "art. D. 2192-35" in contenu


def test_rendu_quand_le_destinataire_ne_remonte_pas_la_mise_en_paiement(fournisseur, destinataire):
    facture = deposee(fournisseur, destinataire)
    assert "ne transmet pas le statut « Mise en paiement »" not in rendu(facture, date(2024, 3, 30))
    destinataire.statut_mise_en_paiement_non_remonte = True
    destinataire.save()
    facture.refresh_from_db()
    assert "ne transmet pas le statut « Mise en paiement »" in rendu(facture, date(2024, 3, 30))
    passer(facture, "MISE_EN_PAIEMENT", le(2024, 3, 20))
    assert "ne transmet pas" not in rendu(facture, date(2024, 4, 1))  # paid: nothing to warn about


def test_rendu_en_cours_et_paye(fournisseur, destinataire):
    facture = deposee(fournisseur, destinataire)
    contenu = rendu(facture, date(2024, 3, 30))
    assert "1 jour restant" in contenu and "Intérêts moratoires" not in contenu
    passer(facture, "MISE_EN_PAIEMENT", le(2024, 4, 2))
    contenu = rendu(facture, date(2024, 9, 1))
    assert (
        "Payée en retard de 2 jours" in contenu and "Mise en paiement le 02/04/2024, en 32 jours de délai" in contenu
    )
    assert "Intérêts moratoires dus" in contenu


def test_rendu_xpf_et_sans_objet(fournisseur, destinataire):
    contenu = rendu(deposee(fournisseur, destinataire, montant_ht="100000", devise="XPF"), date(2024, 4, 10))
    assert "411\u00a0XPF pour 10 jours de retard sur un net à payer de 120\u00a0000\u00a0XPF" in contenu
    contenu = rendu(deposee(fournisseur, destinataire, type_facture="AVOIR"), date(2024, 4, 10))
    assert "Sans objet" in contenu and "Un avoir n'appelle pas de paiement" in contenu
    assert "Intérêts" not in contenu


def test_rendu_suspendu(fournisseur, destinataire):
    facture = deposee(fournisseur, destinataire)
    passer(facture, "SUSPENDUE", le(2024, 3, 10))
    contenu = rendu(facture, date(2024, 3, 12))
    assert "Délai suspendu" in contenu and "Suspendu depuis le 10/03/2024" in contenu
    assert "il restera 21 jours" in contenu and "(reportée de 2 jours de suspension)" in contenu


# --- the structure setting -------------------------------------------------------------------------------------------


def appliquer_les_modifications_dues():
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        appliquer_modifications_en_retard()


@pytest.fixture
def gp():
    return UtilisateurFactory()


@pytest.fixture
def mairie(gp):
    structure = StructureFactory(gestionnaire=gp, est_publique=True, raison_sociale="Mairie de Rennes")
    Structure.objects.filter(pk=structure.pk).update(statut=StatutStructure.ACTIVE)
    structure.refresh_from_db()
    return structure


def url_parametres(structure):
    return reverse("organisation:structure_parametres_modifier", args=[structure.pk])


TOUS_LES_ESPACES = [a for a in Application.values if a != Application.ORGANISATION]


def test_le_gestionnaire_passe_le_delai_a_50_jours(client, gp, mairie):
    connecter(client, gp)
    contenu = html.unescape(client.get(url_parametres(mairie)).content.decode())
    assert "Délai global de paiement (jours)" in contenu
    assert "30 jours (État, collectivités territoriales)" in contenu
    assert "50 jours (établissements publics de santé)" in contenu
    reponse = client.post(
        url_parametres(mairie), {"espaces": TOUS_LES_ESPACES, "delai_global_paiement": "50"}, follow=True
    )
    assert "Modification en attente : Modification des paramètres de la structure" in html.unescape(
        reponse.content.decode()
    )
    mairie.refresh_from_db()
    assert mairie.delai_global_paiement == 30  # delayed, like every parameter
    appliquer_les_modifications_dues()
    mairie.refresh_from_db()
    assert mairie.delai_global_paiement == 50
    page = html.unescape(client.get(reverse("organisation:structure", args=[mairie.pk])).content.decode())
    assert '<td id="delai-global-paiement">50 jours</td>' in page
    annuaire = html.unescape(client.get(reverse("organisation:annuaire_structure", args=[mairie.pk])).content.decode())
    assert "Délai global de paiement : 50 jours" in annuaire


def test_valeur_hors_liste_refusee(client, gp, mairie):
    connecter(client, gp)
    reponse = client.post(url_parametres(mairie), {"espaces": TOUS_LES_ESPACES, "delai_global_paiement": "45"})
    assert reponse.context["form"].errors["delai_global_paiement"] == [
        "Choisissez un délai global de paiement de la liste."
    ]
    with pytest.raises(ApplicationError) as erreur:
        structure_parametrer(structure=mairie, par=gp, delai_global_paiement=45)
    assert erreur.value.champ == "delai_global_paiement"
    assert not ModificationDifferee.objects.exists()


def test_pas_de_delai_pour_une_structure_privee(client):
    gp = UtilisateurFactory()
    privee = StructureFactory(gestionnaire=gp)
    connecter(client, gp)
    contenu = html.unescape(client.get(url_parametres(privee)).content.decode())
    assert "Délai global de paiement" not in contenu
    page = html.unescape(client.get(reverse("organisation:structure", args=[privee.pk])).content.decode())
    assert "Délai global de paiement" not in page
    with pytest.raises(ApplicationError) as erreur:
        structure_parametrer(structure=privee, par=gp, delai_global_paiement=50)
    assert erreur.value.message == "Le délai global de paiement ne se règle que pour une structure publique."
    assert not ModificationDifferee.objects.exists()


def test_un_etranger_ne_change_pas_le_delai(client, mairie):
    etranger = UtilisateurFactory()
    StructureFactory(gestionnaire=etranger, est_publique=True)
    connecter(client, etranger)
    assert client.get(url_parametres(mairie)).status_code == 404
    reponse = client.post(url_parametres(mairie), {"espaces": TOUS_LES_ESPACES, "delai_global_paiement": "50"})
    assert reponse.status_code == 404
    with pytest.raises(ApplicationError):
        structure_parametrer(structure=mairie, par=etranger, delai_global_paiement=50)
    assert not ModificationDifferee.objects.exists()
    mairie.refresh_from_db()
    assert mairie.delai_global_paiement == 30


def test_un_lecteur_ne_change_pas_le_delai(client, mairie):
    lecteur = UtilisateurFactory()
    rattacher(lecteur, mairie, (Application.ORGANISATION, Niveau.CONSULTATION))
    connecter(client, lecteur)
    reponse = client.post(url_parametres(mairie), {"espaces": TOUS_LES_ESPACES, "delai_global_paiement": "50"})
    assert reponse.status_code == 302
    assert not ModificationDifferee.objects.exists()
