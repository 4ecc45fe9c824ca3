"""The one settings module. Every value comes from the environment through the small typed
helpers below, which fail loudly on a bad value. SQLite by default; PostgreSQL by DATABASE_URL."""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0/true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("CHIBO_DEBUG", False)
DATA_DIR = Path(env_str("CHIBO_DATA_DIR", str(PROJECT_DIR / "var")))

_secret = os.environ.get("CHIBO_SECRET_KEY", "")
if not _secret:
    if env_bool("CHIBO_PRODUCTION", False):
        raise ImproperlyConfigured("CHIBO_SECRET_KEY must be set in production")
    # Embedded mode: a per-installation key kept beside the database, never in the repository.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    _secret_file = DATA_DIR / "secret_key"
    if not _secret_file.exists():
        import secrets

        _secret_file.write_text(secrets.token_urlsafe(64))
        _secret_file.chmod(0o600)
    _secret = _secret_file.read_text().strip()
SECRET_KEY = _secret

ALLOWED_HOSTS = env_list("CHIBO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CHIBO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    # passwords (issue 14): before django.contrib.auth so that its `changepassword` command
    # takes the place of Django's (it forces a change in production).
    "chibo.accounts",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # twofactor (issue 14): one-time codes after the password (accounts/twofactor.py).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "treebeard",
    "axes",
    "huey.contrib.djhuey",
    "django_htmx",
    "chibo.core",
    "chibo.orgs",
    "chibo.members",
    "chibo.meetings",
    "chibo.directives",
    "chibo.proposals",
    "chibo.followup",
    "chibo.notify",
    "chibo.reports",
    "chibo.lifecycle",
    "chibo.residence",
    "chibo.supervision",
    "chibo.reviews",
    "chibo.demo",  # last: the demo builds on every other app and nothing imports it
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # twofactor (issue 14): user.is_verified()
    "chibo.core.request_cache.RequestCacheMiddleware",
    "chibo.accounts.middleware_twofactor.TwoFactorMiddleware",  # twofactor (issue 14)
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # passwords (issue 14): no-store on every authenticated answer (outermost of the three so
    # that it also covers their redirects), the idle/absolute session timeout, the forced
    # password change.
    "chibo.core.middleware.NoStoreForUsersMiddleware",
    "chibo.accounts.middleware.SessionTimeoutMiddleware",
    "chibo.accounts.middleware.ForcedPasswordChangeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "chibo.core.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so that its process_exception sees a view's database error first (issue 14).
]

ROOT_URLCONF = "chibo.urls"
WSGI_APPLICATION = "chibo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "chibo.orgs.context_processors.navigation",
                "chibo.notify.context_processors.unread",
            ],
        },
    }
]

_sqlite_path = DATA_DIR / "chibo.sqlite3"
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(_sqlite_path),
            "OPTIONS": {
                # WAL lets readers and one writer work at once; IMMEDIATE avoids
                # lock-upgrade deadlocks when two requests write in the same moment.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
# A streaming replica of the primary PostgreSQL (DESIGN §6): dashboards and report exports
# read there (core.replica); without one they read the primary. The URL names the same
# database as DATABASE_URL, on the replica's host/port. For the test runner the alias is a
# MIRROR of "default": it is neither created nor flushed (it is read-only), and it reads the
# test database (test_<name>) that the primary streams to it (docs/deployment.md).
REPLICA_URL = env_str("CHIBO_REPLICA_URL", "")
if REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        REPLICA_URL, conn_max_age=60, conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["chibo.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    # argon2id at OWASP's minimum (accounts.hashers). It keeps the algorithm name "argon2",
    # so it also verifies the hashes made with Django's default argon2 parameters and
    # rehashes them at the next login (Django's Argon2PasswordHasher is not needed beside it).
    "chibo.accounts.hashers.ChiboArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if env_bool("CHIBO_FAST_HASHER", False):
    # Tests only: argon2 is deliberately slow and would dominate the suite's run time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # The demo's shared password and passwords that contain the username (issue 14).
    {"NAME": "chibo.accounts.validators.KnownAndUsernamePasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AXES_ENABLED = env_bool("CHIBO_AXES_ENABLED", True)
# The lockout limits, cool-down and trusted proxies are in the "passwords" block at the end.

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["chibo.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("CHIBO_MANIFEST_STATIC", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = DATA_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Security: secure cookies and HSTS whenever chibo runs behind HTTPS (production).
PRODUCTION = env_bool("CHIBO_PRODUCTION", False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("CHIBO_SESSION_AGE_SECONDS", 8 * 3600)
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("CHIBO_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("CHIBO_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Jobs: Huey on SQLite in the embedded mode, on Redis in production.
REDIS_URL = env_str("REDIS_URL", "")
HUEY = {
    "name": "chibo",
    "immediate": env_bool("CHIBO_JOBS_IMMEDIATE", not REDIS_URL and DEBUG),
    "utc": True,
}
if REDIS_URL:
    HUEY |= {"huey_class": "huey.RedisHuey", "url": REDIS_URL}
else:
    HUEY |= {"huey_class": "huey.SqliteHuey", "filename": str(DATA_DIR / "jobs.sqlite3")}

# E-mail copies of notifications: by SMTP where a mail server is configured; without one, the
# embedded mode writes each e-mail as a file in var/mail/ (the demo's e-mail log) and production
# sends none. Tests use Django's in-memory outbox.
EMAIL_HOST = env_str("CHIBO_EMAIL_HOST", "")
EMAIL_ENABLED = bool(EMAIL_HOST) or not env_bool("CHIBO_PRODUCTION", False)
if not EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(DATA_DIR / "mail")
EMAIL_PORT = env_int("CHIBO_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("CHIBO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("CHIBO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("CHIBO_EMAIL_TLS", True)
DEFAULT_FROM_EMAIL = env_str("CHIBO_EMAIL_FROM", "chibo@localhost")
# SMS copies: "log" (default: logs a masked number, sends nothing), "http" (POST JSON {to, text}
# with a bearer token to CHIBO_SMS_URL), or the dotted path of a gateway class; see notify/sms.py.
CHIBO_SMS_GATEWAY = env_str("CHIBO_SMS_GATEWAY", "log")
CHIBO_SMS_URL = env_str("CHIBO_SMS_URL", "")
CHIBO_SMS_TOKEN = env_str("CHIBO_SMS_TOKEN", "")
CHIBO_SMS_TIMEOUT = env_int("CHIBO_SMS_TIMEOUT", 10)
# The public address of this chibo, printed on signed documents (the verification link): never
# taken from a request's Host header, which is whatever address the signer happened to use.
CHIBO_PUBLIC_URL = env_str("CHIBO_PUBLIC_URL", "http://127.0.0.1:8000")
if not CHIBO_PUBLIC_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        f"CHIBO_PUBLIC_URL must start with http:// or https://: {CHIBO_PUBLIC_URL!r}"
    )
# The address links in e-mails point to (the public address unless set apart).
CHIBO_BASE_URL = env_str("CHIBO_BASE_URL", CHIBO_PUBLIC_URL)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("CHIBO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Request logs would carry member names in query strings (search); keep them at WARNING.
        "django.request": {"level": "WARNING"},
        "django.server": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # WeasyPrint reports every layout step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Lunar-new-year holiday periods per year may be overridden in the database
# (core.LunarNewYear); these are the central defaults, see core/calendar.py.
CHIBO_PAGE_SIZE = env_int("CHIBO_PAGE_SIZE", 50)

# --- personal (issue 14) ---
# How long the access log of members' full records (members.RecordRead: who read whose record,
# when) is kept before the daily job deletes it: two years by default (see docs/deployment.md).
CHIBO_RECORD_READS_KEEP_DAYS = env_int("CHIBO_RECORD_READS_KEEP_DAYS", 730)

# --- imports (issue 14) ---
# What reading one uploaded list may cost (core.uploads.ParseLimits; docs/deployment.md
# "Import limits"). Rows count blank ones too; seconds are wall-clock, checked while reading.
CHIBO_IMPORT_MAX_ROWS = env_int("CHIBO_IMPORT_MAX_ROWS", 100_000)
CHIBO_IMPORT_MAX_UNCOMPRESSED_MB = env_int("CHIBO_IMPORT_MAX_UNCOMPRESSED_MB", 256)
CHIBO_IMPORT_MAX_COMPRESSION_RATIO = env_int("CHIBO_IMPORT_MAX_COMPRESSION_RATIO", 100)
CHIBO_IMPORT_REQUEST_SECONDS = env_int("CHIBO_IMPORT_REQUEST_SECONDS", 10)
CHIBO_IMPORT_JOB_SECONDS = env_int("CHIBO_IMPORT_JOB_SECONDS", 90)
CHIBO_IMPORT_MAX_CSV_MB = env_int("CHIBO_IMPORT_MAX_CSV_MB", 20)
CHIBO_IMPORT_MAX_LINE_CHARS = env_int("CHIBO_IMPORT_MAX_LINE_CHARS", 10_000)
# A list estimated above this many rows is read and imported in a background job.
CHIBO_IMPORT_JOB_ROWS = env_int("CHIBO_IMPORT_JOB_ROWS", 5_000)

# --- twofactor (issue 14) ---
# Who must use two-factor and the roll-out: accounts/twofactor.py, docs/deployment.md.
OTP_TOTP_ISSUER = "chibo"
# Days a user who must use two-factor may go on without it, counted from the first request
# where it was required; 0 sends them to the set-up page at once.
CHIBO_TWO_FACTOR_GRACE_DAYS = env_int("CHIBO_TWO_FACTOR_GRACE_DAYS", 14)
if CHIBO_TWO_FACTOR_GRACE_DAYS < 0:
    raise ImproperlyConfigured("CHIBO_TWO_FACTOR_GRACE_DAYS must be 0 or more")

# --- passwords (issue 14) ---
# Lockout (django-axes): failures are counted per username and per client address SEPARATELY,
# each with its own limit (accounts.lockout.SeparateLimitsHandler): a guesser who tries one
# username from many addresses is stopped by the first, one address spraying many usernames by
# the second. A locked login waits a short cool-down (from its last counted failure) or is
# unlocked at once by a password reset; failures made while locked are not counted, so that
# nobody can keep a username locked by trying again and again.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = env_int("CHIBO_LOGIN_FAILURE_LIMIT", 10)  # per username
CHIBO_LOGIN_FAILURE_LIMIT_PER_IP = env_int("CHIBO_LOGIN_FAILURE_LIMIT_PER_IP", 50)
CHIBO_LOGIN_COOLOFF_MINUTES = env_int("CHIBO_LOGIN_COOLOFF_MINUTES", 15)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=CHIBO_LOGIN_COOLOFF_MINUTES)
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A successful login does not reset the counters: the reset would also clear its address's
# count, and a sprayer holding one valid account could log in with it to start again.
AXES_RESET_ON_SUCCESS = False
AXES_HANDLER = "chibo.accounts.lockout.SeparateLimitsHandler"
AXES_LOCKOUT_CALLABLE = "chibo.accounts.views_password.lockout"
# The client's address for the lockout: with no trusted proxy (the embedded mode) only the TCP
# peer (REMOTE_ADDR) counts and X-Forwarded-For is ignored, since any client can send one. Behind
# N reverse proxies that each append the address they saw ($proxy_add_x_forwarded_for), the
# client is the N-th address from the right of X-Forwarded-For; django-ipware counts the
# proxies after the client in the header (N - 1), and must not be strict about the chain's
# length: a client may send a forged header, which nginx keeps at the left.


def trusted_proxy_settings(count: int) -> dict[str, object]:
    """django-ipware's settings for axes with `count` trusted reverse proxies."""
    if count < 0:
        raise ImproperlyConfigured("CHIBO_TRUSTED_PROXY_COUNT must be 0 or more")
    if count == 0:
        return {
            "AXES_IPWARE_META_PRECEDENCE_ORDER": ("REMOTE_ADDR",),
            "AXES_IPWARE_PROXY_COUNT": None,
        }
    return {
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
        "AXES_IPWARE_PROXY_COUNT": count - 1,
    }


CHIBO_TRUSTED_PROXY_COUNT = env_int("CHIBO_TRUSTED_PROXY_COUNT", 0)
_client_address = trusted_proxy_settings(CHIBO_TRUSTED_PROXY_COUNT)
AXES_IPWARE_META_PRECEDENCE_ORDER = _client_address["AXES_IPWARE_META_PRECEDENCE_ORDER"]
AXES_IPWARE_PROXY_COUNT = _client_address["AXES_IPWARE_PROXY_COUNT"]
AXES_IPWARE_PROXY_ORDER = "left-most"
IPWARE_STRICT = False
# Sessions: besides the absolute age (SESSION_COOKIE_AGE, counted from the login), a session
# ends after this many minutes without a request (accounts.middleware.SessionTimeoutMiddleware).
CHIBO_SESSION_IDLE_MINUTES = env_int("CHIBO_SESSION_IDLE_MINUTES", 30)
# Password reset links stay valid for this long (Django's default is three days).
PASSWORD_RESET_TIMEOUT = env_int("CHIBO_PASSWORD_RESET_MINUTES", 60) * 60

# --- backups (issue 14) ---
# The embedded mode's backups (core.backup): `python -m chibo backup` / `restore`, and a daily
# job (core.jobs.backup_daily, 02:30) keeping the newest CHIBO_BACKUP_KEEP archives. PostgreSQL
# deployments use pg_dump and WAL archiving instead (docs/deployment.md).
CHIBO_BACKUP_DIR = Path(env_str("CHIBO_BACKUP_DIR", str(DATA_DIR / "backups")))
CHIBO_BACKUP_KEEP = env_int("CHIBO_BACKUP_KEEP", 14)
if CHIBO_BACKUP_KEEP < 1:
    raise ImproperlyConfigured(f"CHIBO_BACKUP_KEEP must be at least 1, got {CHIBO_BACKUP_KEEP}")
CHIBO_BACKUP_DAILY = env_bool("CHIBO_BACKUP_DAILY", True)

# --- load (issue 14) ---
# PostgreSQL restarted under a running chibo: a persistent connection that died with it is
# noticed at the start of the next request and replaced (one cheap check when a connection is
# reused) instead of failing that request; the requests during the restart get a 503 page
# (core.views_errors.server_error, chibo's handler500).
if DATABASE_URL:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A job whose heartbeat is older than this is taken to be orphaned by a consumer that stopped
# and is queued again (core.jobs_recovery); a run writes its heartbeat five times within it.
CHIBO_JOBS_STALE_SECONDS = env_int("CHIBO_JOBS_STALE_SECONDS", 60)
