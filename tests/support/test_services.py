"""The services of the tickets: filing from each side, replies and statuses, notes, closing and reopening, who may
act. Mails are observed after commit."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from chorus.exceptions import ApplicationError
from support import liens
from support.enums import StatutSollicitation as S
from support.models import Sollicitation
from support.services import sollicitations as services
from tests.support.conftest import fichier

pytestmark = pytest.mark.django_db


def creer_metier(monde, **champs):
    facture = champs.pop("facture", None) or monde.facture(numero="FAC-1", service=monde.achats)
    return services.sollicitation_creer(
        par=monde.fournisseur_user,
        sous_categorie=monde.metier_sc,
        objet="Date de paiement",
        message="Quand la facture sera-t-elle payée ?",
        facture=facture,
        **champs,
    )


def creer_support(monde, par=None):
    return services.sollicitation_creer(
        par=par or monde.fournisseur_user, sous_categorie=monde.support_sc, objet="Connexion", message="Aide"
    )


def test_une_question_sur_une_facture_va_au_service_de_la_facture(monde, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        s = creer_metier(monde)
    assert s.statut == S.NOUVELLE
    assert s.numero.startswith("SOL-") and s.numero.endswith(f"{s.pk:06d}")
    assert (s.structure_destinataire, s.service_destinataire) == (monde.entite, monde.achats)
    destinataires = sorted(m.to[0] for m in mail.outbox)
    # the requester's acknowledgment, then the handlers of the whole structure or of ACHATS (not the reader)
    attendus = [monde.fournisseur_user, monde.entite_gp, monde.traitant, monde.traitant_achats]
    assert destinataires == sorted(u.email for u in attendus)
    accuse = next(m for m in mail.outbox if m.to == [monde.fournisseur_user.email])
    assert s.numero in accuse.subject
    assert f"/sollicitations/{s.pk}/" in accuse.body


def test_une_demande_metier_sans_facture_ni_siret_est_refusee(monde):
    with pytest.raises(ApplicationError) as erreur:
        services.sollicitation_creer(
            par=monde.fournisseur_user, sous_categorie=monde.metier_sc, objet="Question", message="?"
        )
    assert erreur.value.champ == "destinataire"
    assert Sollicitation.objects.count() == 0


def test_une_piece_jointe_hors_regles_ne_laisse_rien(monde):
    with pytest.raises(ApplicationError) as erreur:
        services.sollicitation_creer(
            par=monde.fournisseur_user,
            sous_categorie=monde.support_sc,
            objet="Connexion",
            message="Aide",
            fichiers=[fichier(), fichier("virus.exe")],
        )
    assert "« .exe » n'est pas accepté" in erreur.value.message
    assert erreur.value.champ == "pieces_jointes"
    assert Sollicitation.objects.count() == 0


def test_trop_de_pieces_jointes(monde):
    with pytest.raises(ApplicationError, match="6 fichiers : 5 au plus par message"):
        services.sollicitation_creer(
            par=monde.fournisseur_user,
            sous_categorie=monde.support_sc,
            objet="Connexion",
            message="Aide",
            fichiers=[fichier(f"f{i}.png") for i in range(6)],
        )


def test_echange_complet_avec_statuts_et_courriels(monde, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the request's own mails leave, as after its commit
        s = creer_metier(monde)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.repondre_traitant(
            sollicitation=s,
            par=monde.traitant,
            corps="Quel est le numéro d'engagement ?",
            statut=S.EN_ATTENTE_DEMANDEUR,
        )
    s.refresh_from_db()
    assert s.statut == S.EN_ATTENTE_DEMANDEUR
    assert [m.to for m in mail.outbox] == [[monde.fournisseur_user.email]]
    assert "Quel est le numéro d'engagement ?" in mail.outbox[0].body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.repondre_demandeur(sollicitation=s, par=monde.fournisseur_user, corps="EJ 1234", fichiers=[fichier()])
    s.refresh_from_db()
    assert s.statut == S.EN_COURS
    attendus = [monde.entite_gp, monde.traitant, monde.traitant_achats]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in attendus)

    services.repondre_traitant(sollicitation=s, par=monde.traitant, corps="Payée demain.", statut=S.RESOLUE)
    s.refresh_from_db()
    assert s.statut == S.RESOLUE
    assert [h.vers_statut for h in s.historique.order_by("le", "pk")] == [
        S.NOUVELLE,
        S.EN_ATTENTE_DEMANDEUR,
        S.EN_COURS,
        S.RESOLUE,
    ]
    assert s.messages.count() == 4
    assert s.messages.get(corps="EJ 1234").pieces_jointes.get().nom == "capture.png"


def test_le_lecteur_et_l_etranger_ne_peuvent_pas_repondre(monde):
    s = creer_metier(monde)
    for intrus in (monde.lecteur, monde.etranger, monde.sans_profil, monde.agent):
        with pytest.raises(ApplicationError, match="pas habilité"):
            services.repondre_traitant(sollicitation=s, par=intrus, corps="x", statut=S.EN_COURS)
        with pytest.raises(ApplicationError):
            services.note_interne_ajouter(sollicitation=s, par=intrus, corps="x")
    # a service-limited handler answers only for its service
    s_travaux = creer_metier(monde, facture=monde.facture(numero="FAC-2", service=monde.travaux))
    with pytest.raises(ApplicationError, match="pas habilité"):
        services.repondre_traitant(sollicitation=s_travaux, par=monde.traitant_achats, corps="x", statut=S.EN_COURS)


def test_seul_le_demandeur_repond_ou_cloture_de_son_cote(monde):
    s = creer_support(monde)
    with pytest.raises(ApplicationError, match="Seul le demandeur"):
        services.repondre_demandeur(sollicitation=s, par=monde.etranger, corps="x")
    with pytest.raises(ApplicationError, match="Seul le demandeur"):
        services.sollicitation_cloturer(sollicitation=s, par=monde.etranger)


def test_une_note_interne_ne_part_pas_par_courriel(monde, django_capture_on_commit_callbacks):
    s = creer_support(monde)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        note = services.note_interne_ajouter(sollicitation=s, par=monde.agent, corps="Client connu, voir ticket 12")
    assert note.interne
    assert mail.outbox == []


def test_la_premiere_reponse_d_un_agent_lui_attribue_la_sollicitation(monde, django_capture_on_commit_callbacks):
    s = creer_support(monde)
    services.repondre_traitant(sollicitation=s, par=monde.agent, corps="Bonjour", statut=S.EN_COURS)
    s.refresh_from_db()
    assert (s.agent, s.statut) == (monde.agent, S.EN_COURS)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.repondre_demandeur(sollicitation=s, par=monde.fournisseur_user, corps="Merci")
    assert [m.to for m in mail.outbox] == [[monde.agent.email]]


def test_attribution(monde):
    s = creer_support(monde)
    services.sollicitation_attribuer(sollicitation=s, agent=monde.autre_agent, par=monde.agent)
    s.refresh_from_db()
    assert (s.agent, s.statut) == (monde.autre_agent, S.EN_COURS)
    with pytest.raises(ApplicationError, match="Choisissez un agent"):
        services.sollicitation_attribuer(sollicitation=s, agent=monde.traitant, par=monde.agent)
    with pytest.raises(ApplicationError, match="Seul un agent"):
        services.sollicitation_attribuer(sollicitation=s, agent=monde.agent, par=monde.traitant)
    with pytest.raises(ApplicationError, match="structure destinataire"):
        services.sollicitation_attribuer(sollicitation=creer_metier(monde), agent=monde.agent, par=monde.agent)


def test_rouvrir_dans_le_delai_puis_plus_apres(monde):
    s = creer_support(monde)
    services.repondre_traitant(sollicitation=s, par=monde.agent, corps="Réglé", statut=S.RESOLUE)
    s.refresh_from_db()
    with time_machine.travel(timezone.now() + timedelta(days=29)):
        services.repondre_demandeur(sollicitation=s, par=monde.fournisseur_user, corps="Toujours bloqué")
    s.refresh_from_db()
    assert s.statut == S.EN_COURS
    services.sollicitation_cloturer(sollicitation=s, par=monde.fournisseur_user)
    s.refresh_from_db()
    assert s.statut == S.CLOTUREE
    with (
        time_machine.travel(timezone.now() + timedelta(days=31)),
        pytest.raises(ApplicationError, match="depuis plus de 30 jours"),
    ):
        services.repondre_demandeur(sollicitation=s, par=monde.fournisseur_user, corps="Encore")
    s.refresh_from_db()
    assert s.statut == S.CLOTUREE


def test_un_traitant_ne_repond_pas_a_une_sollicitation_close(monde):
    s = creer_support(monde)
    services.sollicitation_cloturer(sollicitation=s, par=monde.agent)
    with pytest.raises(ApplicationError, match="seul le demandeur peut la rouvrir"):
        services.repondre_traitant(sollicitation=s, par=monde.agent, corps="x", statut=S.EN_COURS)
    services.note_interne_ajouter(sollicitation=s, par=monde.agent, corps="Clôturée à la demande du client")


def test_demande_publique_confirmee_par_lien(monde, django_capture_on_commit_callbacks):
    sc = monde.support_sc
    with django_capture_on_commit_callbacks(execute=True):
        s = services.sollicitation_deposer_publique(
            email="Claire@Exemple.fr", nom="Claire Dupont", sous_categorie=sc, objet="Compte", message="Bloquée"
        )
    assert (s.statut, s.demandeur_email) == (S.A_CONFIRMER, "claire@exemple.fr")
    assert [m.to for m in mail.outbox] == [["claire@exemple.fr"]]
    # the link the mail carries, as the requester follows it (a token signed now may differ: it holds the second)
    jeton = re.search(r"/demande/confirmer/([^/\s]+)/", mail.outbox[0].body).group(1)
    # not followable before confirmation
    with pytest.raises(liens.LienRefuse):
        services.sollicitation_par_lien_suivi(liens.jeton(s, liens.SEL_SUIVI))
    # a follow-up token is not a confirmation token
    with pytest.raises(liens.LienRefuse):
        services.sollicitation_confirmer(jeton=liens.jeton(s, liens.SEL_SUIVI))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        s, ouverte = services.sollicitation_confirmer(jeton=jeton)
    assert ouverte and s.statut == S.NOUVELLE
    assert "/demande/suivi/" in mail.outbox[0].body
    # twice: nothing more
    assert services.sollicitation_confirmer(jeton=jeton)[1] is False
    assert services.sollicitation_par_lien_suivi(liens.jeton(s, liens.SEL_SUIVI)).pk == s.pk


def test_liens_expires_et_falsifies(monde):
    sc = monde.support_sc
    s = services.sollicitation_deposer_publique(
        email="claire@exemple.fr", nom="Claire", sous_categorie=sc, objet="Compte", message="Bloquée"
    )
    jeton = liens.jeton(s, liens.SEL_CONFIRMATION)
    with pytest.raises(liens.LienRefuse, match="pas valide"):
        services.sollicitation_confirmer(jeton=jeton[:-2] + "xx")
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        with pytest.raises(liens.LienRefuse, match="expiré") as refus:
            services.sollicitation_confirmer(jeton=jeton)
        assert refus.value.expire


def test_la_demande_publique_ne_vise_que_le_support(monde):
    with pytest.raises(ApplicationError, match="depuis votre espace"):
        services.sollicitation_deposer_publique(
            email="a@b.fr", nom="A", sous_categorie=monde.metier_sc, objet="x", message="y"
        )


def test_une_categorie_retiree_n_est_plus_proposee(monde):
    monde.support_sc.active = False
    monde.support_sc.save()
    with pytest.raises(ApplicationError, match="plus proposée"):
        creer_support(monde)


def test_les_demandes_jamais_confirmees_sont_effacees_apres_une_semaine(
    monde, settings, tmp_path, django_capture_on_commit_callbacks
):
    """The daily beat task erases a logged-out ticket nobody confirmed, with its attachment's file; a confirmed one,
    or one still within the week, stays."""
    from support.tasks import purger_sollicitations_non_confirmees

    settings.MEDIA_ROOT = tmp_path
    sc = monde.support_sc
    oubliee = services.sollicitation_deposer_publique(
        email="a@exemple.fr", nom="A", sous_categorie=sc, objet="Compte", message="Bloquée", fichiers=[fichier()]
    )
    chemin = tmp_path / oubliee.messages.get().pieces_jointes.get().fichier.name
    confirmee = services.sollicitation_deposer_publique(
        email="b@exemple.fr", nom="B", sous_categorie=sc, objet="Compte", message="Bloquée"
    )
    services.sollicitation_confirmer(jeton=liens.jeton(confirmee, liens.SEL_CONFIRMATION))
    with time_machine.travel(timezone.now() + timedelta(days=6)):
        recente = services.sollicitation_deposer_publique(
            email="c@exemple.fr", nom="C", sous_categorie=sc, objet="Compte", message="Bloquée"
        )
    assert chemin.exists()
    with time_machine.travel(timezone.now() + timedelta(days=8)), django_capture_on_commit_callbacks(execute=True):
        assert purger_sollicitations_non_confirmees() == 1
    restantes = set(Sollicitation.objects.values_list("pk", flat=True))
    assert restantes == {confirmee.pk, recente.pk}
    assert not chemin.exists()


def test_une_sollicitation_resolue_est_close_apres_trente_jours_et_ne_se_rouvre_plus(monde):
    """The daily task closes what stayed « Résolue » past the reopening window; closing does not open the window
    again; a ticket resolved more recently, or still open, is left alone."""
    from support.tasks import cloturer_sollicitations_resolues

    ancienne, recente, ouverte = creer_support(monde), creer_support(monde), creer_support(monde)
    services.repondre_traitant(sollicitation=ancienne, par=monde.agent, corps="Réglé", statut=S.RESOLUE)
    with time_machine.travel(timezone.now() + timedelta(days=20)):
        services.repondre_traitant(sollicitation=recente, par=monde.agent, corps="Réglé", statut=S.RESOLUE)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert cloturer_sollicitations_resolues() == 1
        assert cloturer_sollicitations_resolues() == 0
        for s in (ancienne, recente, ouverte):
            s.refresh_from_db()
        assert (ancienne.statut, recente.statut, ouverte.statut) == (S.CLOTUREE, S.RESOLUE, S.NOUVELLE)
        fermeture = ancienne.historique.get(vers_statut=S.CLOTUREE)
        assert fermeture.par is None and "résolue depuis plus de 30 jours" in fermeture.commentaire
        assert not services.reouverture_possible(ancienne)
        with pytest.raises(ApplicationError, match="depuis plus de 30 jours"):
            services.repondre_demandeur(sollicitation=ancienne, par=monde.fournisseur_user, corps="Encore")
        # the recent one can still be reopened by its requester
        services.repondre_demandeur(sollicitation=recente, par=monde.fournisseur_user, corps="Toujours bloqué")
        recente.refresh_from_db()
        assert recente.statut == S.EN_COURS
