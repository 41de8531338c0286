from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404

from organisation.matelas import CHEMIN_MATELAS


@login_not_required
def matelas(request):
    """The demo accounts table, as the qualification portal provides it. Demo only (DEBUG)."""
    if not settings.DEMO or not CHEMIN_MATELAS().exists():
        raise Http404
    return FileResponse(CHEMIN_MATELAS().open("rb"), as_attachment=True, filename="matelas.csv")
