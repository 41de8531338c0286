"""A VAT breakdown without rate (BT-119) in EXTENDED and EXTENDED-CTC-FR: no amount is « at its rate », so its base
rule expects 0 and the explanation says why (Akretion's EXTENDED sample, the rate of its E breakdown removed)."""

import pytest

from facturation.formats.lecture import lire
from facturation.validation import couches, montants
from tests.facturation.televersement.conftest import corpus_octets

EXTENDED = "files/akretion-factur-x/xml/factur-x-extended.xml"
BT24_EXTENDED = b"urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended</ram:ID>"
BT24_CTC_FR = b"urn:cen.eu:en16931:2017#conformant#urn.cpro.gouv.fr:1p0:extended-ctc-fr</ram:ID>"


def _sans_taux_de_la_ventilation_e(octets):
    debut = octets.index(b"<ram:RateApplicablePercent>", octets.index(b"<ram:BasisAmount>60.00</ram:BasisAmount>"))
    fin = octets.index(b"</ram:RateApplicablePercent>", debut) + len(b"</ram:RateApplicablePercent>")
    return octets[:debut] + octets[fin:]


@pytest.mark.parametrize(("bt24", "regle"), [(BT24_EXTENDED, "BR-FXEXT-E-08b"), (BT24_CTC_FR, "BR-FXEXT-E-08")])
def test_ventilation_sans_taux(bt24, regle):
    contenu = _sans_taux_de_la_ventilation_e(corpus_octets(EXTENDED)).replace(BT24_EXTENDED, bt24)
    rapport = couches.valider(contenu, "cii")
    _syntaxe, neutre, _xml = lire(contenu, taille_max=10 * 1024 * 1024)

    ecarts = montants.controler(neutre, "cii", rapport.profil)

    couvertes = {code for code, _ in montants.regles(montants.artefact("cii", rapport.profil))}
    artefact = {a.code for a in rapport.anomalies if a.couche == couches.COUCHE_EN16931}
    assert {e.regle for e in ecarts} == artefact & couvertes
    assert {regle, "BR-FXEXT-E-08ini", "BR-FXEXT-E-08rev"} <= artefact
    (ini,) = [e for e in ecarts if e.regle == "BR-FXEXT-E-08ini"]
    assert (ini.champ, ini.valeur_trouvee) == ("BT-116 (E)", "60,00 EUR")
    assert ini.valeur_attendue == (
        "BT-116 = Σ BT-131 + Σ BT-99 − Σ BT-92 (catégorie E, sans taux (BT-119) : aucun montant au même taux) "
        "= 0,00 + 0,00 − 0,00 = 0,00 EUR"
    )
