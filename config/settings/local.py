"""Developer settings: DEBUG, console email, an SQLite file unless DATABASE_URL is set."""

from .base import *  # noqa: F403
from .base import BASE_DIR, database, email_settings, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="local-insecure-key-only-for-development-0123456789abcdef")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "0.0.0.0"])
# An empty DATABASE_URL counts as unset.
DATABASES = {"default": database(env("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Codes are printed on the console unless EMAIL_URL names a mail server.
globals().update(email_settings("consolemail://"))
# Background tasks run inline unless a broker and a worker are there (`make worker`): make run needs only Python.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Webhook receivers on this machine are fine here (production refuses loopback and private targets).
WEBHOOKS_ALLOW_PRIVATE_TARGETS = env.bool("WEBHOOKS_ALLOW_PRIVATE_TARGETS", default=True)
