"""The certificate of deposit (chorus-pro-features.md row 39): dated proof that the invoice was deposited.

The deposit date starts the payment clock, which the payer cannot dispute; the certificate carries it with the
sha-256 of the deposited file, so the file the supplier keeps can be matched with the one on the portal.
"""

import hashlib

from django.db import transaction
from django.template import Context, Engine
from django.utils import timezone

from facturation.enums import ActionUtilisateur, decimales
from facturation.models import FactureAction

_GABARIT = """<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>Certificat de dépôt – facture {{ f.numero }}</title>
<style>
  @page { size: A4; margin: 20mm 18mm; }
  body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; color: #161616; }
  h1 { font-size: 18pt; margin: 0 0 2mm; }
  .reference { color: #3a3a3a; margin: 0 0 8mm; }
  .depot { border: 2px solid #000091; padding: 4mm; margin: 0 0 6mm; font-size: 11pt; }
  dl { margin: 0; }
  dt { font-weight: bold; float: left; clear: left; width: 60mm; margin-bottom: 2mm; }
  dd { margin: 0 0 2mm 62mm; }
  .empreinte { font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; word-break: break-all; }
  .note { margin-top: 10mm; font-size: 9pt; color: #3a3a3a; }
</style>
</head>
<body>
<h1>Certificat de dépôt</h1>
<p class="reference">Référence du certificat : {{ reference }}</p>
<div class="depot">
  <p>La facture n° <strong>{{ f.numero }}</strong> a été déposée sur le portail le <strong>{{ date_depot }}</strong>
  à <strong>{{ heure_depot }}</strong> (heure de Paris).</p>
  <p>Le délai global de paiement{% if f.delai_paiement_jours %} de {{ f.delai_paiement_jours }} jours{% endif %}
  court à compter de cette date.</p>
</div>
<dl>
  <dt>Numéro de facture</dt><dd>{{ f.numero }}</dd>
  <dt>Type</dt><dd>{{ f.get_type_facture_display }}</dd>
  <dt>Date de facture</dt><dd>{{ date_facture }}</dd>
  <dt>Cadre de facturation</dt><dd>{{ f.cadre }} – {{ f.get_cadre_display }}</dd>
  <dt>Fournisseur</dt><dd>{{ f.fournisseur.raison_sociale }} ({{ f.fournisseur.get_type_identifiant_display }}
    {{ f.fournisseur.identifiant }})</dd>
  <dt>Destinataire</dt><dd>{{ f.destinataire.raison_sociale }} ({{ f.destinataire.get_type_identifiant_display }}
    {{ f.destinataire.identifiant }}){% if f.service_destinataire %},
    service {{ f.service_destinataire.code }}{% endif %}</dd>
  {% if f.numero_engagement %}<dt>Numéro d'engagement</dt><dd>{{ f.numero_engagement }}</dd>{% endif %}
  <dt>Montant HT</dt><dd>{{ total_ht }}</dd>
  <dt>Montant de TVA</dt><dd>{{ total_tva }}</dd>
  <dt>Montant TTC</dt><dd>{{ total_ttc }}</dd>
  <dt>Net à payer</dt><dd>{{ net_a_payer }}</dd>
  <dt>Mode de dépôt</dt><dd>{{ f.get_mode_depot_display }}
    {% if f.format_depot %}({{ f.get_format_depot_display }}){% endif %}</dd>
  <dt>Fichier déposé</dt><dd>{{ nom_fichier }}</dd>
  <dt>Empreinte SHA-256</dt><dd class="empreinte">{{ empreinte }}</dd>
</dl>
<p class="note">Certificat établi le {{ etabli_le }}. L'empreinte SHA-256 identifie le fichier déposé : tout fichier
dont l'empreinte est identique est ce fichier, à l'octet près.</p>
</body>
</html>
"""

_MOTEUR = Engine(autoescape=True)


def _montant(valeur, devise):
    nombre = f"{valeur:,.{decimales(devise)}f}".replace(",", "\u202f").replace(".", ",")
    return f"{nombre} {devise}"


def fichier_depose(facture):
    """The file the certificate vouches for: the PDF (Factur-X or supplier's), or else the XML."""
    return facture.fichier_pdf or facture.fichier_xml or None


def empreinte_sha256(fichier):
    if not fichier:
        return ""
    empreinte = hashlib.sha256()
    with fichier.open("rb") as flux:
        for bloc in iter(lambda: flux.read(1 << 16), b""):
            empreinte.update(bloc)
    return empreinte.hexdigest()


def reference_certificat(facture):
    return f"CDD-{timezone.localtime(facture.deposee_le):%Y%m%d}-{facture.pk:09d}"


def html_certificat(facture):
    depot = timezone.localtime(facture.deposee_le)
    fichier = fichier_depose(facture)
    devise = facture.devise
    contexte = {
        "f": facture,
        "reference": reference_certificat(facture),
        "date_depot": f"{depot:%d/%m/%Y}",
        "heure_depot": f"{depot:%H:%M:%S}",
        "date_facture": f"{facture.date_facture:%d/%m/%Y}" if facture.date_facture else "",
        "total_ht": _montant(facture.total_ht, devise),
        "total_tva": _montant(facture.total_tva, devise),
        "total_ttc": _montant(facture.total_ttc, devise),
        "net_a_payer": _montant(facture.net_a_payer, devise),
        "nom_fichier": fichier.name.rsplit("/", 1)[-1] if fichier else "",
        "empreinte": empreinte_sha256(fichier),
        "etabli_le": f"{timezone.localtime():%d/%m/%Y à %H:%M}",
    }
    return _MOTEUR.from_string(_GABARIT).render(Context(contexte))


def certificat_telecharger(*, facture, par):
    """The certificate of a deposited invoice as PDF bytes; the download is kept in the invoice's actions."""
    from weasyprint import HTML  # loads Pango: only the processes that render PDFs pay for it

    pdf = HTML(string=html_certificat(facture)).write_pdf(pdf_variant="pdf/a-3b")
    with transaction.atomic():
        FactureAction.objects.create(
            facture=facture,
            code=ActionUtilisateur.TELECHARGEMENT_CERTIFICAT,
            par=par,
            detail=reference_certificat(facture),
        )
    return pdf
