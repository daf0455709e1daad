"""The jobs' tasks: run one job, and remove old files (hourly, from the scheduler)."""

from celery import shared_task

from . import services


@shared_task(name="jobs.run_job", acks_late=True, ignore_result=True)
def run_job(job_id: str) -> None:
    services.run(job_id)


@shared_task(name="jobs.remove_expired", ignore_result=True)
def remove_expired() -> int:
    return services.remove_expired()
