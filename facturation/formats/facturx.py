"""Génération d'une facture Factur-X (profil EN 16931) : PDF/A-3b lisible + CII embarqué.

Le PDF est rendu par WeasyPrint à partir d'un gabarit Django autonome (échappement automatique des valeurs),
puis le XML produit par ecrire_cii y est attaché par la bibliothèque factur-x (contrôle XSD compris).
"""

from decimal import ROUND_HALF_UP, Decimal

import facturx
from django.template import Context, Engine

from facturation.formats.ecriture_cii import DEVISE_DEFAUT, ecrire_cii, ventilation_depuis_lignes
from facturation.formats.modele import FactureNeutre, Partie
from facturation.unites import libelle_unite
from organisation.pays import nom_du_pays

_GABARIT = """<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>Facture {{ facture.numero }}</title>
<style>
  @page { size: A4; margin: 18mm 15mm; }
  body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; color: #161616; }
  h1 { font-size: 16pt; margin: 0 0 4mm; }
  .parties { display: flex; gap: 10mm; margin: 6mm 0; }
  .partie { flex: 1; border: 1px solid #ccc; padding: 3mm; }
  .partie h2 { font-size: 10pt; margin: 0 0 2mm; text-transform: uppercase; }
  .partie p { margin: 0 0 1.5mm; }
  .partie .nom { font-weight: bold; }
  h2 { font-size: 11pt; margin: 6mm 0 2mm; }
  p { margin: 0 0 2mm; }
  table { width: 100%; border-collapse: collapse; margin-top: 4mm; }
  th, td { border-bottom: 1px solid #ccc; padding: 1.5mm 2mm; text-align: left; }
  td.n, th.n { text-align: right; }
  .totaux { width: 50%; margin-left: 50%; }
  .references dt { font-weight: bold; float: left; clear: left; width: 55mm; }
  .references dd { margin-left: 55mm; }
</style>
</head>
<body>
<h1>Facture n° {{ facture.numero }}</h1>
<p>Date d'émission : {{ date }}{% if echeance %}<br>Date d'échéance : {{ echeance }}{% endif %}</p>
<dl class="references">
  {% if facture.reference_acheteur %}<dt>Code service</dt><dd>{{ facture.reference_acheteur }}</dd>{% endif %}
  {% if facture.engagement %}<dt>Numéro d'engagement</dt><dd>{{ facture.engagement }}</dd>{% endif %}
  {% if facture.marche %}<dt>Numéro de marché</dt><dd>{{ facture.marche }}</dd>{% endif %}
  {% if facture.facture_origine %}<dt>Facture d'origine</dt><dd>{{ facture.facture_origine }}</dd>{% endif %}
</dl>
<div class="parties">
  {% for titre, partie in parties %}
  <div class="partie">
    <h2>{{ titre }}</h2>
    <p class="nom">{{ partie.nom|default:"" }}</p>
    <p class="adresse">{% for ligne in partie.adresse %}{{ ligne }}<br>{% endfor %}{{ partie.pays }}</p>
    {% if partie.siret %}<p>SIRET : {{ partie.siret }}</p>{% endif %}
    {% if partie.tva %}<p>N° TVA : {{ partie.tva }}</p>{% endif %}
  </div>
  {% endfor %}
</div>
<table>
  <thead><tr>
    <th>N°</th><th>Désignation</th><th class="n">Quantité</th><th class="n">Prix unitaire HT</th>
    <th class="n">TVA</th><th class="n">Montant HT</th>
  </tr></thead>
  <tbody>
  {% for l in lignes %}
    <tr><td>{{ l.id }}</td><td>{{ l.designation }}</td><td class="n">{{ l.quantite }} {{ l.unite }}</td>
    <td class="n">{{ l.prix }}</td><td class="n">{{ l.taux }}</td><td class="n">{{ l.montant }}</td></tr>
  {% endfor %}
  </tbody>
</table>
<table class="totaux">
  {% for libelle, valeur in totaux %}<tr><th>{{ libelle }}</th><td class="n">{{ valeur }}</td></tr>{% endfor %}
</table>
{% if paiement %}<h2>Conditions de paiement</h2>
{% for texte in paiement %}<p>{{ texte }}</p>{% endfor %}{% endif %}
{% if facture.note %}<p>{{ facture.note|linebreaksbr }}</p>{% endif %}
</body>
</html>
"""

_MOTEUR = Engine(autoescape=True)


def _nombre(valeur: Decimal | None, decimales: int | None = 2) -> str:
    """Format français (« 1 234,56 ») sans dépendre de la locale du serveur."""
    if valeur is None:
        return ""
    if decimales is not None:
        valeur = valeur.quantize(Decimal(1).scaleb(-decimales), ROUND_HALF_UP)
    texte = format(valeur, "f")
    entier, _, fraction = texte.partition(".")
    signe = "-" if entier.startswith("-") else ""
    entier = entier.lstrip("-")
    groupes = []
    while entier:
        groupes.insert(0, entier[-3:])
        entier = entier[:-3]
    resultat = signe + "\u202f".join(groupes or ["0"])
    return f"{resultat},{fraction}" if fraction else resultat


def _partie(partie: Partie) -> dict:
    ville = " ".join(filter(None, (partie.code_postal, partie.ville)))
    return {
        "nom": partie.nom,
        "adresse": [ligne for ligne in (partie.adresse, partie.complement_1, partie.complement_2, ville) if ligne],
        "pays": nom_du_pays(partie.pays) if partie.pays else "",
        "siret": partie.siret,
        "tva": partie.tva,
    }


def _montant(valeur: Decimal | None, devise: str) -> str:
    return f"{_nombre(valeur)} {devise}" if valeur is not None else ""


def _lignes_tva(facture: FactureNeutre, devise: str):
    for v in facture.ventilation_tva or ventilation_depuis_lignes(facture.lignes, facture.remises):
        libelle = f"TVA {_nombre(v.taux, None)} % sur {_montant(v.base, devise)}"
        if v.motif_exoneration or v.code_exoneration:
            libelle += f" (exonération : {v.motif_exoneration or v.code_exoneration})"
        yield libelle, _montant(v.montant, devise)


def _totaux(facture: FactureNeutre, devise: str):
    t = facture.totaux
    if facture.remises:
        yield "Total HT des lignes", _montant(t.total_lignes_ht, devise)
        for r in facture.remises:
            motif = f" ({r.motif})" if r.motif else ""
            yield (
                f"Remise globale{motif}, TVA {_nombre(r.taux_tva, None)} %",
                _montant(-(r.montant or Decimal(0)), devise),
            )
    yield "Total HT", _montant(t.total_ht, devise)
    yield from _lignes_tva(facture, devise)
    yield "Total TVA", _montant(t.total_tva, devise)
    yield "Total TTC", _montant(t.total_ttc, devise)
    if t.paye_avance:
        yield "Montant déjà payé", _montant(t.paye_avance, devise)
    yield "Net à payer", _montant(t.net_a_payer if t.net_a_payer is not None else t.total_ttc, devise)


def _paiement(facture: FactureNeutre, conditions_paiement: str | None):
    conditions = conditions_paiement or facture.conditions_paiement
    if conditions:
        yield from filter(None, (ligne.strip() for ligne in conditions.splitlines()))
    p = facture.paiement
    if p is not None and p.iban:
        bic = f", BIC {p.bic}" if p.bic else ""
        titulaire = f" ({p.titulaire})" if p.titulaire else ""
        yield f"Virement sur le compte IBAN {p.iban}{bic}{titulaire}."


def html_facture(facture: FactureNeutre, conditions_paiement: str | None = None) -> str:
    devise = facture.devise or DEVISE_DEFAUT
    contexte = {
        "facture": facture,
        "date": facture.date.strftime("%d/%m/%Y") if facture.date else "",
        "echeance": facture.echeance.strftime("%d/%m/%Y") if facture.echeance else "",
        "parties": [("Vendeur", _partie(facture.vendeur)), ("Acheteur", _partie(facture.acheteur))],
        "lignes": [
            {
                "id": ligne.id or str(numero),
                "designation": " – ".join(filter(None, (ligne.reference_vendeur, ligne.designation))),
                "quantite": _nombre(ligne.quantite, None),
                "unite": libelle_unite(ligne.unite, ligne.quantite),
                "prix": _montant(ligne.prix_unitaire_ht, devise),
                "taux": f"{_nombre(ligne.taux_tva, None)} %" if ligne.taux_tva is not None else "",
                "montant": _montant(ligne.montant_ht, devise),
            }
            for numero, ligne in enumerate(facture.lignes, start=1)
        ],
        "totaux": list(_totaux(facture, devise)),
        "paiement": list(_paiement(facture, conditions_paiement)),
    }
    return _MOTEUR.from_string(_GABARIT).render(Context(contexte))


def generer_facturx(facture: FactureNeutre, conditions_paiement: str | None = None, cii: bytes | None = None) -> bytes:
    """PDF/A-3b lisible avec le CII attaché (factur-x.xml) ; `conditions_paiement` : BT-20.

    `cii` : le CII déposé lui-même, attaché tel quel au niveau de son profil. Un fichier MINIMUM ou BASIC WL n'a pas
    de lignes : le réécrire en EN 16931 donnerait un XML que le XSD EN 16931 refuse ; et la facture est ce qui a été
    envoyé. Sans `cii` (UBL, saisie), le CII EN 16931 est écrit depuis la facture."""
    # Import tardif : WeasyPrint charge Pango/HarfBuzz (~0,7 s), inutile aux processus qui ne génèrent pas de PDF.
    from weasyprint import HTML

    from facturation.validation.couches import profil_cii

    pdf = HTML(string=html_facture(facture, conditions_paiement)).write_pdf(pdf_variant="pdf/a-3b")
    if cii is not None:
        # déjà validé par les couches XSD et EN 16931 de son profil : la bibliothèque ne le recontrôle pas
        profil = profil_cii(facture.cadre or "") or "en16931"
        xml, niveau, controler_xsd = cii, NIVEAUX_FACTURX.get(profil, "en16931"), False
    else:
        xml, niveau, controler_xsd = ecrire_cii(facture, conditions_paiement), "en16931", True
    return facturx.generate_from_binary(
        pdf,
        xml,
        flavor="factur-x",
        level=niveau,
        check_xsd=controler_xsd,
        lang="fr-FR",
        pdf_metadata={
            "author": facture.vendeur.nom or "",
            "keywords": "Factur-X, facture",
            "title": f"Facture {facture.numero or ''}",
            "subject": f"Facture {facture.numero or ''}",
        },
    )


# profil appliqué par facturation.validation.couches -> niveau Factur-X des métadonnées XMP
NIVEAUX_FACTURX = {
    "minimum": "minimum",
    "basicwl": "basicwl",
    "basic": "basic",
    "en16931": "en16931",
    "extended": "extended",
    "extended-ctc-fr": "extended",
}
