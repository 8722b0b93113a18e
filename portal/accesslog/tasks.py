"""X-9: the access log's retention."""

from celery import shared_task

from portal.accesslog import services


@shared_task(name="accesslog.purge_expired", soft_time_limit=300, time_limit=360, ignore_result=True)
def purge_expired_task() -> int:
    return services.personal_data_access_purge()
