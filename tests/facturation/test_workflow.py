import csv
import datetime
from itertools import count
from pathlib import Path

import pytest
from django.db import IntegrityError

from facturation.enums import CadreFacturation, StatutFacture, arrondir, decimales
from facturation.models import Facture
from facturation.services.traitement import facture_traiter
from facturation.workflow import FACTURE_WORKFLOW, TRAITEMENTS, VALIDEUR_DELEGUE, statuts_cibles
from organisation.enums import Application, Niveau, StatutStructure
from organisation.models import Service, Structure
from tests.factories import StructureFactory, UtilisateurFactory, rattacher

pytestmark = pytest.mark.django_db

REFERENCE = "/work/shared/reference/tables/"
_numeros = count(1)


def structure_publique_active():
    """A public structure waits for the support's validation; invoicing needs it active."""
    structure = StructureFactory(est_publique=True)
    Structure.objects.filter(pk=structure.pk).update(statut=StatutStructure.ACTIVE)
    structure.refresh_from_db()
    return structure


def creer_facture(fournisseur, destinataire, statut="MISE_A_DISPOSITION", **champs):
    champs.setdefault("numero", f"F-{next(_numeros)}")
    return Facture.objects.create(
        fournisseur=fournisseur,
        destinataire=destinataire,
        statut=statut,
        date_facture=datetime.date(2026, 3, 2),
        **champs,
    )


def utilisateur(structure, application, niveau=Niveau.MODIFICATION, service=None):
    user = UtilisateurFactory()
    rattacher(user, structure, (application, niveau, service) if service else (application, niveau))
    return user


@pytest.fixture
def parties():
    return StructureFactory(), structure_publique_active()


# --- tables ---


def _csv(chemin):
    with open(chemin, encoding="utf-8", newline="") as fichier:
        return list(csv.DictReader(fichier))


def test_statuts_ont_les_57_codes_et_libelles_de_la_table():
    lignes = _csv("facturation/regles/statuts.csv")
    assert len(StatutFacture.choices) == 57
    assert StatutFacture.choices == [(ligne["code"], ligne["libelle"]) for ligne in lignes]
    assert StatutFacture.MISE_A_DISPOSITION.label == "Mise à disposition du destinataire"


def test_les_tables_du_projet_sont_celles_de_la_reference():
    if not Path(REFERENCE).is_dir():
        pytest.skip("référence Chorus Pro absente de cette machine")
    for nom in ("statuts.csv", "cadres.csv", "traitements_recus.csv"):
        assert _csv(f"facturation/regles/{nom}") == _csv(REFERENCE + nom)


def test_cadres_a1_a25():
    assert [code for code, _ in CadreFacturation.choices] == [f"A{i}" for i in range(1, 26)]
    assert CadreFacturation.A1.label == "Dépôt par un fournisseur d'une facture"


def test_decimales_des_devises():
    assert decimales("XPF") == 0
    assert decimales("JPY") == 0
    assert decimales("EUR") == 2
    assert decimales("KWD") == 3
    assert arrondir("1234.5", "XPF") == 1235
    assert str(arrondir("10.005", "EUR")) == "10.01"


# --- every row of traitements_recus.csv ---


def _transition(ligne):
    trouvees = [
        t
        for t in FACTURE_WORKFLOW.transitions.values()
        if t.acteur == ligne["acteur"]
        and t.cible == ligne["to_status"]
        and ligne["from_status"] in t.sources
        and t.champ_requis == ligne["champ_requis"]
        and t.motif_requis == (ligne["motif_obligatoire"] == "yes")
    ]
    assert len(trouvees) == 1
    return trouvees[0]


@pytest.mark.parametrize(
    "ligne",
    TRAITEMENTS,
    ids=[f"{r['from_status']}>{r['to_status']}:{r['acteur']}:{r['action'].split()[0]}" for r in TRAITEMENTS],
)
def test_chaque_ligne_de_la_table(ligne, parties):
    fournisseur, destinataire = parties
    facture = creer_facture(fournisseur, destinataire, statut=ligne["from_status"])
    t = _transition(ligne)
    agent_destinataire = utilisateur(destinataire, Application.FACTURES_RECUES)
    agent_fournisseur = utilisateur(fournisseur, Application.FACTURES_EMISES)
    etranger = UtilisateurFactory()
    StructureFactory(gestionnaire=etranger)  # every profile, but on its own structure

    if ligne["acteur"] == VALIDEUR_DELEGUE:
        # the delegation is not modelled yet: nobody may act in the delegate's place
        valideur = utilisateur(destinataire, Application.VALIDATION)
        for user in (agent_destinataire, agent_fournisseur, valideur, etranger):
            assert not FACTURE_WORKFLOW.peut(facture, t.action, user)
        return

    acteur, autre, application = {
        "destinataire": (agent_destinataire, agent_fournisseur, Application.FACTURES_RECUES),
        "fournisseur": (agent_fournisseur, agent_destinataire, Application.FACTURES_EMISES),
    }[ligne["acteur"]]
    structure = destinataire if ligne["acteur"] == "destinataire" else fournisseur
    consultation = utilisateur(structure, application, Niveau.CONSULTATION)

    assert FACTURE_WORKFLOW.peut(facture, t.action, acteur)
    assert not FACTURE_WORKFLOW.peut(facture, t.action, autre)
    assert not FACTURE_WORKFLOW.peut(facture, t.action, etranger)
    assert not FACTURE_WORKFLOW.peut(facture, t.action, consultation)

    if t.par_traitement:
        assert ligne["to_status"] in statuts_cibles(facture, acteur)
        assert ligne["to_status"] not in statuts_cibles(facture, autre)
        facture_traiter(
            facture=facture, par=acteur, statut_cible=ligne["to_status"], motif="Pièce manquante", numero_mandat="M-7"
        )
        facture.refresh_from_db()
        assert facture.statut == ligne["to_status"]
        assert facture.historique.get().de_statut == ligne["from_status"]


def test_les_lignes_derivees_sont_dans_la_table():
    derivees = [ligne for ligne in TRAITEMENTS if ligne["source"].startswith("derived")]
    assert len(derivees) == 25
    assert len(TRAITEMENTS) == 45


def test_statuts_cibles_d_une_facture_mise_a_disposition(parties):
    fournisseur, destinataire = parties
    facture = creer_facture(fournisseur, destinataire)
    assert statuts_cibles(facture, utilisateur(destinataire, Application.FACTURES_RECUES)) == [
        "SERVICE_FAIT",
        "MANDATEE",
        "MISE_A_DISPOSITION_COMPTABLE",
        "COMPTABILISEE",
        "MISE_EN_PAIEMENT",
        "A_RECYCLER",
        "SUSPENDUE",
        "REJETEE",
    ]
    assert statuts_cibles(facture, utilisateur(fournisseur, Application.FACTURES_EMISES)) == []


# --- scoping ---


def test_recues_visibles_limitees_au_service(parties):
    fournisseur, destinataire = parties
    achats = Service.objects.create(structure=destinataire, code="ACHATS", libelle="Achats")
    travaux = Service.objects.create(structure=destinataire, code="TRAVAUX", libelle="Travaux")
    f_achats = creer_facture(fournisseur, destinataire, service_destinataire=achats)
    f_travaux = creer_facture(fournisseur, destinataire, service_destinataire=travaux)
    f_sans_service = creer_facture(fournisseur, destinataire)
    autre = creer_facture(fournisseur, structure_publique_active())

    agent_achats = utilisateur(destinataire, Application.FACTURES_RECUES, Niveau.MODIFICATION, achats)
    assert list(Facture.objects.recues_visibles(agent_achats)) == [f_achats]
    assert FACTURE_WORKFLOW.peut(f_achats, "traiterFactureRecue:SERVICE_FAIT", agent_achats)
    assert not FACTURE_WORKFLOW.peut(f_travaux, "traiterFactureRecue:SERVICE_FAIT", agent_achats)

    agent_structure = utilisateur(destinataire, Application.FACTURES_RECUES, Niveau.CONSULTATION)
    assert set(Facture.objects.recues_visibles(agent_structure)) == {f_achats, f_travaux, f_sans_service}
    # a profile on the supplier side shows nothing received, and the reverse
    assert not Facture.objects.recues_visibles(utilisateur(destinataire, Application.FACTURES_EMISES)).exists()
    assert not Facture.objects.emises_visibles(agent_structure).exists()
    assert autre not in Facture.objects.recues_visibles(agent_structure)


def test_emises_visibles_du_fournisseur(parties):
    fournisseur, destinataire = parties
    service = Service.objects.create(structure=destinataire, code="ACHATS", libelle="Achats")
    emises = {
        creer_facture(fournisseur, destinataire),
        creer_facture(fournisseur, destinataire, service_destinataire=service),
    }
    creer_facture(StructureFactory(), destinataire)
    agent = utilisateur(fournisseur, Application.FACTURES_EMISES, Niveau.CONSULTATION)
    assert set(Facture.objects.emises_visibles(agent)) == emises
    assert not Facture.objects.recues_visibles(agent).exists()


def test_numero_unique_par_fournisseur(parties):
    fournisseur, destinataire = parties
    creer_facture(fournisseur, destinataire, numero="F-2026-1")
    creer_facture(StructureFactory(), destinataire, numero="F-2026-1")
    with pytest.raises(IntegrityError):
        creer_facture(fournisseur, structure_publique_active(), numero="F-2026-1")
