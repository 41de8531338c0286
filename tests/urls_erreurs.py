"""The portal's URLs plus pages that fail on purpose, to see the error pages Django shows without DEBUG."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from chorus.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


@login_not_required
def echoue(request, code):
    if code == 400:
        raise SuspiciousOperation("requête mal formée")
    if code == 403:
        raise PermissionDenied
    raise RuntimeError("panne")


urlpatterns = [
    path("echec/<int:code>/", echoue),
    path("cpro/echec/<int:code>/", echoue),
    *urlpatterns,
]
