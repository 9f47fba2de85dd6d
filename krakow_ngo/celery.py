"""The Celery application. Broker and eagerness come from Django settings (CELERY_*)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krakow_ngo.settings")

app = Celery("krakow_ngo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
