# The task queue's application is loaded with Django, so tasks find it (config/celery.py).
from .celery import app as celery_app

__all__ = ("celery_app",)
