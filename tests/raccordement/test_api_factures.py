"""factures/v1 as the open-source clients call it: the supplier's search (every page) and consult, the history,
the recipient's search, consult and processing (motif rules, the status machine), and another structure's invoice
answering exactly like a missing one."""

import pytest

from facturation.models import Facture
from tests.factories import StructureFactory, facture_deposee
from tests.raccordement.test_api_socle import Integrateur, publique

pytestmark = pytest.mark.django_db


@pytest.fixture
def monde(db):
    class Monde:
        fournisseur = Integrateur()
        commune = publique(raison_sociale="Commune de Valbourg")
        recipiendaire = Integrateur(commune)
        autre_fournisseur = Integrateur()

    return Monde


def test_rechercher_par_fournisseur_toutes_les_pages(client, monde):
    for n in range(12):
        facture_deposee(monde.fournisseur.structure, monde.commune, numero=f"F-{n:03d}")
    facture_deposee(monde.autre_fournisseur.structure, monde.commune, numero="AUTRE-1")
    entetes = monde.fournisseur.entetes(client)
    numeros, page = [], 1
    while True:
        corps = monde.fournisseur.appeler(
            client,
            "factures/v1/rechercher/fournisseur",
            {
                "rechercheFactureParFournisseur": {
                    "nbResultatsParPage": 5,
                    "pageResultatDemandee": page,
                    "triColonne": "NumeroFacture",
                    "triSens": "Ascendant",
                },
            },
            **entetes,
        ).json()
        numeros += [f["numeroFacture"] for f in corps["listeFactures"]]
        if page == corps["parametresRetour"]["pages"]:
            break
        page += 1
    assert numeros == [f"F-{n:03d}" for n in range(12)]
    premiere = corps["listeFactures"][0]
    assert premiere["codeDestinataire"] == monde.commune.identifiant and premiere["statut"] == "MISE_A_DISPOSITION"
    assert premiere["cadreFacturation"] == "A1_FACTURE_FOURNISSEUR" and premiere["montantTTC"] == 1200.0
    filtre = monde.fournisseur.appeler(
        client,
        "factures/v1/rechercher/fournisseur",
        {"numeroFacture": "F-003", "statutCourant": ["MISE_A_DISPOSITION"]},
        **entetes,
    ).json()
    assert [f["numeroFacture"] for f in filtre["listeFactures"]] == ["F-003"]
    # numeroFacture is the whole number, as a client that looks up its invoice sends it: not the portal's prefix
    debut = monde.fournisseur.appeler(
        client, "factures/v1/rechercher/fournisseur", {"numeroFacture": "F-00"}, **entetes
    )
    assert debut.json()["listeFactures"] == []
    mauvais = monde.fournisseur.appeler(
        client, "factures/v1/rechercher/fournisseur", {"statutCourant": ["XX"]}, **entetes
    )
    assert mauvais.status_code == 400 and mauvais.json()["champ"] == "statutCourant"


def test_consulter_et_historique(client, monde):
    facture = facture_deposee(monde.fournisseur.structure, monde.commune, numero="F-001", montant_ht="250.00")
    entetes = monde.fournisseur.entetes(client)
    corps = monde.fournisseur.appeler(
        client, "factures/v1/consulter/fournisseur", {"identifiantFactureCPP": facture.pk}, **entetes
    ).json()
    assert corps["numeroFacture"] == "F-001" and corps["montantTotal"]["montantTtcTotal"] == 300.0
    assert corps["ligneTva"] == [
        {"ligneTvaTaux": 20.0, "ligneTvaMontantBaseHtParTaux": 250.0, "ligneTvaMontantTvaParTaux": 50.0}
    ]
    assert corps["destinataire"]["identifiant"] == monde.commune.identifiant
    historique = monde.fournisseur.appeler(
        client, "factures/v1/consulter/historique", {"idFacture": facture.pk}, **entetes
    ).json()
    assert historique["statutCourantCode"] == "MISE_A_DISPOSITION"
    assert historique["historiquesDesStatuts"]["histoStatut"][-1]["histoStatutCode"] == "MISE_A_DISPOSITION"


def test_la_facture_d_un_autre_est_introuvable(client, monde):
    facture = facture_deposee(monde.autre_fournisseur.structure, monde.commune, numero="AUTRE-1")
    entetes = monde.fournisseur.entetes(client)
    for service in ("factures/v1/consulter/fournisseur", "factures/v1/consulter/historique"):
        autre = monde.fournisseur.appeler(
            client, service, {"identifiantFactureCPP": facture.pk, "idFacture": facture.pk}, **entetes
        )
        absente = monde.fournisseur.appeler(
            client, service, {"identifiantFactureCPP": 999999, "idFacture": 999999}, **entetes
        )
        assert autre.status_code == absente.status_code == 404 and autre.json() == absente.json()
    traitement = monde.fournisseur.appeler(
        client, "factures/v1/traiter/recue", {"idFacture": facture.pk, "nouveauStatut": "MISE_EN_PAIEMENT"}, **entetes
    )
    assert traitement.status_code == 404
    assert Facture.objects.get(pk=facture.pk).statut == "MISE_A_DISPOSITION"


def test_le_destinataire_recherche_consulte_et_traite(client, monde):
    facture = facture_deposee(monde.fournisseur.structure, monde.commune, numero="F-010")
    entetes = monde.recipiendaire.entetes(client)
    liste = monde.recipiendaire.appeler(client, "factures/v1/rechercher/recipiendaire", {}, **entetes).json()
    assert [(f["idFacture"], f["designationFournisseur"]) for f in liste["listeFactures"]] == [
        (facture.pk, monde.fournisseur.structure.raison_sociale)
    ]
    detail = monde.recipiendaire.appeler(
        client, "factures/v1/consulter/recipiendaire", {"idFacture": facture.pk}, **entetes
    ).json()
    assert detail["fournisseur"]["identifiant"] == monde.fournisseur.structure.identifiant

    sans_motif = monde.recipiendaire.appeler(
        client, "factures/v1/traiter/recue", {"idFacture": facture.pk, "nouveauStatut": "REJETEE"}, **entetes
    )
    assert sans_motif.status_code == 400
    assert sans_motif.json() == {
        "codeRetour": 20002,
        "libelle": "Le motif est obligatoire pour passer la facture au statut « Rejetée ».",
        "champ": "motif",
    }
    interdit = monde.recipiendaire.appeler(
        client, "factures/v1/traiter/recue", {"idFacture": facture.pk, "nouveauStatut": "DEPOSEE"}, **entetes
    )
    assert interdit.status_code == 409 and interdit.json()["codeRetour"] == 20005
    assert interdit.json()["libelle"] == (
        "Une facture au statut « Mise à disposition du destinataire » ne peut pas passer au statut « Déposée »."
    )
    ok = monde.recipiendaire.appeler(
        client,
        "factures/v1/traiter/recue",
        {"idFacture": facture.pk, "nouveauStatut": "SUSPENDUE", "motif": "Pièce justificative manquante"},
        **entetes,
    )
    assert ok.status_code == 200 and ok.json()["nouveauStatut"] == "SUSPENDUE" and ok.json()["dateTraitement"]
    assert Facture.objects.get(pk=facture.pk).statut == "SUSPENDUE"
    # the supplier's account does not process what it sent
    fournisseur = monde.fournisseur.appeler(
        client,
        "factures/v1/traiter/recue",
        {"idFacture": facture.pk, "nouveauStatut": "COMPLETEE"},
        **monde.fournisseur.entetes(client),
    )
    assert fournisseur.status_code == 404


def test_une_structure_privee_sans_facture_n_a_aucun_resultat(client, db):
    integrateur = Integrateur(StructureFactory())
    corps = integrateur.appeler(client, "factures/v1/rechercher/fournisseur", {}).json()
    assert (corps["codeRetour"], corps["listeFactures"]) == (20000, [])


def test_les_recherches_en_requetes_fixes_et_chaque_champ_lu(client, monde):
    """The searches read only the columns their rows use (raccordement/api/factures.py): every field comes right, and
    a page of five rows with every party filled (author, validators, deposit flux) costs what a page of one costs —
    a column left out would be fetched row by row."""
    from django.utils import timezone

    from raccordement.enums import CanalFlux
    from raccordement.models import Flux, FluxFacture
    from tests.factories import UtilisateurFactory
    from tests.raccordement.test_api_valideurs_travaux import nb_requetes

    auteur = UtilisateurFactory(prenom="Paul", nom="Portail")
    deposant = UtilisateurFactory(prenom="Fanny", nom="Fournier")
    valideurs = StructureFactory(raison_sociale="Titulaire"), StructureFactory(raison_sociale="Cotraitant")

    def nouveau_flux(numero, **par):
        return Flux.objects.create(
            numero=numero,
            structure=monde.fournisseur.structure,
            canal=CanalFlux.EDI,
            nom_fichier="flux.xml",
            fichier="raccordement/flux/flux.xml",
            sha256="0" * 64,
            recu_le=timezone.now(),
            **par,
        )

    par_personne = nouveau_flux("CPP0000000042", depose_par=deposant)
    par_compte = nouveau_flux("CPP0000000043", compte_technique=monde.fournisseur.compte)

    def deposer(rang):
        # odd rows: entered on the portal by `auteur`; even rows: by flux, of a person or of a technical account
        facture = facture_deposee(
            monde.fournisseur.structure,
            monde.commune,
            numero=f"F-{rang:03d}",
            valideur_1=valideurs[0],
            valideur_2=valideurs[1],
            rejet_traite_le=timezone.now(),
            cree_par=auteur if rang % 2 else None,
        )
        Facture.objects.filter(pk=facture.pk).update(commentaire_statut="Vu")
        flux = par_compte if rang % 4 == 2 else par_personne
        FluxFacture.objects.create(flux=flux, rang=rang, numero_facture=facture.numero, facture=facture, integree=True)

    deposer(1)
    fournisseur = monde.fournisseur.entetes(client)
    recipiendaire = monde.recipiendaire.entetes(client)

    def chercher(integrateur, entetes, chemin):
        return lambda: integrateur.appeler(client, f"factures/v1/rechercher/{chemin}", {}, **entetes)

    une = [
        nb_requetes(chercher(monde.fournisseur, fournisseur, "fournisseur")),
        nb_requetes(chercher(monde.recipiendaire, recipiendaire, "recipiendaire")),
    ]
    for rang in range(2, 6):
        deposer(rang)
    assert nb_requetes(chercher(monde.fournisseur, fournisseur, "fournisseur")) == une[0]
    assert nb_requetes(chercher(monde.recipiendaire, recipiendaire, "recipiendaire")) == une[1]

    lignes = chercher(monde.fournisseur, fournisseur, "fournisseur")().json()["listeFactures"]
    attendu = {
        "numeroFacture": "F-001",
        "designationFournisseur": monde.fournisseur.structure.raison_sociale,
        "designationDestinataire": "Commune de Valbourg",
        "codeValideur1": valideurs[0].identifiant,
        "codeValideur2": valideurs[1].identifiant,
        "numeroFluxDepot": "CPP0000000042",
        "nomPrenomUtilisateurCreateur": "Paul Portail",
        "commentaireEtatCourant": "Vu",
        "rejetTraite": True,
        "montantTTC": 1200.0,
        "modeDepot": "SAISIE_PORTAIL",
    }
    assert {cle: lignes[0][cle] for cle in attendu} == attendu
    createurs = [(ligne["numeroFluxDepot"], ligne["nomPrenomUtilisateurCreateur"]) for ligne in lignes[1:4]]
    assert createurs == [
        ("CPP0000000043", f"Compte technique {monde.fournisseur.compte.login}"),
        ("CPP0000000042", "Paul Portail"),
        ("CPP0000000042", "Fanny Fournier"),
    ]
    [ligne, *_] = chercher(monde.recipiendaire, recipiendaire, "recipiendaire")().json()["listeFactures"]
    attendu = {
        "numeroFacture": "F-001",
        "codeFournisseur": monde.fournisseur.structure.identifiant,
        "designationFournisseur": monde.fournisseur.structure.raison_sociale,
        "codeDestinataire": monde.commune.identifiant,
        "statut": "MISE_A_DISPOSITION",
        "montantAPayer": 1200.0,
        "factureTelechargeeParDestinataire": False,
    }
    assert {cle: ligne[cle] for cle in attendu} == attendu
