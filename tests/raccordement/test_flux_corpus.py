"""The whole acceptance corpus (MANIFEST.tsv) through the flux pipeline, synchronously (the integration function,
not the worker): every file marked valid passes the format, XSD and EN 16931 layers (it may then fail the Chorus Pro
routing rules when its parties are unknown here: then only those), every file marked invalid is rejected with errors
naming their rule and their field or place, none crashes. The FNFE examples integrate end to end into the demo
data set's FNFE structures.

The expected verdict is that of tests/facturation/validation/test_corpus.py (verdicts_corpus.csv, else the manifest).
"""

from pathlib import PurePath

import pytest

from facturation.matelas import charger_structures_fnfe
from facturation.services.televersement import COUCHE_CHORUS
from organisation.enums import TypeIdentifiant
from organisation.models import Structure
from raccordement.enums import CanalFlux, EtatFlux
from raccordement.models import FluxErreur, FluxFacture
from raccordement.services.flux import flux_integrer, flux_recevoir
from tests.facturation.validation.test_corpus import CORPUS, LIGNES, PREFIXE_ZUGFERD_1, verdict_attendu
from tests.raccordement.flux_donnees import SIRET_VENDEUR_FNFE

pytestmark = pytest.mark.django_db

# FNFE examples that pass every layer but a Chorus Pro rule: they stay rejected, by that rule only (asserted below).
FNFE_CHORUS = {
    "files/zugferd-corpus/ZUGFeRDv2/correct/FNFE-factur-x-examples/Facture_DOM_MINIMUM.pdf": "profil MINIMUM : net à "
    "payer (BT-115) inférieur au TTC sans montant déjà payé (BT-113, absent du profil) : le contrôle des montants "
    "de Chorus Pro le refuse",
    "files/zugferd-corpus/ZUGFeRDv2/correct/FNFE-factur-x-examples/Facture_FR_MINIMUM.pdf": "profil MINIMUM : net à "
    "payer (BT-115) inférieur au TTC sans montant déjà payé (BT-113, absent du profil) : le contrôle des montants "
    "de Chorus Pro le refuse",
}


def _cas():
    if not LIGNES:
        return [pytest.param(None, id="corpus-absent")]
    return [pytest.param(ligne, id=ligne["path"].removeprefix("files/")) for ligne in LIGNES]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def deposant(db):
    """The FNFE seller of the demo data set: the corpus's French examples are its invoices."""
    charger_structures_fnfe()
    return Structure.objects.get(type_identifiant=TypeIdentifiant.SIRET, identifiant=SIRET_VENDEUR_FNFE)


def _integrer(deposant, ligne):
    chemin = CORPUS / ligne["path"]
    flux = flux_recevoir(
        structure=deposant,
        contenu=chemin.read_bytes(),
        nom_fichier=PurePath(chemin).name,
        canal=CanalFlux.API,
        compte_technique=_compte(deposant),
    )
    flux_integrer(flux_id=flux.pk)
    flux.refresh_from_db()
    return flux


def _compte(structure):
    from django.utils import timezone

    from raccordement.models import CompteTechnique

    compte, _ = CompteTechnique.objects.get_or_create(
        login="corpus-fnfe",
        defaults={
            "structure": structure,
            "mot_de_passe": "!",
            "mot_de_passe_expire_le": timezone.now() + timezone.timedelta(days=30),
            "actif_le": timezone.now(),
        },
    )
    return compte


@pytest.mark.parametrize("ligne", _cas())
def test_le_corpus_dans_le_pipeline(deposant, ligne):
    if ligne is None:
        pytest.skip(f"corpus absent : {CORPUS}")
    flux = _integrer(deposant, ligne)

    assert flux.etat in (EtatFlux.IN_INTEGRE, EtatFlux.IN_REJETE)
    (facture,) = FluxFacture.objects.filter(flux=flux)
    erreurs = list(FluxErreur.objects.filter(flux=flux))
    assert all(e.flux_facture_id == facture.pk for e in erreurs)  # no technical error: the flux itself was fine
    hors_chorus = [e for e in erreurs if e.couche != COUCHE_CHORUS]
    if ligne["guideline"].startswith(PREFIXE_ZUGFERD_1) and ligne["expected"] == "valid":
        assert [e.code for e in hors_chorus] in (["FORMAT_NON_PRIS_EN_CHARGE"], ["PROFIL_INCONNU"])
        return
    if verdict_attendu(ligne) == "valid":
        assert hors_chorus == [], "\n".join(f"{e.couche} {e.code} {e.message}" for e in hors_chorus)
        vendeur_fnfe = ligne["seller_id"] == f"0002:{SIRET_VENDEUR_FNFE}"
        acheteur_fnfe = ligne["buyer_id"].startswith("0002:") and ligne["path"] not in FNFE_CHORUS
        if vendeur_fnfe and acheteur_fnfe and ligne["path"] in FNFE_CHORUS:
            assert flux.etat == EtatFlux.IN_REJETE and erreurs
        elif vendeur_fnfe and acheteur_fnfe:
            # the FNFE examples: seller and buyers are in the demo data set, the invoice is integrated
            assert flux.etat == EtatFlux.IN_INTEGRE, "\n".join(e.message for e in erreurs)
            assert facture.facture.fournisseur == deposant
        else:
            assert flux.etat == EtatFlux.IN_REJETE or not erreurs
        return
    # invalid: rejected, every error naming its rule and its field or place in the file
    assert flux.etat == EtatFlux.IN_REJETE
    assert hors_chorus, "rejeté par les seules règles Chorus Pro : " + "; ".join(e.message for e in erreurs)
    for e in hors_chorus:
        assert e.code and e.message
        assert e.champ or e.emplacement or e.code in ("XML_DOCTYPE", "FORMAT_INCONNU", "FORMAT_ILLISIBLE"), e.message
