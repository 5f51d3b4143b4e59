"""Production settings: PostgreSQL (DATABASE_URL), Redis (REDIS_URL), gunicorn, whitenoise."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# base.py points Celery's broker and the cache at REDIS_URL. Without it they would fall back to a
# filesystem broker and a per-process cache, which look like they work while web and worker
# processes on other machines never see each other's tasks: refuse to start instead.
if not env("REDIS_URL", default=""):
    raise ImproperlyConfigured(
        "Set the REDIS_URL environment variable (e.g. redis://127.0.0.1:6379/0): in production Celery's broker "
        "and the shared cache run on Redis. The filesystem broker is for the local settings only."
    )

# Several gunicorn workers each keep their connection for a minute instead of one per request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# The load balancer probes /health/ over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
LANGUAGE_COOKIE_SECURE = True

# Sign-in lockouts (django-axes) count failures per username and client address. Behind reverse
# proxies every request comes from the nearest proxy's address, so the client's is read from
# X-Forwarded-For, which each of the PROXY_COUNT proxies appends to: the client is the entry the
# outermost proxy wrote, counted from the right, so an address a client puts in the header
# itself is never believed. Without proxies (PROXY_COUNT=0) the header is ignored altogether.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
if PROXY_COUNT < 0:
    raise ImproperlyConfigured("PROXY_COUNT is the number of reverse proxies in front of the portal: 0 or more.")
if PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    # django-ipware counts the proxies listed in the header; the nearest one is REMOTE_ADDR instead.
    AXES_IPWARE_PROXY_COUNT = PROXY_COUNT - 1
    # A header longer than the proxies account for (the client sent one) is still read from the right.
    IPWARE_STRICT = False
