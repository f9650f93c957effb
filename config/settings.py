"""Settings for the acupressure clinic system, read from the environment.

Variables: DJANGO_SECRET_KEY, DJANGO_DEBUG, DJANGO_ALLOWED_HOSTS, DATABASE_URL,
DJANGO_TIME_ZONE, EMAIL_URL (or EMAIL_HOST and the rest, config/mail.py), and those in the
README's table. Bad values fail loudly at start-up.
"""

import os
from datetime import timedelta
from pathlib import Path

from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from .database import database_from_environment
from .mail import mail_from_environment

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_positive_int(name, default):
    value = os.environ.get(name) or str(default)
    if not value.isdigit() or int(value) < 1:
        raise ImproperlyConfigured(f"{name} must be a whole number above 0, not {value!r}")
    return int(value)


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
MISSING_SECRET_KEY = (
    "DJANGO_SECRET_KEY is not set. Set a long random value, "
    "or DJANGO_DEBUG=1 for local development only."
)
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "django-insecure-local-development-only"
elif (
    SECRET_KEY and not DEBUG and (len(SECRET_KEY) < 32 or SECRET_KEY.startswith("django-insecure"))
):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 32 random characters.")
# Without a key and without debug, management commands such as `check` still run, but
# the app refuses to start (config/wsgi.py, config/asgi.py) and Django refuses to sign anything.

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "clinic",
    "catalogue",
    "sessions.apps.TreatmentSessionsConfig",
    "homecare.apps.HomeCareConfig",
    "letters.apps.LettersConfig",
    "scheduling.apps.SchedulingConfig",
    "records.apps.RecordsConfig",
    "operations.apps.OperationsConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.security_headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.nul_bytes.RefuseNulInAddressMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "clinic.session_lifetime.IdleExpiryMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "config.server_errors.NoStoreMiddleware",
    "clinic.session_lifetime.AbsoluteSessionLifetimeMiddleware",
    "clinic.timezones.ClinicTimezoneMiddleware",
    # Until the second factor is passed (or set up where required): its page only.
    "clinic.second_factor.SecondFactorMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "clinic.context_processors.practitioner",
            ],
            # templates/bootstrap5/field.html: crispy's field template, mostly in Python.
            "libraries": {"crispy_field": "config.crispy_field"},
        },
    },
]

# SQLite (the default file or a sqlite:// URL) or PostgreSQL; see config/database.py.
# DATABASE_BUSY_TIMEOUT, DATABASE_CONNECT_TIMEOUT, DATABASE_STATEMENT_TIMEOUT in seconds.
DATABASES = {"default": database_from_environment(BASE_DIR / "db.sqlite3")}

# Each worker's own memory: what is kept there (a client page's whole-history summaries,
# sessions/whole_history.py) is keyed by the state of the data it shows, so workers never
# need to agree. Kept in this process only: clinical text never leaves the server's memory.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a rule: told of every password change, it revokes the user's API tokens.
    {"NAME": "clinic.api_tokens.RevokeTokensOnPasswordChange"},
]

# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "clinic:dashboard"
LOGOUT_REDIRECT_URL = "login"

# A practitioner is logged out after 30 minutes without a request; the expiry is pushed
# back at most once a minute, not written on every request (clinic/session_lifetime.py).
SESSION_COOKIE_AGE = 30 * 60
# ... and after 12 hours whatever the activity (DJANGO_SESSION_ABSOLUTE_HOURS).
SESSION_ABSOLUTE_SECONDS = int(float(os.environ.get("DJANGO_SESSION_ABSOLUTE_HOURS") or 12) * 3600)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
if not DEBUG:
    # Served over HTTPS by a TLS-terminating proxy (the README's recipe): plain HTTP is
    # redirected and browsers are told to use HTTPS only. DJANGO_HTTPS=0 serves plain HTTP
    # (a closed test network, the soak script), without those headers.
    HTTPS = env_bool("DJANGO_HTTPS", True)
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", HTTPS)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
    SECURE_SSL_REDIRECT = HTTPS
    SECURE_HSTS_SECONDS = 365 * 24 * 3600 if HTTPS else 0
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    # Only allows the domain to be submitted to browsers' preload lists; nothing is sent.
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)

# Content-Security-Policy on every answer (django-csp): scripts, styles, images, fetches
# and forms from this site only; no inline script, style element or style attribute and no
# onclick-style handler. The few elements that must be inline carry the request's nonce
# ({{ request.csp_nonce }}): the print page's <style> (each picture's place) and the API
# docs' init script (templates/drf_spectacular/swagger_ui.html, which holds the CSRF token).
# A page that uses no nonce gets a policy without one. No style-src-attr is needed:
# Bootstrap's collapse, dropdown and alerts and Django admin's scripts set styles through
# element.style, which a policy does not govern (tests/browser/test_csp.py watches for
# violations on every main page). django-csp leaves the header out only on DEBUG's 404
# and 500 pages. The PDF renderer reads no policy; its answer carries the headers all the same.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}
# Browser features the app never uses, denied to every origin (config/security_headers.py).
PERMISSIONS_POLICY_DENIED = [
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "serial",
    "usb",
    "xr-spatial-tracking",
]
# Django's defaults, written out: no MIME sniffing, the Referer only to this site, a
# window of its own (no other site's page keeps a handle on ours), no framing.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

# Mail: EMAIL_URL (smtp+tls://user:password@host:587), or EMAIL_HOST, EMAIL_PORT,
# EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS / EMAIL_USE_SSL; EMAIL_TIMEOUT and
# DEFAULT_FROM_EMAIL. Neither: the console when debugging, else localhost:25 (config/mail.py).
globals().update(mail_from_environment(debug=DEBUG))

# Password-reset mails sent at most this often, per account and per address (past either,
# the page says the same and no mail goes; clinic/password_reset.py).
PASSWORD_RESET_MAILS_PER_ACCOUNT = 3
PASSWORD_RESET_MAILS_PER_ADDRESS = 10
PASSWORD_RESET_MAIL_WINDOW = timedelta(hours=1)

# Django's widget templates, the common ones written in Python (config/widget_renderer.py).
FORM_RENDERER = "config.widget_renderer.WidgetRenderer"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous API call answers 401 with WWW-Authenticate.
        "clinic.timezones.ClinicTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "clinic.access.IsActivePractitioner",
        "clinic.second_factor.SecondFactorSetUp",
    ],
    # Every answer, errors included, is JSON (no browsable HTML API).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "config.api_parsers.DepthLimitedJSONParser",
        "config.api_parsers.NulRefusingFormParser",
        "config.api_parsers.NulRefusingMultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "config.api_schema.ClinicAutoSchema",
    "EXCEPTION_HANDLER": "config.api_errors.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Acupressure clinic API",
    "DESCRIPTION": "Clients, the point catalogue, treatment sessions, home-care sheets, "
    "referral letters, and the diary: appointments, their types and rooms, working hours and "
    "treatment plans.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "BodyRegionEnum": "catalogue.health_flags.BodyRegion",
        "PressureEnum": "catalogue.caution_rules.PressureLevel",
    },
}

# A history entry is never "reverted" in the admin: a correction is a new, checked edit.
SIMPLE_HISTORY_REVERT_DISABLED = True

# One throttle for every door: the web login, the admin login and the API token endpoint
# all authenticate through django-axes (clinic/throttle.py). Failed logins are counted per
# account, keyed on the username as authentication sees it (stripped, NFKC-normalised,
# case-folded), so " ben", "ben\t", fullwidth "ｂｅｎ" and "BEN" all count against "ben".
# AXES_FAILURE_LIMIT failures lock that account for AXES_COOLOFF_TIME (counted from the
# last failure); a clinic manager or the superuser clears a lockout at /clinic/lockouts/.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]  # never the address: see the address rule below
# axes warns that a lockout without the address can be dodged by changing user agents; ours
# counts an account's failures whatever the user agent, and the address rule slows addresses.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_CALLABLE = "clinic.throttle.lockout_key"
AXES_CLIENT_IP_CALLABLE = "clinic.access_log.client_ip"  # REMOTE_ADDR, as the access log
AXES_HANDLER = "clinic.throttle.LoginThrottleHandler"
AXES_LOCKOUT_CALLABLE = "clinic.throttle.lockout_response"
# A refused try is not counted, so knocking on a locked door does not extend its lock.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True  # the right password forgets that account's failures
AXES_ENABLE_ADMIN = False  # lockouts are cleared on /clinic/lockouts/, which logs it
AXES_DISABLE_ACCESS_LOG = True  # logins are in clinic's access log already
AXES_VERBOSE = False
# The address rule: an address is never locked out, since a whole clinic may sit behind one
# router and one person's mistyping must not keep the others (or the superuser) out. It is
# slowed instead: from its LOGIN_ADDRESS_SLOWDOWN_AFTER-th failed login within
# AXES_COOLOFF_TIME on, each failure from it makes it wait before its next try: 1 second
# after the first of those, doubling with each one after it, at most
# LOGIN_ADDRESS_MAX_DELAY_SECONDS. A try during the wait is answered 429 with Retry-After,
# without checking the password and without being counted. The right password after the
# wait logs in; guessing from that address drops to about one guess per maximum delay.
LOGIN_ADDRESS_SLOWDOWN_AFTER = 10
LOGIN_ADDRESS_MAX_DELAY_SECONDS = 30

# The second factor (clinic/second_factor.py): the name authenticator apps show, and
# django-otp's throttle after a wrong code (1, 2, 4, 8 ... seconds per device).
OTP_TOTP_ISSUER = "Acupressure clinic"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# An API Idempotency-Key is kept this long at least (then pruned, and may be used again).
IDEMPOTENCY_KEY_HOURS = 24

# An API token (one per login and device) expires this many days after the login that
# made it (DJANGO_API_TOKEN_DAYS); see clinic/api_tokens.py.
API_TOKEN_DAYS = env_positive_int("DJANGO_API_TOKEN_DAYS", 30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Background tasks (appointment reminders): the database backend, run by `manage.py
# db_worker` (make run starts one). SMS_BACKEND sends text messages; the console by default.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
SMS_BACKEND = os.environ.get("SMS_BACKEND", "scheduling.sms.ConsoleBackend")
