import facturx
import pytest

from facturation.validation import valider
from tests.conftest import CORPUS, partage_requis
from tests.facturation.donnees import DONNEES, ORIGINES, au_profil


@pytest.mark.parametrize("nom", sorted(ORIGINES))
def test_la_copie_ne_differe_de_l_exemple_que_par_les_attributs_hors_profil(nom):
    origine = partage_requis(CORPUS / ORIGINES[nom])
    _nom, xml_origine = facturx.get_xml_from_pdf(origine.read_bytes(), check_xsd=False)
    _nom, xml_copie = facturx.get_xml_from_pdf((DONNEES / nom).read_bytes(), check_xsd=False)
    assert xml_copie == au_profil(xml_origine) != xml_origine
    assert not valider(xml_origine, "cii").est_valide
    assert valider(xml_copie, "cii").erreurs == []
