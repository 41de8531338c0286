"""Downloads of the whole public-recipient directory, streamed (organisation/annuaire_fichiers.py writes them)."""

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from organisation.annuaire_fichiers import lignes_csv, morceaux_xml


def _nom_fichier(extension):
    return f"annuaire-destinataires-{timezone.localdate():%Y%m%d}.{extension}"


def _reponse(contenu, type_mime, extension):
    reponse = StreamingHttpResponse(contenu, content_type=type_mime)
    reponse["Content-Disposition"] = f'attachment; filename="{_nom_fichier(extension)}"'
    return reponse


@require_GET
def csv_telecharger(request):
    return _reponse(lignes_csv(), "text/csv; charset=utf-8", "csv")


@require_GET
def xml_telecharger(request):
    return _reponse(morceaux_xml(), "application/xml; charset=utf-8", "xml")
