"""WSGI and Celery entry points: `gunicorn wsgi:app`, `celery -A wsgi.celery_app worker`."""

from portal import create_app

app = create_app()
celery_app = app.extensions["celery"]
