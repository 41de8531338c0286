import csv
import datetime
from itertools import count

import pytest
from django.db import IntegrityError

from facturation.enums import CadreFacturation, DroitDelegation, StatutFacture, arrondir, decimales
from facturation.models import DelegationFactures, Facture
from facturation.services.traitement import facture_traiter
from facturation.services.validation import facture_refuser, facture_valider
from facturation.workflow import (
    ACTION_A_VALIDER,
    FACTURE_WORKFLOW,
    STATUTS_DE_VALIDATION,
    TRAITEMENTS,
    VALIDATIONS,
    VALIDEUR_DELEGUE,
    construire_transitions,
    statuts_cibles,
)
from organisation.enums import Application, Niveau, StatutStructure
from organisation.models import Service, Structure
from tests.conftest import REFERENCE, partage_requis
from tests.factories import StructureFactory, UtilisateurFactory, rattacher

pytestmark = pytest.mark.django_db

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
    tables = partage_requis(REFERENCE / "tables")
    for nom in ("statuts.csv", "cadres.csv", "traitements_recus.csv"):
        assert _csv(f"facturation/regles/{nom}") == _csv(tables / nom)


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


def _traiter(facture, par, ligne):
    """Apply the row through the service that owns it: validation rows forward, the others are processing."""
    cible = ligne["to_status"]
    if cible.startswith("VALIDEE_"):
        facture_valider(facture=facture, par=par)
    elif cible.startswith("REFUSEE_"):
        facture_refuser(facture=facture, par=par, motif="Pièce manquante")
    else:
        facture_traiter(facture=facture, par=par, statut_cible=cible, motif="Pièce manquante", numero_mandat="M-7")
    facture.refresh_from_db()
    return facture


@pytest.mark.parametrize(
    "ligne",
    TRAITEMENTS,
    ids=[f"{r['from_status']}>{r['to_status']}:{r['acteur']}:{r['action'].split()[0]}" for r in TRAITEMENTS],
)
def test_chaque_ligne_de_la_table(ligne, parties):
    fournisseur, destinataire = parties
    t = _transition(ligne)
    champs = {}
    delegue = StructureFactory()
    if ligne["action"].startswith(ACTION_A_VALIDER):
        # an A1 invoice submitted to the recipient's delegate (S2), read as A_VALIDER_1
        delegation = DelegationFactures.objects.create(
            delegant=destinataire, delegue=delegue, droit=DroitDelegation.TRAITEMENT
        )
        champs = {"cadre": "A1", "valideur_1": delegue, "delegation": delegation}
    facture = creer_facture(fournisseur, destinataire, statut=ligne["from_status"], **champs)
    agent_destinataire = utilisateur(destinataire, Application.FACTURES_RECUES)
    agent_fournisseur = utilisateur(fournisseur, Application.FACTURES_EMISES)
    agent_delegue = utilisateur(delegue, Application.VALIDATION)
    etranger = UtilisateurFactory()
    StructureFactory(gestionnaire=etranger)  # every profile, but on its own structure

    acteur, autres, structure, application = {
        "destinataire": (
            agent_destinataire, [agent_fournisseur], destinataire, Application.FACTURES_RECUES
        ),
        "fournisseur": (agent_fournisseur, [agent_destinataire], fournisseur, Application.FACTURES_EMISES),
        VALIDEUR_DELEGUE: (
            agent_delegue, [agent_fournisseur, agent_destinataire], delegue, Application.VALIDATION
        ),
    }[ligne["acteur"]]  # fmt: skip
    consultation = utilisateur(structure, application, Niveau.CONSULTATION)

    assert FACTURE_WORKFLOW.peut(facture, t.action, acteur)
    for autre in [*autres, etranger, consultation]:
        assert not FACTURE_WORKFLOW.peut(facture, t.action, autre)

    if ligne["acteur"] == VALIDEUR_DELEGUE:
        # the « droit de validation » gives no processing in the recipient's place
        facture.delegation.droit = DroitDelegation.VALIDATION
        assert not FACTURE_WORKFLOW.peut(facture, t.action, acteur)
        facture.delegation.droit = DroitDelegation.TRAITEMENT
    if ligne["action"].startswith(ACTION_A_VALIDER) and ligne["acteur"] == "destinataire":
        # the recipient steps in for its delegate only: an A9/A12 validation is not its own
        sans_delegation = creer_facture(fournisseur, destinataire, statut="A_VALIDER_1", valideur_1=delegue)
        assert not FACTURE_WORKFLOW.peut(sans_delegation, t.action, acteur)

    if t.par_traitement:
        assert ligne["to_status"] in statuts_cibles(facture, acteur)
        assert ligne["to_status"] not in statuts_cibles(facture, autres[0])
    if t.par_traitement or ligne["to_status"] in STATUTS_DE_VALIDATION:
        facture = _traiter(facture, acteur, ligne)
        premier = facture.historique.order_by("le", "pk").first()
        assert premier.de_statut == ligne["from_status"]
        assert premier.vers_statut == ligne["to_status"]
        if ligne["to_status"].startswith("VALIDEE_"):
            assert facture.statut == "MISE_A_DISPOSITION"  # forwarded to the recipient at once
        else:
            assert facture.statut == ligne["to_status"]


# --- every row of validations.csv ---


def test_la_table_des_validations():
    assert [(t.action, sorted(t.sources), t.cible, t.motif_requis) for t in construire_transitions(VALIDATIONS)] == [
        ("valideur1:VALIDATION:VALIDEE_1", ["A_VALIDER_1"], "VALIDEE_1", False),
        ("valideur1:REFUS:REFUSEE_1", ["A_VALIDER_1"], "REFUSEE_1", True),
        (
            "systeme:HORS_DELAI:ABSENCE_VALIDATION_1_HORS_DELAI",
            ["A_VALIDER_1"],
            "ABSENCE_VALIDATION_1_HORS_DELAI",
            False,
        ),
        ("systeme:TRANSMISSION_1:A_VALIDER_2", ["ABSENCE_VALIDATION_1_HORS_DELAI", "VALIDEE_1"], "A_VALIDER_2", False),
        (
            "systeme:TRANSMISSION_1:MISE_A_DISPOSITION",
            ["ABSENCE_VALIDATION_1_HORS_DELAI", "VALIDEE_1"],
            "MISE_A_DISPOSITION",
            False,
        ),
        ("valideur2:VALIDATION:VALIDEE_2", ["A_VALIDER_2"], "VALIDEE_2", False),
        ("valideur2:REFUS:REFUSEE_2", ["A_VALIDER_2"], "REFUSEE_2", True),
        (
            "systeme:HORS_DELAI:ABSENCE_VALIDATION_2_HORS_DELAI",
            ["A_VALIDER_2"],
            "ABSENCE_VALIDATION_2_HORS_DELAI",
            False,
        ),
        (
            "systeme:TRANSMISSION_2:MISE_A_DISPOSITION",
            ["ABSENCE_VALIDATION_2_HORS_DELAI", "VALIDEE_2"],
            "MISE_A_DISPOSITION",
            False,
        ),
        # a validated works piece of a sub-contractor or a co-contractor goes on to the MOE
        (
            "systeme:TRANSMISSION_1:MISE_A_DISPOSITION_MOE",
            ["ABSENCE_VALIDATION_1_HORS_DELAI", "VALIDEE_1"],
            "MISE_A_DISPOSITION_MOE",
            False,
        ),
        (
            "systeme:TRANSMISSION_2:MISE_A_DISPOSITION_MOE",
            ["ABSENCE_VALIDATION_2_HORS_DELAI", "VALIDEE_2"],
            "MISE_A_DISPOSITION_MOE",
            False,
        ),
    ]


@pytest.mark.parametrize(
    "ligne", VALIDATIONS, ids=[f"{r['from_status']}>{r['to_status']}:{r['acteur']}" for r in VALIDATIONS]
)
def test_chaque_ligne_des_validations(ligne, parties):
    fournisseur, destinataire = parties
    titulaire, mandataire = StructureFactory(), StructureFactory()
    facture = creer_facture(
        fournisseur,
        destinataire,
        statut=ligne["from_status"],
        cadre="A10" if ligne["acteur"].startswith("systeme travaux") else "A12",
        valideur_1=titulaire,
        valideur_2=None if ligne["acteur"].endswith("sans valideur 2") else mandataire,
    )
    t = next(
        t
        for t in FACTURE_WORKFLOW.transitions.values()
        if t.acteur == ligne["acteur"] and ligne["from_status"] in t.sources and t.cible == ligne["to_status"]
    )
    valideur_1 = utilisateur(titulaire, Application.VALIDATION)
    valideur_2 = utilisateur(mandataire, Application.VALIDATION)
    lecteur_1 = utilisateur(titulaire, Application.VALIDATION, Niveau.CONSULTATION)
    tous = [valideur_1, valideur_2, lecteur_1, utilisateur(destinataire, Application.FACTURES_RECUES)]
    tous.append(utilisateur(fournisseur, Application.FACTURES_EMISES))
    assert not t.par_traitement  # never through facture_traiter
    if ligne["acteur"].startswith("systeme"):
        assert FACTURE_WORKFLOW.peut(facture, t.action, None)
        assert not any(FACTURE_WORKFLOW.peut(facture, t.action, user) for user in tous)
        # exactly one forwarding applies: a works piece never goes to the payer, an invoice never to a MOE
        if ligne["action"].startswith("TRANSMISSION"):
            transmissions = [
                a.cible
                for a in FACTURE_WORKFLOW.possibles(facture, None)
                if a.action.startswith("systeme:TRANSMISSION")
            ]
            assert transmissions == [ligne["to_status"]]
        return
    acteur = valideur_1 if ligne["acteur"] == "valideur 1" else valideur_2
    assert [u for u in tous if FACTURE_WORKFLOW.peut(facture, t.action, u)] == [acteur]
    facture = _traiter(facture, acteur, ligne)
    assert facture.statut == ("MISE_A_DISPOSITION" if ligne["to_status"] == "VALIDEE_2" else (
        "A_VALIDER_2" if ligne["to_status"] == "VALIDEE_1" else ligne["to_status"]
    ))  # fmt: skip
    assert facture.historique.get(vers_statut=ligne["to_status"]).par == acteur


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
