"""Rebuilds an empty, migrated installation from an archive made by `manage.py backup`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from responses import backup


class Command(BaseCommand):
    help = (
        "Restores PATH (made by `manage.py backup`) into this installation, which must be empty "
        "and migrated by the same version; checks every file's SHA-256."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        try:
            manifest = backup.restore(path)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["models"].values())
        self.stdout.write(
            f"Restored {rows} rows and {len(manifest['files'])} files (every SHA-256 checked) "
            f"from the backup of {manifest['created_at']}."
        )
