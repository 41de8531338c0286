"""The whole public-recipient directory as CSV or XML (the Annuaire page's downloads and the API's
`telecharger/annuaire/destinataire`, chorus-pro-api.md §2.5), written in pieces: rows are written while the
structures are read in chunks, so memory stays flat whatever the size.

XML layout (names after the API's fields, chorus-pro-api.md §2.3 and §4.8)::

    <annuaireDestinataires dateGeneration="2026-01-31T10:00:00+01:00">
      <destinataire>
        <typeIdentifiantStructure>SIRET</typeIdentifiantStructure>
        <identifiantStructure>…</identifiantStructure>
        <raisonSociale>…</raisonSociale>
        <adressePostale><adresse/><complementAdresse1/><complementAdresse2/><codePostal/><ville/><pays/></adressePostale>
        <parametres>
          <codeServiceDoitEtreRenseigne>true|false</codeServiceDoitEtreRenseigne>
          <numeroEJDoitEtreRenseigne/> <gestionNumeroEJOuCodeService/> <statutMiseEnPaiementNestPasRemonte/>
          <estMoaUniquement/>
        </parametres>
        <services>
          <service><codeService/><libelleService/><numeroEngagement>true|false</numeroEngagement>
                   <miseEnPaiement>true|false</miseEnPaiement></service>
        </services>
      </destinataire>
    </annuaireDestinataires>

Only active services are listed; private structures and structures not active never appear.
"""

import csv
import io
import re
from xml.sax.saxutils import XMLGenerator

from django.utils import timezone

from organisation.selectors import annuaire

CHAMPS_XML = {
    "code_service_obligatoire": "codeServiceDoitEtreRenseigne",
    "engagement_obligatoire": "numeroEJDoitEtreRenseigne",
    "engagement_ou_service": "gestionNumeroEJOuCodeService",
    "statut_mise_en_paiement_non_remonte": "statutMiseEnPaiementNestPasRemonte",
    "moa_uniquement": "estMoaUniquement",
}
ADRESSE_XML = [
    ("adresse", "adresse"),
    ("complement_1", "complementAdresse1"),
    ("complement_2", "complementAdresse2"),
    ("code_postal", "codePostal"),
    ("ville", "ville"),
    ("pays", "pays"),
]
# characters XML 1.0 cannot carry, even escaped
_HORS_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# a cell starting with one of these is run as a formula by spreadsheets
_DEBUT_FORMULE = ("=", "+", "-", "@", "\t", "\r")


def _oui_non(valeur):
    return "Oui" if valeur else "Non"


def _cellule(valeur):
    valeur = str(valeur or "")
    return "'" + valeur if valeur.startswith(_DEBUT_FORMULE) else valeur


def _services_texte(structure):
    return " | ".join(
        f"{s.code} : {s.libelle}" + (" (numéro d'engagement obligatoire)" if s.engagement_obligatoire else "")
        for s in structure.services_actifs
    )


class _Echo:
    def write(self, valeur):
        return valeur


def lignes_csv():
    ecrivain = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"  # so that spreadsheets read UTF-8
    yield ecrivain.writerow(
        ["Type d'identifiant", "Identifiant", "Raison sociale", "Adresse", "Complément d'adresse 1",
         "Complément d'adresse 2", "Code postal", "Ville", "Pays",
         *(annuaire.libelle_parametre(champ) for champ in annuaire.PARAMETRES), "Services actifs"]
    )  # fmt: skip
    for structure in annuaire.annuaire_complet():
        yield ecrivain.writerow(
            [structure.get_type_identifiant_display(), structure.identifiant]
            + [_cellule(getattr(structure, champ)) for champ in ("raison_sociale", "adresse", "complement_1",
                                                                  "complement_2", "code_postal", "ville", "pays")]
            + [_oui_non(getattr(structure, champ)) for champ in annuaire.PARAMETRES]
            + [_cellule(_services_texte(structure))]
        )  # fmt: skip


def _texte(valeur):
    return _HORS_XML.sub("", str(valeur if valeur is not None else ""))


def _booleen(valeur):
    return "true" if valeur else "false"


class _Document:
    """An XMLGenerator writing into a buffer that is emptied after each structure: the escaping is the library's."""

    def __init__(self):
        self.tampon = io.StringIO()
        self.xml = XMLGenerator(self.tampon, encoding="utf-8", short_empty_elements=True)

    def element(self, nom, valeur):
        self.xml.startElement(nom, {})
        self.xml.characters(_texte(valeur))
        self.xml.endElement(nom)

    def vider(self):
        morceau = self.tampon.getvalue()
        self.tampon.seek(0)
        self.tampon.truncate(0)
        return morceau.encode("utf-8")


def _destinataire(doc, structure):
    xml = doc.xml
    xml.startElement("destinataire", {})
    doc.element("typeIdentifiantStructure", structure.type_identifiant)
    doc.element("identifiantStructure", structure.identifiant)
    doc.element("raisonSociale", structure.raison_sociale)
    xml.startElement("adressePostale", {})
    for champ, nom in ADRESSE_XML:
        doc.element(nom, getattr(structure, champ))
    xml.endElement("adressePostale")
    xml.startElement("parametres", {})
    for champ, nom in CHAMPS_XML.items():
        doc.element(nom, _booleen(getattr(structure, champ)))
    xml.endElement("parametres")
    xml.startElement("services", {})
    for service in structure.services_actifs:
        xml.startElement("service", {})
        doc.element("codeService", service.code)
        doc.element("libelleService", service.libelle)
        doc.element("numeroEngagement", _booleen(service.engagement_obligatoire))
        doc.element("miseEnPaiement", _booleen(service.mise_en_paiement))
        xml.endElement("service")
    xml.endElement("services")
    xml.endElement("destinataire")


def morceaux_xml():
    doc = _Document()
    doc.xml.startDocument()
    doc.xml.startElement(
        "annuaireDestinataires", {"dateGeneration": timezone.localtime().isoformat(timespec="seconds")}
    )
    yield doc.vider()
    for structure in annuaire.annuaire_complet():
        _destinataire(doc, structure)
        yield doc.vider()
    doc.xml.endElement("annuaireDestinataires")
    doc.xml.endDocument()
    yield doc.vider()
