import pytest

from facturation.formats import FormatInvalide
from facturation.formats.xml_sur import parser_xml


def test_doctype_avec_entite_externe_refuse_sans_lire_le_fichier(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("NE-DOIT-PAS-FUIR")
    xml = (f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]><Invoice>&e;</Invoice>').encode()
    with pytest.raises(FormatInvalide, match="DOCTYPE") as exc:
        parser_xml(xml)
    assert "NE-DOIT-PAS-FUIR" not in str(exc.value)


def test_doctype_etc_passwd_refuse():
    xml = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    with pytest.raises(FormatInvalide, match="DOCTYPE") as exc:
        parser_xml(xml)
    assert "root:" not in str(exc.value)


def test_milliard_de_rires_refuse_sans_expansion():
    xml = (
        '<!DOCTYPE lolz [<!ENTITY l0 "lol">'
        + "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
        + "]><lolz>&l9;</lolz>"
    ).encode()
    with pytest.raises(FormatInvalide, match="DOCTYPE"):
        parser_xml(xml)


def test_doctype_sans_sous_ensemble_refuse():
    with pytest.raises(FormatInvalide, match="DOCTYPE"):
        parser_xml(b'<!DOCTYPE Invoice SYSTEM "http://exemple.invalid/x.dtd"><Invoice/>')


def test_taille_maximale():
    with pytest.raises(FormatInvalide, match="taille maximale"):
        parser_xml(b"<a>" + b"x" * 2000 + b"</a>", taille_max=1000)


def test_xml_mal_forme():
    with pytest.raises(FormatInvalide, match="mal formé"):
        parser_xml(b"<a><b></a>")


def test_xml_correct():
    assert parser_xml(b"\xef\xbb\xbf<a><b>1</b></a>").tag == "a"


def test_doctype_en_utf16_refuse_apres_analyse():
    xml = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY e "y">]><x>&e;</x>'.encode("utf-16")
    with pytest.raises(FormatInvalide, match="DOCTYPE"):
        parser_xml(xml)


def test_doctype_apres_commentaire_et_declaration():
    xml = b'<?xml version="1.0"?>\n<!-- licence -->\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    with pytest.raises(FormatInvalide, match="DOCTYPE"):
        parser_xml(xml)
