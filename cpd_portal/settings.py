"""The portal's one settings module: every deploy-time value comes from the environment.

Local defaults (no environment at all) give a working laptop setup: SQLite under var/,
Celery over kombu's filesystem transport, console email. Setting DEBUG=0 switches the
production hardening on; `manage.py check --deploy` must then be clean.
"""
import datetime
import socket
from pathlib import Path
from urllib.parse import urlparse

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from accounts.sso.config import sso_apps_from_env
from cpd_portal import queues
from credits.certificates.openbadges.keys import SigningKeyError, signing_key_pem

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)

_LOCAL_ONLY_SECRET = "local-development-only-secret-key-never-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=_LOCAL_ONLY_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env.str("SITE_NAME", default="CPD Portal")
# Which machine (container, pod) answered: /healthz names it, so a load balancer's probes and an
# operator can tell the web nodes apart.
NODE_NAME = env.str("NODE_NAME", default=socket.gethostname())
HOSPITAL_NAME = env.str("HOSPITAL_NAME", default="Teaching Hospital Center for CPD")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])
# The first day of the provider's current accreditation term (ISO date): the dashboard's Joint
# Accreditation figures cover it up to today. Unset: the last four years.
try:
    ACCREDITATION_TERM_STARTS_ON = (
        datetime.date.fromisoformat(env.str("ACCREDITATION_TERM_STARTS_ON"))
        if env.str("ACCREDITATION_TERM_STARTS_ON", default="") else None)
except ValueError as error:
    raise ImproperlyConfigured("ACCREDITATION_TERM_STARTS_ON must be a date: 2024-07-01.") \
        from error

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.forms",  # the form renderer reads widget templates through TEMPLATES
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_celery_beat",
    "django_htmx",
    "ninja",  # the API docs page from its vendored Swagger UI (static/ninja/), no CDN
    "cpd_portal.caching",  # first of the portal's apps: it watches every write (docs/caching.md)
    "accounts",
    "accounts.pwa",
    "courses",
    "courses.lessons",
    "courses.questions",
    "courses.disclosures",
    "courses.packages",
    "courses.credittypes",
    "credits",
    "credits.online",
    "credits.virtual",
    "credits.series",
    "credits.online.scorm",
    "credits.online.cmi5",
    "credits.checklists",
    "credits.pathways",
    "credits.suggestions",
    "cpd_portal.scim",
    "credits.webservices",
    # Above every product layer; only its seed_demo command is used (docs/demo.md).
    "cpd_portal.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cpd_portal.security.PortalCSPMiddleware",
    "cpd_portal.security.PermissionsPolicyMiddleware",
    "cpd_portal.api.middleware.ApiJsonErrorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "accounts.middleware.StaffMfaMiddleware",
    "accounts.pwa.middleware.PrivatePagesCacheMiddleware",
]

ROOT_URLCONF = "cpd_portal.urls"
WSGI_APPLICATION = "cpd_portal.wsgi.application"

# One field template for every form (cpd_portal/forms.py).
FORM_RENDERER = "cpd_portal.forms.PortalFormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cpd_portal.context_processors.portal",
            ],
        },
    },
]

# --- Data stores -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'cpd_portal.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share the file: take the write lock when a transaction starts (a
    # read transaction upgraded later fails at once with "database is locked"), and wait for it.
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=20, transaction_mode="IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USING_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")

# A streaming read replica for reports, exports, the office dashboard and the API's sync feeds
# (cpd_portal/replica.py, docs/operations.md#read-replica). Without it nothing is routed. A
# person who wrote in the last DATABASE_REPLICA_MAX_LAG_SECONDS reads from the primary, and so
# does everyone while the replica lags more than that or is down.
DATABASE_REPLICA_MAX_LAG_SECONDS = env.float("DATABASE_REPLICA_MAX_LAG_SECONDS", default=10.0)
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {
        **env.db("DATABASE_REPLICA_URL"),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
    }
    # A replica that went away must not hold a page for the operating system's TCP timeout.
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = 2
    DATABASE_ROUTERS = ["cpd_portal.replica.ReplicaRouter"]
    MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
                      + 1, "cpd_portal.replica.ReadYourWritesMiddleware")

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Both aliases survive a Redis outage (cpd_portal/cache.py): "default" (rate limits,
    # progress counters) falls back to per-process memory, "pages" (cached pages, fragments and
    # the tables' versions, docs/caching.md) to no cache at all.
    _redis_cache = {
        "BACKEND": "cpd_portal.cache.DegradingRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "cpd",
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
    CACHES = {
        "default": {**_redis_cache, "FALLBACK": "local"},
        "pages": {**_redis_cache, "KEY_PREFIX": "cpd-pages", "FALLBACK": "none"},
    }
else:
    # A file cache is shared by every local process, so allauth's rate limits still hold.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache" / "pages"),
        },
    }
# Sessions live in PostgreSQL, never in Redis: an outage must not sign anyone out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Celery ------------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _queue_dir = VAR_DIR / "celery-queue"
    _queue_dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        # Exchange tables; kombu's default is "control" in the working directory.
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }
else:
    # acks_late tasks are redelivered after this long if a worker dies holding them.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 3}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="cpd")
# A queue per kind of work (cpd_portal/queues.py decides which task goes where).
CELERY_TASK_QUEUES = queues.task_queues(CELERY_TASK_DEFAULT_QUEUE)
CELERY_TASK_ROUTES = queues.task_routes(CELERY_TASK_DEFAULT_QUEUE)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True  # outcomes are recorded on domain rows, not in a result store
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=600)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=540)
CELERY_TIMEZONE = "UTC"
# django-celery-beat's database scheduler plus the ticks each app registers from its
# AppConfig.ready (accounts.beat.beat_task_register), copied into its tables on start.
CELERY_BEAT_SCHEDULER = "accounts.beat:RegisteredTaskScheduler"

# --- Reminders and the outgoing-message ledger -------------------------------------------------
SESSION_REMINDER_OFFSETS_HOURS = [24, 1]
# Practice drills (credits.drills): how long an emailed answer link works.
DRILL_ANSWER_LINK_MAX_AGE_DAYS = env.int("DRILL_ANSWER_LINK_MAX_AGE_DAYS", default=14)
CLAIM_REMINDER_MAX = 3  # the day after the session, then weekly while the claim window is open
LICENCE_DEADLINE_REMINDER_DAYS = [90, 30, 7]
OUTGOING_MESSAGE_BATCH_SIZE = env.int("OUTGOING_MESSAGE_BATCH_SIZE", default=200)
OUTGOING_MESSAGE_MAX_ATTEMPTS = 5
# A queued message handed to the broker but not picked up within this is handed out again; when
# no batch is being sent (workers idle, so nothing waits its turn), already after the lease below.
OUTGOING_MESSAGE_REQUEUE_MINUTES = 10
# A batch whose worker showed no sign of life for this long (it notes every message it hands
# to the mail server, each within EMAIL_TIMEOUT) is given back to the queue by the dispatcher.
OUTGOING_MESSAGE_CLAIM_LEASE_SECONDS = 120

# --- Accounts and authentication ---------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_USER_DISPLAY = "accounts.models.user_display"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_FORMS = {"signup": "accounts.sso.forms.PasswordSignupForm",
                 "add_email": "accounts.sso.forms.PasswordAddEmailForm"}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, stated so an operator sees and can tune them.
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reset_password": "20/m/ip,5/m/key",
    "reauthenticate": "10/m/user",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "confirm_email": "1/3m/key",
}
# Single sign-on: the hospital's OpenID Connect identity providers (accounts/sso/config.py reads
# SSO_PROVIDERS and SSO_<NAME>_* from the environment).
SSO_APPS = sso_apps_from_env(env)
SSO_REQUIRED_DOMAINS = [d.lower() for d in env.list("SSO_REQUIRED_DOMAINS", default=[])]
SOCIALACCOUNT_ADAPTER = "accounts.sso.adapter.SsoAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "provider_class": "accounts.sso.provider.HospitalOpenIDConnectProvider",
        "APPS": SSO_APPS,
    },
}
SOCIALACCOUNT_OPENID_CONNECT_URL_PREFIX = "oidc"
# First sign-in links to the account with the same address when the provider says it verified it.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_STORE_TOKENS = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# RFC 6238 section 5.2 recommends accepting the code of the time step before, for the time
# between reading a code and the server checking it (a code read in a window's last second
# otherwise fails); allauth's used-code marker covers the whole tolerance, so none is replayable.
MFA_TOTP_TOLERANCE = 1

# Educators and administrators must set up TOTP before reaching staff pages. Only a local
# demo (DEBUG on) may switch this off.
STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=True)
if not STAFF_MFA_REQUIRED and not DEBUG:
    raise ImproperlyConfigured("STAFF_MFA_REQUIRED may only be switched off with DEBUG on.")
STAFF_URL_PREFIXES = ("/admin/", "/educator/", "/review/", "/reports/", "/board-reporting/")

# --- Skills checklists ------------------------------------------------------------------------
# A validation expiring within this many days is "due soon" on a manager's readiness matrix.
CHECKLIST_DUE_SOON_DAYS = env.int("CHECKLIST_DUE_SOON_DAYS", default=30)
# An expiring validation's next cycle opens, and the learner and their managers are reminded
# once, this many days before it expires.
CHECKLIST_REVALIDATE_DAYS_BEFORE = env.int("CHECKLIST_REVALIDATE_DAYS_BEFORE", default=30)
# A skill needing remediation is due for re-observation this many days after it was recorded.
CHECKLIST_REMEDIATION_DAYS = env.int("CHECKLIST_REMEDIATION_DAYS", default=14)

# --- Attendance --------------------------------------------------------------------------------
# Check-in opens this many minutes before a session starts and closes this long after it ends.
CHECKIN_OPENS_BEFORE_MINUTES = env.int("CHECKIN_OPENS_BEFORE_MINUTES", default=15)
CHECKIN_CLOSES_AFTER_MINUTES = env.int("CHECKIN_CLOSES_AFTER_MINUTES", default=120)
# An action queued on a phone without signal (a check-in, a drill answer, a lesson read) counts
# at the time it was taken when it reaches the portal within this many minutes; later, it counts
# at its arrival (accounts/pwa/recorded.py, docs/offline-and-push.md).
OFFLINE_RECORDED_AT_MAX_MINUTES = env.int("OFFLINE_RECORDED_AT_MAX_MINUTES", default=180)
# A check-in later than this after the start counts only the time from check-in to the end.
CHECKIN_LATE_GRACE_MINUTES = env.int("CHECKIN_LATE_GRACE_MINUTES", default=15)
# Rotating check-in codes change every step; the previous step's code is still accepted.
CHECKIN_CODE_STEP_SECONDS = env.int("CHECKIN_CODE_STEP_SECONDS", default=300)
# Wrong check-in codes a user may type in CHECKIN_WRONG_CODE_WINDOW_SECONDS before a pause.
CHECKIN_WRONG_CODE_LIMIT = env.int("CHECKIN_WRONG_CODE_LIMIT", default=10)
CHECKIN_WRONG_CODE_WINDOW_SECONDS = env.int("CHECKIN_WRONG_CODE_WINDOW_SECONDS", default=900)
ATTENDANCE_IMPORT_MAX_BYTES = env.int("ATTENDANCE_IMPORT_MAX_BYTES", default=10 * 1024 * 1024)

# --- Reporting to boards (credits.boards) -------------------------------------------------------
# NABP CPE Monitor's web service. Unset URL: reports stay pending and the dashboard says so.
CPE_MONITOR_URL = env.str("CPE_MONITOR_URL", default="")
CPE_MONITOR_PROVIDER_ID = env.str("CPE_MONITOR_PROVIDER_ID", default="")
CPE_MONITOR_API_KEY = env.str("CPE_MONITOR_API_KEY", default="")
CPE_MONITOR_TIMEOUT_SECONDS = env.float("CPE_MONITOR_TIMEOUT_SECONDS", default=15.0)
# First retry after a timeout or 5xx; doubled for each further retry (4 retries).
CPE_MONITOR_RETRY_SECONDS = env.float("CPE_MONITOR_RETRY_SECONDS", default=60.0)
# ACCME PARS's and CE Broker's web services (credits.webservices). Unset URL: nothing is sent,
# the office's page says so, and PARS is reported with the file exports as before.
PARS_URL = env.str("PARS_URL", default="")
PARS_PROVIDER_ID = env.str("PARS_PROVIDER_ID", default="")
PARS_USERNAME = env.str("PARS_USERNAME", default="")
PARS_PASSWORD = env.str("PARS_PASSWORD", default="")
PARS_TIMEOUT_SECONDS = env.float("PARS_TIMEOUT_SECONDS", default=30.0)
CE_BROKER_URL = env.str("CE_BROKER_URL", default="")
CE_BROKER_PROVIDER_ID = env.str("CE_BROKER_PROVIDER_ID", default="")
CE_BROKER_UPLOAD_KEY = env.str("CE_BROKER_UPLOAD_KEY", default="")
CE_BROKER_TIMEOUT_SECONDS = env.float("CE_BROKER_TIMEOUT_SECONDS", default=30.0)
# First retry after a timeout or 5xx from either; doubled for each further retry (4 retries).
WEB_REPORTING_RETRY_SECONDS = env.float("WEB_REPORTING_RETRY_SECONDS", default=60.0)

# --- Zoom and Teams attendance (credits.virtual) ------------------------------------------------
# Zoom Server-to-Server OAuth app; unset, linking a Zoom meeting is not offered.
ZOOM_ACCOUNT_ID = env.str("ZOOM_ACCOUNT_ID", default="")
ZOOM_CLIENT_ID = env.str("ZOOM_CLIENT_ID", default="")
ZOOM_CLIENT_SECRET = env.str("ZOOM_CLIENT_SECRET", default="")
ZOOM_WEBHOOK_SECRET_TOKEN = env.str("ZOOM_WEBHOOK_SECRET_TOKEN", default="")
ZOOM_API_URL = env.str("ZOOM_API_URL", default="https://api.zoom.us/v2")
ZOOM_OAUTH_URL = env.str("ZOOM_OAUTH_URL", default="https://zoom.us/oauth/token")
# Microsoft Graph app registration (client credentials) for Teams attendance reports.
GRAPH_TENANT_ID = env.str("GRAPH_TENANT_ID", default="")
GRAPH_CLIENT_ID = env.str("GRAPH_CLIENT_ID", default="")
GRAPH_CLIENT_SECRET = env.str("GRAPH_CLIENT_SECRET", default="")
GRAPH_API_URL = env.str("GRAPH_API_URL", default="https://graph.microsoft.com/v1.0")
GRAPH_LOGIN_URL = env.str("GRAPH_LOGIN_URL", default="https://login.microsoftonline.com")
VIRTUAL_TIMEOUT_SECONDS = env.float("VIRTUAL_TIMEOUT_SECONDS", default=20.0)
# Retry delay after a timeout or 5xx (a 429's Retry-After wins), and how many retries.
VIRTUAL_RETRY_SECONDS = env.float("VIRTUAL_RETRY_SECONDS", default=60.0)
# A webhook whose timestamp is older than this is refused (a replay).
VIRTUAL_WEBHOOK_MAX_AGE_SECONDS = env.int("VIRTUAL_WEBHOOK_MAX_AGE_SECONDS", default=300)
# Reports fill in late: each meeting's report is pulled once more this long after the first pull.
VIRTUAL_REPORT_REPULL_MINUTES = env.int("VIRTUAL_REPORT_REPULL_MINUTES", default=120)

# Text check-in through a Twilio-compatible number: the account's auth token signs the webhook.
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="")
SMS_OFFICE_NUMBER = env.str("SMS_OFFICE_NUMBER", default="")
# Numbers typed without a country code are read in this region (ISO 3166 code).
SMS_DEFAULT_REGION = env.str("SMS_DEFAULT_REGION", default="US")
SMS_LINK_CODE_MINUTES = env.int("SMS_LINK_CODE_MINUTES", default=30)

# --- Email -------------------------------------------------------------------------------------
EMAIL_URL = env.str("EMAIL_URL", default="consolemail://")
vars().update(env.email_url_config(EMAIL_URL))
if EMAIL_URL.startswith("filemail://"):
    # django-environ drops the leading slash of an absolute path; keep the path as written.
    EMAIL_FILE_PATH = urlparse(EMAIL_URL).path or str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="CPD Portal <cme-office@example.org>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# Web Push beside email (docs/offline-and-push.md): the VAPID private key (RFC 8292) as
# base64url of its 32 raw bytes; empty switches push off (the opt-in is not offered).
# docs/offline-and-push.md shows how to make one.
WEBPUSH_VAPID_PRIVATE_KEY = env.str("WEBPUSH_VAPID_PRIVATE_KEY", default="")
WEBPUSH_CONTACT = env.str("WEBPUSH_CONTACT", default="mailto:cme-office@example.org")
WEBPUSH_TTL_SECONDS = env.int("WEBPUSH_TTL_SECONDS", default=24 * 3600)
WEBPUSH_ENDPOINT_SCHEMES = ["https"]  # push services are HTTPS (RFC 8030)
EMAIL_TIMEOUT = 10

# --- Internationalisation ----------------------------------------------------------------------
LANGUAGE_CODE = "en"
# The learner-facing pages, emails and certificates in English, Spanish and Portuguese
# (docs/languages.md); staff pages stay English. A user's profile language wins over the browser's.
LANGUAGES = [("en", "English"), ("es", "Español"), ("pt-br", "Português (Brasil)")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="America/New_York")
USE_I18N = True
USE_TZ = True

# --- Static and media files --------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Certificates are private: served only through the download view, never from MEDIA_URL.
    # Point this alias at another backend (e.g. S3) to keep them elsewhere.
    "certificates": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Lesson attachments and videos: only enrolled learners and staff, through the lesson views.
    "lesson_files": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # SCORM packages: the original zips and their extracted files, served to learners only
    # through the player's signed content URLs (courses/packages, credits/tracking).
    "packages": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Commercial support agreements (ACCME Standard 4): staff only, through their download view.
    "support_agreements": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Object storage: with a bucket named, every stored file (uploads, lesson videos, certificates,
# exports) lives in one S3-compatible bucket under the same names it has under MEDIA_ROOT, so
# any web node or worker on any machine reads what another wrote. Nothing is public: the bucket
# stays private, the portal streams each file through its views after their permission checks,
# and any URL the storage makes is signed and lasts STORAGE_S3_URL_SECONDS.
STORAGE_S3_BUCKET = env.str("STORAGE_S3_BUCKET", default="")
if STORAGE_S3_BUCKET:
    _object_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": STORAGE_S3_BUCKET,
            "endpoint_url": env.str("STORAGE_S3_ENDPOINT_URL", default="") or None,
            "access_key": env.str("STORAGE_S3_ACCESS_KEY", default="") or None,
            "secret_key": env.str("STORAGE_S3_SECRET_KEY", default="") or None,
            "region_name": env.str("STORAGE_S3_REGION", default="") or None,
            # Path-style addressing works with every S3-compatible server (SeaweedFS, MinIO,
            # Ceph) and with AWS.
            "addressing_style": "path",
            "signature_version": "s3v4",
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": env.int("STORAGE_S3_URL_SECONDS", default=300),
            "file_overwrite": False,
        },
    }
    for _alias in ("default", "certificates", "lesson_files", "support_agreements"):
        STORAGES[_alias] = _object_storage
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Largest certificate a clinician may upload for an external activity.
EXTERNAL_CERTIFICATE_MAX_BYTES = env.int("EXTERNAL_CERTIFICATE_MAX_BYTES", default=5 * 1024 * 1024)
WHITENOISE_USE_FINDERS = DEBUG  # serve straight from static/ while developing
WHITENOISE_AUTOREFRESH = DEBUG
# Files browsers ask for at the site's root whatever the page links (/favicon.ico), served as
# they are (kept under static/, so collectstatic also publishes a hashed copy nobody links).
WHITENOISE_ROOT = BASE_DIR / "static" / "site-root"

# --- Security ----------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Strict CSP (docs/security.md): every script and style is a file under static/, so neither
# needs 'unsafe-inline' nor a nonce. img-src allows data: for the authenticator-app QR code
# (allauth draws it as a data: URI). form-action gains the identity providers' origins
# (cpd_portal/security.py). Django admin needs no exception: its templates carry no inline code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Features the portal never uses, switched off for every page (and anything embedded in it).
PERMISSIONS_POLICY = ["accelerometer", "autoplay", "camera", "display-capture", "geolocation",
                      "gyroscope", "magnetometer", "microphone", "midi", "payment", "usb"]
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Reports -----------------------------------------------------------------------------------
# Exports estimated at this many rows or more are built by a worker instead of streamed.
EXPORT_ASYNC_THRESHOLD_ROWS = env.int("EXPORT_ASYNC_THRESHOLD_ROWS", default=50_000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Certificates (credits/certificates/rendering.py): storage alias, page size, logo and rate limit.
CERTIFICATE_STORAGE = "certificates"
# A pending certificate a worker began rendering and no longer holds (locked rows are being
# rendered) for this long lost its worker; one never begun this long lost its task (a broker
# restart). The recovery tick (every minute) queues either again, instead of the broker's
# visibility timeout (an hour) redelivering the task.
CERTIFICATE_RENDER_LEASE_SECONDS = 60
CERTIFICATE_RENDER_REQUEUE_MINUTES = 10
LESSON_FILE_STORAGE = "lesson_files"
SUPPORT_AGREEMENT_STORAGE = "support_agreements"
SUPPORT_AGREEMENT_MAX_BYTES = env.int("SUPPORT_AGREEMENT_MAX_BYTES", default=5 * 1024 * 1024)
# How long an emailed disclosure link stays usable.
DISCLOSURE_LINK_DAYS = env.int("DISCLOSURE_LINK_DAYS", default=30)
LESSON_ATTACHMENT_MAX_BYTES = env.int("LESSON_ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
LESSON_VIDEO_MAX_BYTES = env.int("LESSON_VIDEO_MAX_BYTES", default=500 * 1024 * 1024)
# SCORM packages (docs/packages.md): the zip, what it may expand to, and how many files.
PACKAGE_STORAGE = "packages"
PACKAGE_MAX_BYTES = env.int("PACKAGE_MAX_BYTES", default=300 * 1024 * 1024)
PACKAGE_MAX_UNCOMPRESSED_BYTES = env.int("PACKAGE_MAX_UNCOMPRESSED_BYTES",
                                         default=1024 * 1024 * 1024)
PACKAGE_MAX_FILES = env.int("PACKAGE_MAX_FILES", default=10_000)
# How long a player's signed content address works (the learner reloads the page after that).
PACKAGE_CONTENT_LINK_HOURS = env.int("PACKAGE_CONTENT_LINK_HOURS", default=12)
CERTIFICATE_PAGE_SIZE = env.str("CERTIFICATE_PAGE_SIZE", default="Letter")  # or "A4"
CERTIFICATE_LOGO = Path(env.str("CERTIFICATE_LOGO",
                                default=str(BASE_DIR / "static" / "img" / "certificate-logo.svg")))
CERTIFICATE_VERIFY_RATE_PER_MINUTE = env.int("CERTIFICATE_VERIFY_RATE_PER_MINUTE", default=30)

# Open Badges 3.0 credentials (credits/certificates/openbadges): the signing key (an Ed25519 or
# P-256 private key as PEM or JWK, or a file holding one), and the issuer profile they name.
try:
    CREDENTIAL_SIGNING_KEY = signing_key_pem(
        value=env.str("CREDENTIAL_SIGNING_KEY", default=""),
        path=env.str("CREDENTIAL_SIGNING_KEY_FILE", default=""), debug=DEBUG, var_dir=VAR_DIR)
except SigningKeyError as error:
    raise ImproperlyConfigured(f"CREDENTIAL_SIGNING_KEY {error}.") from None
CREDENTIAL_ISSUER_NAME = env.str("CREDENTIAL_ISSUER_NAME", default=HOSPITAL_NAME)
CREDENTIAL_ISSUER_EMAIL = env.str("CREDENTIAL_ISSUER_EMAIL", default="")
CREDENTIAL_UPLOAD_MAX_BYTES = env.int("CREDENTIAL_UPLOAD_MAX_BYTES", default=64 * 1024)

# The JSON API (/api/v1/): calls per token (or per address without one) and minute, and how old
# a change must be before the sync feeds return it (see credits/reports/sync.py).
API_RATE_PER_MINUTE = env.int("API_RATE_PER_MINUTE", default=120)
API_SYNC_SETTLE_SECONDS = env.int("API_SYNC_SETTLE_SECONDS", default=120)
