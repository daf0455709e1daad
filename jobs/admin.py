"""The scheduler's timetable is written from ``CELERY_BEAT_SCHEDULE`` each time the
scheduler starts (django-celery-beat), so its admin pages would only invite edits that do
not last: they are taken out of the admin. Jobs are personal and have no admin either."""

from django.contrib import admin
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

for model in (PeriodicTask, CrontabSchedule, IntervalSchedule, SolarSchedule, ClockedSchedule):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
