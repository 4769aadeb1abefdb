"""The Celery app: background work on the RabbitMQ broker the product already runs.

Settings are the `CELERY_*` names of the Django settings (`config/settings/base.py`); tasks live in each app's
`tasks.py`. Start a worker with `celery -A config worker` and the scheduler with `celery -A config beat`
(`make worker`, `docker-compose.yml`). With `CELERY_TASK_ALWAYS_EAGER` (the default of `make run`), tasks run
inline in the process that enqueues them and nothing else needs to run.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("orders_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
