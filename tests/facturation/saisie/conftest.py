import pytest

from organisation.enums import Application, Niveau, StatutStructure, TypeIdentifiant
from organisation.matelas import siret_fictif
from organisation.models import CoordonneeBancaire, Service, Structure
from tests.conftest import connecter
from tests.factories import UtilisateurFactory, rattacher


def structure(graine, raison_sociale, *, est_publique=False, **champs):
    return Structure.objects.create(
        type_identifiant=TypeIdentifiant.SIRET,
        identifiant=siret_fictif(graine),
        raison_sociale=raison_sociale,
        est_publique=est_publique,
        statut=champs.pop("statut", StatutStructure.ACTIVE),
        **champs,
    )


class Monde:
    """A supplier (with its VAT number, a service and two bank accounts), a public recipient with two services
    (one inactive), a validator, an outsider of another supplier."""

    def __init__(self):
        self.fournisseur = structure(101, "Menuiserie Dubois", numero_tva="FR32123456789")
        self.service_fournisseur = Service.objects.create(
            structure=self.fournisseur, code="COMPTA", libelle="Comptabilité"
        )
        self.compte = CoordonneeBancaire.objects.create(
            structure=self.fournisseur,
            titulaire="Menuiserie Dubois",
            iban="FR7630006000011234567890189",
            bic="AGRIFRPP",
        )
        self.affactureur = CoordonneeBancaire.objects.create(
            structure=self.fournisseur, titulaire="Factor SA", iban="FR7630004000031234567890143", affactureur=True
        )
        self.destinataire = structure(201, "Mairie de Lyon", est_publique=True)
        self.service = Service.objects.create(structure=self.destinataire, code="ACHATS", libelle="Service achats")
        self.service_inactif = Service.objects.create(
            structure=self.destinataire, code="ANCIEN", libelle="Ancien service", actif=False
        )
        self.valideur = structure(301, "Entreprise Générale BTP")
        self.utilisateur = UtilisateurFactory()
        rattacher(self.utilisateur, self.fournisseur, (Application.FACTURES_EMISES, Niveau.MODIFICATION))
        self.autre_fournisseur = structure(401, "Concurrent SARL", numero_tva="FR11401401401")
        self.etranger = UtilisateurFactory()
        rattacher(self.etranger, self.autre_fournisseur, (Application.FACTURES_EMISES, Niveau.MODIFICATION))


@pytest.fixture
def monde(db):
    return Monde()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def client_fournisseur(client, monde):
    return connecter(client, monde.utilisateur)


def donnees(monde, action="valider", lignes=None, **champs):
    """The POST of the entry form, two lines at 20 % and 5.5 % unless told otherwise."""
    lignes = (
        lignes
        if lignes is not None
        else [
            {"designation": "Pose de fenêtres", "quantite": "2", "prix_unitaire_ht": "500", "taux_tva": "20"},
            {"designation": "Livres", "quantite": "10", "prix_unitaire_ht": "20", "taux_tva": "5.5"},
        ]
    )
    post = {
        "action": action,
        "cadre": "A1",
        "destinataire": monde.destinataire.identifiant,
        "code_service": "",
        "fournisseur": str(monde.fournisseur.pk),
        "service_fournisseur": "",
        "coordonnee_bancaire": "",
        "numero": "FA-2026-001",
        "date_facture": "2026-03-15",
        "devise": "EUR",
        "type_facture": "FACTURE",
        "numero_facture_origine": "",
        "type_tva": "TVA_SUR_DEBIT",
        "motif_exoneration": "",
        "mode_paiement": "VIREMENT",
        "numero_engagement": "",
        "numero_marche": "",
        "remise_globale": "",
        "motif_remise_globale": "",
        "commentaire": "",
        "siret_valideur": "",
        "code_service_valideur": "",
        "lignes-TOTAL_FORMS": str(max(len(lignes), 1)),
        "lignes-INITIAL_FORMS": "0",
        "lignes-MIN_NUM_FORMS": "0",
        "lignes-MAX_NUM_FORMS": "500",
    }
    # a row left empty in a browser still sends its two lists' values
    for i, ligne in enumerate(
        lignes or [{"designation": "", "quantite": "", "prix_unitaire_ht": "", "taux_tva": "20"}]
    ):
        valeurs = {"reference": "", "unite": "C62", "remise": "", **ligne}
        for nom, valeur in valeurs.items():
            post[f"lignes-{i}-{nom}"] = valeur
    post.update(champs)
    return post
