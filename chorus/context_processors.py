from django.conf import settings


def portail(request):
    return {"VERSION": settings.VERSION, "DEMO": settings.DEMO}
