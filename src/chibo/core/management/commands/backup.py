"""`python -m chibo backup`: one archive of the embedded database and media (core.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from chibo.core import backup


class Command(BaseCommand):
    help = (
        "Back up the embedded mode (SQLite database, online, and the media files) into one "
        "archive chibo-backup-YYYYmmdd-HHMMSS.tar.gz in CHIBO_BACKUP_DIR. Safe while chibo "
        "runs. On PostgreSQL it refuses: use pg_dump (docs/deployment.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir", type=Path, default=None, help="Where to write (default CHIBO_BACKUP_DIR)."
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            help="Then delete all but the newest N archives of that directory.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = options["dir"] or Path(settings.CHIBO_BACKUP_DIR)
        try:
            result = backup.backup_create(directory=directory)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        manifest = result.manifest
        self.stdout.write(
            f"Backup written: {result.path} ({sum(manifest['row_counts'].values())} rows in "
            f"{len(manifest['row_counts'])} tables, {len(manifest['files']) - 1} media files)"
        )
        if manifest["missing_media"]:
            self.stderr.write(
                f"Warning: {len(manifest['missing_media'])} files named by the database are "
                "missing from the media directory (listed in the manifest's missing_media)."
            )
        if options["keep"] is not None:
            if options["keep"] < 1:
                raise CommandError("--keep must be at least 1")
            for path in backup.backups_prune(keep=options["keep"], directory=directory):
                self.stdout.write(f"Deleted old backup {path.name}")
