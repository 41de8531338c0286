import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chorus.settings.base")
application = get_wsgi_application()

# gunicorn runs no system check: DEBUG, DEMO or a published key on a public portal stop the start here
from chorus.production import refuser_si_production_dangereuse  # noqa: E402

refuser_si_production_dangereuse()

# the loaded application's objects leave the garbage collector's walks (chorus/tas.py)
from chorus.tas import figer_le_demarrage  # noqa: E402

figer_le_demarrage()
