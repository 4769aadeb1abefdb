FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# collectstatic needs settings but no real secrets or database.
RUN SECRET_KEY=collectstatic-only DATABASE_URL=sqlite:////tmp/none.db ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput \
 && useradd --create-home --uid 10001 app \
 && mkdir -p /app/media /tmp/prometheus && chown -R app /app/media /tmp/prometheus

USER app
EXPOSE 8000
# Metrics of every gunicorn worker are merged at /metrics (config/gunicorn.py empties the directory at start).
ENV PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus WEB_CONCURRENCY=3
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi:application"]
