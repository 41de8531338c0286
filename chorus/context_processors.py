from django.conf import settings
from django.utils.functional import SimpleLazyObject

from chorus import menus


def portail(request):
    # lazy: a page that draws no header (a fragment, a mail) pays no query for the menus
    return {
        "VERSION": settings.VERSION,
        "DEMO": settings.DEMO,
        "menus": SimpleLazyObject(lambda: menus.menus(request)),
    }
