"""The core's periodic jobs: the embedded mode's daily backup (core.backup)."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.db import connection
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from chibo.core import backup

logger = logging.getLogger(__name__)


def backup_daily_run() -> Path | None:
    """Make one backup and keep the newest CHIBO_BACKUP_KEEP; returns the new archive, or None
    when there is nothing to do: daily backups switched off (CHIBO_BACKUP_DAILY=0), or a
    PostgreSQL database, which is backed up by PostgreSQL's own procedure (pg_dump, WAL)."""
    if not settings.CHIBO_BACKUP_DAILY or connection.vendor != "sqlite":
        return None
    result = backup.backup_create()
    pruned = backup.backups_prune(keep=settings.CHIBO_BACKUP_KEEP)
    logger.info(
        "backup written: %s (%d files); %d old backups deleted",
        result.path.name,
        len(result.manifest["files"]),
        len(pruned),
    )
    return result.path


@db_periodic_task(crontab(hour="19", minute="30"))  # 02:30 in Asia/Ho_Chi_Minh (Huey runs in UTC)
def backup_daily() -> None:
    backup_daily_run()
