"""Settings read from the environment, with embedded defaults that need nothing installed.

Production sets DATABASE_URL (PostgreSQL), CELERY_BROKER_URL (Redis), SECRET_KEY, ALLOWED_HOSTS, DEBUG=0
and an SMTP EMAIL_URL-like trio; the defaults give SQLite, a file broker and a file mailbox under var/.
"""

import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.csp import CSP

from chorus import limites

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("CHORUS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    return int(os.environ.get(name, default))


VERSION = (BASE_DIR / "VERSION").read_text().strip()

DEBUG = env_bool("DEBUG", False)
# The demo tools (mailbox page, matelas download) exist only in the demo (bin/run sets DEMO=1), which runs without
# DEBUG: no debug page, the production error pages and static files. Off in production.
DEMO = env_bool("DEMO", False)


def cle_locale(fichier):
    """The embedded default's signing key: drawn at random on first run and kept in `fichier`, readable by its owner
    only, so that no installation signs with a key anyone can read in the sources."""
    if fichier.exists() and (cle := fichier.read_text().strip()):
        if fichier.stat().st_mode & 0o077:
            fichier.chmod(0o600)
        return cle
    fichier.parent.mkdir(parents=True, exist_ok=True)
    # written whole under a temporary name (mkstemp: mode 0600), then linked: the web server and the worker starting
    # together cannot read a half-written key, and the first one to link wins
    descripteur, provisoire = tempfile.mkstemp(dir=fichier.parent, prefix=".secret_key.")
    with os.fdopen(descripteur, "w") as sortie:
        sortie.write(secrets.token_urlsafe(50) + "\n")
    try:
        os.link(provisoire, fichier)
    except FileExistsError:
        pass
    finally:
        os.unlink(provisoire)
    return fichier.read_text().strip()


# No key is ever public. The embedded default (DEBUG or the demo) draws its own under var/ (never committed). In
# production the key comes from the environment only: without it, the WSGI server and the Celery worker refuse to
# start (chorus/production.py, chorus.E005) and Django refuses any signing, while commands that sign nothing
# (makemigrations, migrate, collectstatic) still run.
SECRET_KEY = os.environ.get("SECRET_KEY") or (cle_locale(VAR_DIR / "secret_key") if DEBUG or DEMO else "")
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp_webauthn",
    "axes",
    "captcha",
    # before django.forms: the DSFR's widget templates (radio buttons, checkboxes) must win over Django's own
    "dsfr",
    "django.forms",
    "widget_tweaks",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "chorus",
    "communication",
    "organisation",
    "facturation",
    "engagements",
    "travaux",
    "raccordement",
    "support",
    "assistant",
    "exports",
    # above every domain: the demo loader and its tools
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # errors under /cpro/ and /api/ in the API's JSON envelope, whichever layer below produced them
    "raccordement.api.middleware.EnveloppeApiMiddleware",
    # static files served by the app itself in production (no separate web server needed)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "organisation.middleware.SecondFacteurObligatoireMiddleware",
    "organisation.middleware.ExpirationSessionMiddleware",
    # a GET reads the user's profiles once, for the header, the list and its form (issue #16)
    "organisation.middleware.LecturesParRequeteMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # a full media volume answers 503 « rien n'a été enregistré » (chorus.stockage)
    "chorus.middleware.StockagePleinMiddleware",
]

ROOT_URLCONF = "chorus.urls"
WSGI_APPLICATION = "chorus.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # the portal's own filters (French plural) on every template without a {% load %}
            "builtins": ["chorus.templatetags.portail"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "chorus.context_processors.portail",
            ],
        },
    },
]
# TemplatesSetting, with the <select> written in Python (chorus/formulaires.py: 40 ms of a search page)
FORM_RENDERER = "chorus.formulaires.RenduFormulaires"

VAR_DIR.mkdir(parents=True, exist_ok=True)
# A worker keeps its database connection across requests (DB_CONN_MAX_AGE seconds, 0 for one per request): a new
# PostgreSQL connection is a server process started and authenticated, 14 ms (p95 28 ms) on the busy two-core machine
# of issue #16, half the 30 ms an API call may take. The development server and the tests' live server close theirs
# after each request whatever this says (django.core.servers.basehttp).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'chorus.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# A connection kept across requests (DB_CONN_MAX_AGE) is checked before reuse: after a PostgreSQL restart the first
# request gets a new one instead of a 500.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the Celery worker write while the web server reads.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["OPTIONS"]["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organisation.Utilisateur"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "organisation:connexion"
LOGIN_REDIRECT_URL = "accueil"
LOGOUT_REDIRECT_URL = "accueil"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A reset link is a one-time secret sent by mail: one hour, single use (Django invalidates it on use).
PASSWORD_RESET_TIMEOUT = 3600

# Sessions live in the database, never in Redis: a broker outage must not log anyone out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = int(limites.duree("session_duree_absolue_max").total_seconds())
SESSION_ABSOLUE_MAX = timedelta(seconds=SESSION_COOKIE_AGE)
SESSION_INACTIVITE_MAX = timedelta(
    minutes=env_int("SESSION_INACTIVITE_MINUTES", limites.duree("session_inactivite_max") // timedelta(minutes=1))
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG and env_bool("COOKIES_SECURE", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# HTTPS in production (docs/architecture.md « Production hardening »): a reverse proxy ends TLS and sets
# X-Forwarded-Proto, replacing any the client sent; Django trusts it to know the request came over HTTPS. Browsers are
# then told to use HTTPS only, for a year. The demo and docker-compose serve plain http on localhost
# (COOKIES_SECURE=0): none of this.
HTTPS = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDES", 365 * 24 * 3600) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS

# Second factor (chorus/regles/limites.csv).
CODE_COURRIEL_VALIDITE = limites.duree("code_2fa_mail_validite")
CODE_COURRIEL_DELAI_RENVOI = timedelta(seconds=60)
CODE_ESSAIS_MAX = 5  # wrong codes in one login attempt before starting over at the password step
OTP_TOTP_ISSUER = "Chorus Pro"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_WEBAUTHN_RP_ID = os.environ.get("WEBAUTHN_RP_ID", "localhost")
OTP_WEBAUTHN_RP_NAME = "Chorus Pro"
OTP_WEBAUTHN_ALLOWED_ORIGINS = [o for o in os.environ.get("WEBAUTHN_ORIGINS", "http://localhost:8000").split(",") if o]
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

# Delayed modifications: the table's 30 minutes in production, shorter in the demo (MODIFICATIONS_DELAI_SECONDES).
MODIFICATIONS_DIFFEREES_DELAI = timedelta(
    seconds=env_int(
        "MODIFICATIONS_DELAI_SECONDES", int(limites.duree("modifications_differees_delai_max").total_seconds())
    )
)

# Account links (chorus/regles/limites.csv).
LIEN_ACTIVATION_VALIDITE = limites.duree("lien_activation_compte_validite")
LIEN_CHANGEMENT_ADRESSE_VALIDITE = limites.duree("lien_changement_adresse_connexion_validite")

# Lock-out: an account name is locked whatever the IP after 10 failures (an address that does not exist is locked the
# same way, revealing nothing). An IP is locked whatever the names it tries (credential stuffing), but only after
# VERROUILLAGE_IP_ECHECS failures: a ministry or a hospital logs in from one NAT address, and ten typos of its
# agents must not lock all of them out (organisation/authentification.py).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
VERROUILLAGE_IP_ECHECS = env_int("VERROUILLAGE_IP_ECHECS", 100)
# axes warns when the address is not one of its lock-out parameters: the address has its own, higher, limit above
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "organisation.views.connexion.verrouillage"
AXES_VERBOSE = False
# Failures are counted in the database, which every web process shares (never a per-process memory).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"

CAPTCHA_LENGTH = 6
# digits only: the audio alternative speaks each character from a recorded sample (chorus/captcha_audio.py)
CAPTCHA_CHALLENGE_FUNCT = "chorus.captcha_audio.chiffres"
CAPTCHA_FONT_SIZE = 32
CAPTCHA_IMAGE_SIZE = (180, 50)

LANGUAGE_CODE = "fr-fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request otherwise
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "chorus.stockage.StockageMedias"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_URL = "/media/"
# the media volume may be mounted elsewhere (docker volume, NFS): docs/exploitation.md
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

# Mail: a file mailbox (one .eml per message) unless SMTP is configured.
MAIL_DIR = Path(os.environ.get("MAIL_DIR", VAR_DIR / "mail"))
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "chorus.mail.BoiteFichiersBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
URL_PORTAIL = os.environ.get("URL_PORTAIL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}").rstrip("/")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Chorus Pro <ne-pas-repondre@chorus-pro.example>")

# Celery (stack-verified.md §5): filesystem:// needs no server; options only for that transport.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
CELERY_QUEUE_DIR = Path(os.environ.get("CELERY_QUEUE_DIR", VAR_DIR / "celery"))
if CELERY_BROKER_URL.startswith("filesystem"):
    for sub in ("out", "processed", "control"):
        (CELERY_QUEUE_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "out"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "out"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        # the exchange tables (pidbox broadcasts): under var/ too, not in the working directory (kombu's default)
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
        "store_processed": False,
        "polling_interval": 0.1,
    }
CELERY_RESULT_BACKEND = None

# Throttles and lock-outs (API rate, password reset, technical accounts, token endpoint) count in the shared cache,
# so that every process sees the same counts: Redis in production (CACHE_URL, else the Celery broker's Redis);
# otherwise a file cache under var/. Django's default, a per-process memory cache, would give each web worker its
# own count and multiply every limit by the number of processes.
CACHE_URL = os.environ.get("CACHE_URL") or (CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else "")
CACHES = {
    "default": {"BACKEND": "chorus.cache.CacheRedisTolerante", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {
        "BACKEND": "chorus.cache.CacheFichiers",
        "LOCATION": str(VAR_DIR / "cache"),
        # counters of a few minutes: the entries stay few, pruning is rarely needed
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    }
}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A worker started while Redis is down waits for it rather than exiting (tests/fiabilite, fault 5).
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# Invoices closed for this many years (since their last status change) leave the live base every night, in
# batches (facturation/services/archivage.py, features row 50).
FACTURES_ARCHIVAGE_ANNEES = env_int("FACTURES_ARCHIVAGE_ANNEES", 2)
FACTURES_ARCHIVAGE_LOT = env_int("FACTURES_ARCHIVAGE_LOT", 1000)
CELERY_BEAT_SCHEDULE = {
    "archivage-factures": {
        "task": "facturation.tasks.archiver_factures_closes",
        "schedule": crontab(hour=2, minute=30),
    },
    "modifications-en-retard": {
        "task": "chorus.tasks.appliquer_modifications_en_retard",
        "schedule": float(env_int("BALAYAGE_SECONDES", 60)),
    },
    "courriels-en-souffrance": {
        "task": "chorus.tasks.relancer_courriels_en_souffrance",
        "schedule": float(env_int("BALAYAGE_SECONDES", 60)),
    },
    # Factures à valider: 15 days without the validator acting forwards the invoice (« Validation hors délai »).
    "validations-hors-delai": {
        "task": "facturation.tasks.transmettre_validations_hors_delai",
        "schedule": float(env_int("BALAYAGE_SECONDES", 60)),
    },
    # Travaux: a piece left more than 7 days with the MOE gets a daily reminder to the MOA and the supplier; the job
    # may run often, each day's mails go once (travaux.RelanceMoe).
    "relances-moe": {
        "task": "travaux.tasks.relancer_moe",
        "schedule": float(env_int("BALAYAGE_SECONDES", 60)),
    },
    # Raccordement: flux left behind by a lost message or a killed worker are queued again; EDI drop folders are read.
    "flux-en-souffrance": {
        "task": "raccordement.tasks.relancer_flux_en_souffrance",
        "schedule": float(env_int("BALAYAGE_SECONDES", 60)),
    },
    "depots-edi": {
        "task": "raccordement.tasks.relever_depots_edi",
        "schedule": float(env_int("BALAYAGE_SECONDES", 60)),
    },
    # Lifecycle messages of EDI-connected suppliers go to their drop folders (raccordement.services.cycle_vie).
    "cycle-vie-manquants": {
        "task": "raccordement.tasks.produire_messages_cycle_vie_manquants",
        "schedule": float(env_int("BALAYAGE_SECONDES", 60)),
    },
    "cycle-vie-edi": {
        "task": "raccordement.tasks.remettre_cycle_vie_edi",
        "schedule": float(env_int("BALAYAGE_SECONDES", 60)),
    },
    # « Mes exports »: expired files deleted, requests left without their task (lost message) queued again
    "exports-balayage": {
        "task": "exports.tasks.balayer_exports",
        "schedule": float(env_int("BALAYAGE_SECONDES", 60)),
    },
    # « Mes messages »: read messages older than a year are purged once a day (communication.services).
    "notifications-lues-purge": {
        "task": "communication.tasks.purger_notifications_lues",
        "schedule": 24 * 3600.0,
    },
    # logged-out tickets whose address was never confirmed are erased a week after their link's end (support)
    "sollicitations-non-confirmees-purge": {
        "task": "support.tasks.purger_sollicitations_non_confirmees",
        "schedule": 24 * 3600.0,
    },
    # tickets resolved for longer than the 30 days their requester had to reopen them are closed (support)
    "sollicitations-resolues-cloture": {
        "task": "support.tasks.cloturer_sollicitations_resolues",
        "schedule": 24 * 3600.0,
    },
}
# The API carries files in its JSON bodies (deposerFluxFacture: a 30 Mo archive is 40 Mo in base64); the services
# check each file's own limit and answer 413 with their message.
DATA_UPLOAD_MAX_MEMORY_SIZE = 45 * 1024 * 1024
# The EDI drop directory: <EDI_DEPOT_DIR>/<SIRET>/depot/ for each structure with an active EDI connection.
EDI_DEPOT_DIR = Path(os.environ.get("EDI_DEPOT_DIR", VAR_DIR / "edi"))

# No inline script or style anywhere: an injected <script> does not run (the DSFR ships its assets as files).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# The PIGP portal signs its assertions with this key (organisation/pigp.py); without it the entry point is off.
PIGP_CLE_PARTAGEE = os.environ.get("PIGP_CLE_PARTAGEE") or None

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # every JSON body through the bounded reader (chorus.json_borne), whatever the view
    "DEFAULT_PARSER_CLASSES": ["raccordement.api.parseur.JsonBorneParser"],
}

DSFR_MARK_OPTIONAL_FIELDS = True
# The DSFR's integrity hashes are those of its files as shipped; the manifest storage rewrites the url()s inside its
# CSS (hashed names), so a browser would refuse the served CSS. The files come from our own origin anyway.
DSFR_USE_INTEGRITY_CHECKSUMS = False
# django-dsfr marks component content safe by default; ours may carry user input, so it is escaped.
DSFR_CONTENT_IS_SAFE = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint and factur-x narrate every PDF at INFO: one line per rendering step
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "factur-x": {"level": "WARNING"},
    },
}
