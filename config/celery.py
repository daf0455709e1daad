"""The Celery application: the task queue's workers and scheduler run this.

Production points ``CELERY_BROKER_URL`` at Redis (``redis://127.0.0.1:6379/0``); without it
(``make run``, the tests) every task runs in the process that sends it, so nothing else
needs installing. Settings are the ``CELERY_*`` ones in ``config/settings.py``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("outreach")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
