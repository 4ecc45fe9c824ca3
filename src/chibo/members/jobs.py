"""The members' daily jobs: the access log of full records is kept for a fixed period
(members.record_reads)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from chibo.members.record_reads import purge_old_record_reads


@db_periodic_task(crontab(hour="19", minute="55"))  # 02:55 in Asia/Ho_Chi_Minh (Huey runs in UTC)
def purge_old_record_reads_daily() -> None:
    purge_old_record_reads()
