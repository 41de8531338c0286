"""Lifecycle messages out (issue #6): each status change of an invoice deposited by flux tells its connected supplier
(status, date, motif, a complement of at most 80 characters without special characters), once; an invoice rejected
at integration gives « Rejetée » (213); the CDAR rendering has the shape of the corpus's examples; EDI structures
receive the messages as files in their drop directory."""

from datetime import timedelta

import pytest
from django.utils import timezone
from lxml import etree

from facturation.services.traitement import facture_traiter
from organisation.enums import Application, Niveau, StatutStructure
from organisation.models import Structure
from raccordement.cycle_vie import STATUTS_CDAR, complement_nettoye
from raccordement.enums import CanalFlux, ProtocoleRaccordement, TypeRaccordement
from raccordement.models import FicheRaccordement, Flux, FluxErreur, FluxFacture, MessageCycleVie
from raccordement.services.cycle_vie import contenu_message, remettre_edi
from tests.conftest import CORPUS
from tests.factories import StructureFactory, UtilisateurFactory, facture_deposee, rattacher

pytestmark = pytest.mark.django_db

CDAR = CORPUS / "files/phive-rules/ctc/1.4.0.03/cdar"


class Circuit:
    def __init__(self, *, connecte=TypeRaccordement.EDI):
        self.fournisseur = StructureFactory(raison_sociale="Fournisseur connecté")
        self.destinataire = StructureFactory(raison_sociale="Commune de Valbourg", est_publique=True)
        Structure.objects.filter(pk=self.destinataire.pk).update(statut=StatutStructure.ACTIVE)
        self.destinataire.refresh_from_db()
        self.agent = UtilisateurFactory()
        rattacher(self.agent, self.destinataire, (Application.FACTURES_RECUES, Niveau.MODIFICATION))
        if connecte:
            FicheRaccordement.objects.create(
                structure=self.fournisseur,
                type_raccordement=connecte,
                protocole=(
                    ProtocoleRaccordement.SFTP if connecte == TypeRaccordement.EDI else ProtocoleRaccordement.API
                ),
            )
        self.flux = Flux.objects.create(
            numero=f"CPP{Flux.objects.count() + 1:010d}",
            structure=self.fournisseur,
            canal=CanalFlux.EDI,
            nom_fichier="flux.xml",
            fichier="raccordement/flux/flux.xml",
            sha256="0" * 64,
            recu_le=timezone.now(),
        )

    def facture_par_flux(self, numero="FX-001", rang=1):
        facture = facture_deposee(self.fournisseur, self.destinataire, numero=numero)
        FluxFacture.objects.create(flux=self.flux, rang=rang, numero_facture=numero, facture=facture, integree=True)
        return facture


def messages():
    return list(MessageCycleVie.objects.order_by("pk").values_list("numero_facture", "statut", "code_cdar"))


def test_chaque_changement_de_statut_d_une_facture_de_flux(django_capture_on_commit_callbacks):
    circuit = Circuit()
    facture = circuit.facture_par_flux()
    with django_capture_on_commit_callbacks(execute=True):
        facture_traiter(
            facture=facture,
            par=circuit.agent,
            statut_cible="SUSPENDUE",
            motif="Pièce justificative manquante",
            commentaire=(
                "Joindre le PV de réception\nsigné — « urgent » <b>svp</b> & merci, avant le 31/12 ; cordialement"
            ),
        )
    with django_capture_on_commit_callbacks(execute=True):
        facture_traiter(facture=facture, par=circuit.agent, statut_cible="REJETEE", motif="Facture en double")
    assert messages() == [("FX-001", "SUSPENDUE", "207"), ("FX-001", "REJETEE", "210")]
    suspendue = MessageCycleVie.objects.get(statut="SUSPENDUE")
    assert suspendue.motif == "Pièce justificative manquante"
    assert len(suspendue.complement) <= 80
    assert suspendue.complement == "Joindre le PV de reception signe - urgent bsvp/b merci, avant le 31/12 ; cordial"
    assert "\n" not in suspendue.complement and "<" not in suspendue.complement


def test_le_complement_est_nettoye():
    assert complement_nettoye("Été\t— « ok » <x>&y\r\n") == "Ete - ok xy"
    assert len(complement_nettoye("a" * 200)) == 80
    assert complement_nettoye("") == ""


def test_pas_de_message_sans_raccordement_ni_pour_une_facture_du_portail(django_capture_on_commit_callbacks):
    sans = Circuit(connecte=None)
    facture = sans.facture_par_flux()
    portail = Circuit()
    du_portail = facture_deposee(portail.fournisseur, portail.destinataire, numero="PORTAIL-1")
    with django_capture_on_commit_callbacks(execute=True):
        facture_traiter(facture=facture, par=sans.agent, statut_cible="MISE_EN_PAIEMENT")
        facture_traiter(facture=du_portail, par=portail.agent, statut_cible="MISE_EN_PAIEMENT")
    assert messages() == []


def test_un_message_par_statut_meme_si_le_crochet_passe_deux_fois(django_capture_on_commit_callbacks):
    from raccordement.services.cycle_vie import message_statut_produire

    circuit = Circuit(connecte=TypeRaccordement.API)
    facture = circuit.facture_par_flux()
    with django_capture_on_commit_callbacks(execute=True):
        historique = facture_traiter(facture=facture, par=circuit.agent, statut_cible="MISE_EN_PAIEMENT")
    assert message_statut_produire(historique=historique) is None
    assert messages() == [("FX-001", "MISE_EN_PAIEMENT", "211")]


def test_le_rejet_a_l_integration_donne_rejetee_213(django_capture_on_commit_callbacks, settings, tmp_path):
    """An invoice the pipeline refuses (unknown recipient) tells its connected depositor « Rejetée » (213), with the
    first error as motif; a supplier without connection is told nothing."""
    from raccordement.services.flux import flux_recevoir
    from tests.raccordement.flux_donnees import facture_cii

    settings.MEDIA_ROOT = tmp_path / "media"
    circuit, sans = Circuit(), Circuit(connecte=None)
    for c, numero in ((circuit, "FX-BAD"), (sans, "FX-BAD-2")):
        deposant = UtilisateurFactory()
        rattacher(deposant, c.fournisseur, (Application.FACTURES_EMISES, Niveau.MODIFICATION))
        mauvaise = facture_cii(numero, vendeur=c.fournisseur.identifiant, acheteur="99999999999999")
        with django_capture_on_commit_callbacks(execute=True):
            flux_recevoir(
                structure=c.fournisseur, contenu=mauvaise, nom_fichier="f.xml", canal=CanalFlux.PORTAIL, par=deposant
            )
    flux = Flux.objects.get(structure=circuit.fournisseur, nom_fichier="f.xml")
    [message] = MessageCycleVie.objects.all()
    premiere = FluxErreur.objects.filter(flux=flux).order_by("rang").first()
    assert (message.statut, message.code_cdar, message.numero_facture) == ("REJET_INTEGRATION", "213", "FX-BAD")
    assert message.motif == premiere.message and "99999999999999" in message.motif
    nombre = FluxErreur.objects.filter(flux=flux).count()
    assert message.complement == f"Flux {flux.numero} : {nombre} erreur(s)"
    racine = etree.fromstring(contenu_message(message))
    assert racine.findtext(".//{*}ProcessConditionCode") == "213"
    assert racine.findtext(".//{*}ProcessCondition") == "Rejetée"


def _chemins(racine):
    """The element paths of a document, without repetitions (the shape, not the values)."""
    arbre = etree.ElementTree(racine)
    chemins = []
    for element in racine.iter():
        if not isinstance(element.tag, str):
            continue
        chemin = "/".join(etree.QName(e).localname for e in [*element.iterancestors()][::-1] + [element])
        if chemin not in chemins:
            chemins.append(chemin)
    del arbre
    return chemins


@pytest.mark.parametrize(
    ("statut", "exemple"),
    [
        ("MISE_A_DISPOSITION", "UC1_F202500003_03-CDV-203_Mise_a_disposition.xml"),
        ("MANDATEE", "UC1_F202500003_04-CDV-204_Prise_en_charge.xml"),
        ("SERVICE_FAIT", "UC1_F202500003_05-CDV-205_Approuvee.xml"),
    ],
)
def test_le_cdar_a_la_forme_des_exemples_du_corpus(statut, exemple):
    circuit = Circuit()
    facture = circuit.facture_par_flux(numero="F202500003")
    message = MessageCycleVie.objects.create(
        facture=facture,
        structure=circuit.fournisseur,
        numero_facture=facture.numero,
        statut=statut,
        date_statut=timezone.now() - timedelta(minutes=5),
        code_cdar=STATUTS_CDAR[statut].code,
    )
    produit = etree.fromstring(contenu_message(message))
    attendu = etree.parse(str(CDAR / exemple), etree.XMLParser(remove_comments=True, resolve_entities=False))
    assert _chemins(produit) == _chemins(attendu.getroot())
    for nom in ("ProcessConditionCode", "ProcessCondition", "StatusCode"):
        assert produit.findtext(f".//{{*}}ReferenceReferencedDocument/{{*}}{nom}") == attendu.findtext(
            f".//{{*}}ReferenceReferencedDocument/{{*}}{nom}"
        )
    assert produit.findtext(".//{*}AcknowledgementDocument/{*}TypeCode") == attendu.findtext(
        ".//{*}AcknowledgementDocument/{*}TypeCode"
    )
    assert produit.findtext(".//{*}IssuerAssignedID") == "F202500003"


def test_les_fichiers_du_repertoire_edi(django_capture_on_commit_callbacks, settings, tmp_path):
    settings.EDI_DEPOT_DIR = tmp_path / "edi"
    circuit = Circuit()
    api = Circuit(connecte=TypeRaccordement.API)
    # created outside the hook's reach: only the payment below gives a message
    edi, par_api = circuit.facture_par_flux(), api.facture_par_flux("FX-API")
    with django_capture_on_commit_callbacks(execute=True):
        facture_traiter(facture=edi, par=circuit.agent, statut_cible="MISE_EN_PAIEMENT")
        facture_traiter(facture=par_api, par=api.agent, statut_cible="MISE_EN_PAIEMENT")
    assert remettre_edi() == 1  # the API-only supplier reads its messages through the API
    assert remettre_edi() == 0
    [fichier] = (tmp_path / "edi" / circuit.fournisseur.identifiant / "cycle_vie").iterdir()
    assert fichier.name.startswith("FX-001-CDV-211-") and fichier.suffix == ".xml"
    assert etree.parse(str(fichier)).findtext(".//{*}ProcessConditionCode") == "211"
    message = MessageCycleVie.objects.get(numero_facture="FX-001")
    assert message.remis_le is not None and message.fichier_edi == str(fichier)
    assert MessageCycleVie.objects.get(numero_facture="FX-API").remis_le is None


def test_le_depot_par_flux_donne_deposee_puis_mise_a_disposition(
    django_capture_on_commit_callbacks, settings, tmp_path
):
    """The deposit's history is written in bulk (no signal per row): the flux row tells it once committed."""
    from raccordement.services.flux import flux_recevoir
    from tests.raccordement.flux_donnees import facture_cii

    settings.MEDIA_ROOT = tmp_path / "media"
    circuit = Circuit()
    deposant = UtilisateurFactory()
    rattacher(deposant, circuit.fournisseur, (Application.FACTURES_EMISES, Niveau.MODIFICATION))
    bonne = facture_cii("FX-OK", vendeur=circuit.fournisseur.identifiant, acheteur=circuit.destinataire.identifiant)
    with django_capture_on_commit_callbacks(execute=True):
        flux_recevoir(
            structure=circuit.fournisseur, contenu=bonne, nom_fichier="f.xml", canal=CanalFlux.EDI, par=deposant
        )
    assert messages() == [("FX-OK", "DEPOSEE", "200"), ("FX-OK", "MISE_A_DISPOSITION", "203")]


def test_le_balayeur_ecrit_le_message_d_un_changement_dont_le_processus_est_mort(django_capture_on_commit_callbacks):
    import time_machine

    from raccordement.tasks import produire_messages_cycle_vie_manquants

    circuit = Circuit()
    facture = circuit.facture_par_flux()
    du_portail = facture_deposee(circuit.fournisseur, circuit.destinataire, numero="PORTAIL-1")
    with django_capture_on_commit_callbacks(execute=False):  # the process died before its after-commit hooks
        facture_traiter(facture=facture, par=circuit.agent, statut_cible="REJETEE", motif="Facture en double")
        facture_traiter(facture=du_portail, par=circuit.agent, statut_cible="MISE_EN_PAIEMENT")
    assert produire_messages_cycle_vie_manquants() == 0  # too recent: its hook may still be running
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        assert produire_messages_cycle_vie_manquants() == 2  # the deposit's and the rejection's
        assert produire_messages_cycle_vie_manquants() == 0
    assert messages() == [("FX-001", "MISE_A_DISPOSITION", "203"), ("FX-001", "REJETEE", "210")]
