"""Test settings: PostgreSQL when DATABASE_URL is set (CI), otherwise SQLite; in-memory email."""

from .base import *  # noqa: F403
from .base import BASE_DIR, REST_FRAMEWORK, database, env

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdefghijklmnop"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# An empty DATABASE_URL counts as unset.
DATABASES = {"default": database(env("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'test.sqlite3'}")}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run inline unless a test starts a real worker on RabbitMQ (tests/conftest.py `celery_worker`).
CELERY_TASK_ALWAYS_EAGER = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"auth": "1000/min", "confirm_resend": "3/hour"},
}
# Webhook receivers on this machine are fine here (production refuses loopback and private targets).
WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
