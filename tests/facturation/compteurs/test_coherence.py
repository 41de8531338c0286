"""The per-status counters (CompteurFactures) equal a COUNT(*) … GROUP BY of the invoices after every kind of write
there is: they are kept by triggers of the database, so no writer can forget them (issue #16)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from facturation.enums import StatutFacture
from facturation.models import CompteurFactures, CompteurValidation, Facture
from facturation.selectors import recues
from facturation.services.archivage import archiver_factures_closes
from facturation.services.brouillon import brouillon_envoyer, brouillon_supprimer
from facturation.services.compteurs import recompter
from facturation.services.telechargement import facture_telecharger
from facturation.services.traitement import facture_traiter
from organisation.models import Service, Utilisateur
from tests.facturation.compteurs.conftest import validation_attendue, verifier
from travaux.models import PieceTravaux
from travaux.services.actions import piece_prendre_en_compte

pytestmark = pytest.mark.django_db

PAUL = "entite.publique@demo.chorus-pro.example"
FANNY = "fournisseur@demo.chorus-pro.example"


def utilisateur(email):
    return Utilisateur.objects.get(email=email)


def test_le_matelas_est_compte_et_des_deux_cotes(matelas):
    """Deposits through the services (portal entry, works pieces, validations) and the workflow's transitions of
    the demo data set: every invoice counted once for its recipient and once for its supplier."""
    lus = verifier()
    assert sum(n for cle, n in lus.items() if cle[0] == "R") == Facture.objects.exclude(statut="BROUILLON").count()
    assert {cle[0] for cle in lus} == {"R", "E"}
    assert any(cle[4] for cle in lus), "the demo's works pieces are counted too"


def test_une_transition_du_destinataire(matelas):
    paul = utilisateur(PAUL)
    facture = Facture.objects.get(numero="DEMO-2026-001")
    avant = verifier()
    cible = recues.cibles_de_traitement(facture, paul)[0]
    facture_traiter(facture=facture, par=paul, statut_cible=cible, motif="", commentaire="Vu")
    apres = verifier()
    assert apres != avant


def test_un_telechargement_par_le_destinataire(matelas):
    facture = Facture.objects.get(numero="DEMO-2026-001")
    assert not facture.telechargee
    facture_telecharger(facture=facture, par=utilisateur(PAUL), format="pdf")
    cle = ("R", facture.destinataire_id, facture.service_destinataire_id, "MISE_A_DISPOSITION", False, True)
    assert verifier()[cle] >= 1


def test_une_action_de_travaux(matelas):
    piece = PieceTravaux.objects.select_related("facture", "dossier__moe").get(
        facture__statut=StatutFacture.MISE_A_DISPOSITION_MOE
    )
    moe = piece.dossier.moe.rattachements.get().utilisateur
    piece_prendre_en_compte(piece=piece, par=moe)
    cle = ("E", piece.facture.fournisseur_id, 0, StatutFacture.PRISE_EN_COMPTE_MOE, True, False)
    assert verifier()[cle] == 1


def test_un_brouillon_depose_puis_un_brouillon_supprime(matelas):
    fanny = utilisateur(FANNY)
    modele = Facture.objects.get(numero="DEMO-2026-001")
    brouillons = []
    for numero in ("CPT-1", "CPT-2"):
        brouillon = Facture.objects.get(pk=modele.pk)
        brouillon.pk, brouillon.numero, brouillon.statut = None, numero, StatutFacture.BROUILLON
        brouillon.fichier_pdf = brouillon.fichier_xml = ""
        brouillon.save()
        modele.lignes.first().__class__.objects.create(
            facture=brouillon,
            numero=1,
            designation="Prestation",
            quantite=1,
            prix_unitaire_ht=100,
            taux_tva=20,
            montant_ht=100,
        )
        brouillons.append(brouillon)
    avant = verifier()  # a draft is not counted
    brouillon_envoyer(facture=brouillons[0], par=fanny)
    apres = verifier()
    cle = ("E", modele.fournisseur_id, 0, brouillons[0].__class__.objects.get(numero="CPT-1").statut, False, False)
    assert apres[cle] == avant.get(cle, 0) + 1
    brouillon_supprimer(par=fanny, facture=brouillons[1])
    assert verifier() == apres


def test_un_archivage(matelas):
    Facture.objects.filter(statut=StatutFacture.MISE_EN_PAIEMENT).update(
        statut_depuis=timezone.now() - datetime.timedelta(days=3660)
    )
    avant = verifier()
    assert archiver_factures_closes() >= 1
    apres = verifier()
    assert not any(cle[3] == StatutFacture.MISE_EN_PAIEMENT and not cle[4] for cle in apres)
    assert sum(avant.values()) > sum(apres.values())


def test_un_update_de_masse_et_une_suppression(matelas):
    Facture.objects.exclude(statut="BROUILLON").update(statut=StatutFacture.REJETEE)
    verifier()
    Facture.objects.filter(est_piece_travaux=False).update(statut=StatutFacture.BROUILLON)
    verifier()
    Facture.objects.update(service_destinataire=None, telechargee=True)
    verifier()
    Facture.tous.filter(numero="DEMO-2026-001").update(statut=StatutFacture.MANDATEE, archivee=False)
    une = Facture.objects.filter(est_piece_travaux=False).first()
    une.statut = StatutFacture.SUSPENDUE
    une.save()
    verifier()
    autre_service = Service.objects.exclude(structure=une.destinataire_id).first()
    Facture.objects.filter(pk=une.pk).update(service_destinataire=autre_service, destinataire=autre_service.structure)
    verifier()
    une.historique.all().delete()
    Facture.objects.filter(pk=une.pk).delete()
    verifier()


def test_recompter_repare(matelas):
    attendus = verifier()
    lignes = len(attendus) + len(validation_attendue())  # both tables: the parties' and the validators'
    CompteurFactures.objects.update(nombre=42)
    CompteurFactures.objects.create(cote="R", id_structure=0, statut="MANDATEE", nombre=7)
    CompteurValidation.objects.update(nombre=42)
    assert recompter() == lignes
    assert verifier() == attendus
    CompteurFactures.objects.all().delete()
    sortie = io.StringIO()
    call_command("recompter_factures", stdout=sortie)
    assert sortie.getvalue() == f"Compteurs de factures reconstruits : {lignes} lignes.\n"
    assert verifier() == attendus


def test_les_declencheurs_du_moteur(db):
    """The migration created the triggers of this engine."""
    with connection.cursor() as curseur:
        if connection.vendor == "postgresql":
            curseur.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'facturation_facture'::regclass")
        else:
            curseur.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'facturation_facture'"
            )
        noms = {nom for (nom,) in curseur.fetchall()}
    for prefixe in ("facture_compteurs", "facture_validation_compteurs"):
        assert len({nom for nom in noms if nom.startswith(prefixe)}) == (3 if connection.vendor == "postgresql" else 4)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite rebuilds a table to alter it")
def test_sqlite_un_migrate_remet_les_declencheurs_perdus(matelas):
    """A later migration that rebuilds facturation_facture on SQLite drops its triggers with the old table: the next
    migrate puts them back and recounts what was written meanwhile."""
    with connection.cursor() as curseur:
        curseur.execute("DROP TRIGGER facture_compteurs_update_apres")
        curseur.execute("DROP TRIGGER facture_compteurs_insert")
        curseur.execute("DROP TRIGGER facture_validation_compteurs_update_avant")
    Facture.objects.filter(numero="DEMO-2026-001").update(statut=StatutFacture.MANDATEE)
    Facture.objects.exclude(valideur_1=None).update(statut=StatutFacture.MANDATEE)
    call_command("migrate", verbosity=0)
    verifier()
    Facture.objects.filter(numero="DEMO-2026-002").update(statut=StatutFacture.MANDATEE)
    verifier()
