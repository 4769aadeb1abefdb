"""gunicorn settings of the API image (`gunicorn -c config/gunicorn.py config.wsgi:application`).

With PROMETHEUS_MULTIPROC_DIR set, every worker writes its metrics there and `/metrics` merges them
(prometheus-client's multiprocess mode); the directory is emptied when the master starts, and a dead
worker's live gauges are dropped.
"""

import os
import shutil
from typing import Any

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# Threaded workers: a request waiting on a slow dependency (the partner, up to its call deadlines) holds one thread,
# not a whole process, so the others keep answering. Each thread keeps its own database connection
# (CONN_MAX_AGE), so one API container opens up to WEB_CONCURRENCY × GUNICORN_THREADS connections: size
# PostgreSQL's max_connections for every container's share (see the README).
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
accesslog = "-"
# With threaded workers this is how long a worker's main loop may stay silent before gunicorn restarts it, not a
# request's limit: partner calls end by their own deadlines (PARTNERAPI_HTTP_DEADLINE, _ORDER).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "180"))
# gunicorn's own lines are JSON like the app's (config/settings/base.py LOGGING), so one parser reads all.
_JSON = {
    "()": "pythonjsonlogger.json.JsonFormatter",
    "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
    "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
}
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": _JSON},
    "handlers": {
        "error_console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"},
        "console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"},
    },
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
    },
}


def on_starting(server: Any) -> None:
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory, exist_ok=True)


def child_exit(server: Any, worker: Any) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
