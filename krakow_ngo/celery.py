"""The Celery application. Broker and eagerness come from Django settings (CELERY_*)."""

import os

from celery import Celery
from celery.signals import before_task_publish

from .heartbeat import beat_published

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krakow_ngo.settings")

app = Celery("krakow_ngo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Beat records its heartbeat when it sends the heartbeat task (krakow_ngo/heartbeat.py).
before_task_publish.connect(beat_published, weak=False)
