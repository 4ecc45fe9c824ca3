"""`python -m chibo restore ARCHIVE --into DIR`: an embedded backup back into a data directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chibo.core import backup


class Command(BaseCommand):
    help = (
        "Restore a backup archive (python -m chibo backup) into a data directory: checks every "
        "file's checksum, then the database's integrity and row counts. The directory must be "
        "empty unless --force; stop chibo before restoring over its own data directory. Then "
        "start chibo with CHIBO_DATA_DIR=DIR (and run migrate if the code is newer)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="The chibo-backup-….tar.gz file.")
        parser.add_argument(
            "--into", type=Path, required=True, help="The data directory to restore into."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the database and media of a non-empty directory.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup.backup_restore(
                options["archive"], into=options["into"], force=options["force"]
            )
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {result.database} and {result.media} from the backup of "
            f"{result.manifest['created_at']}: checksums and row counts "
            f"({sum(result.row_counts.values())} rows) verified."
        )
