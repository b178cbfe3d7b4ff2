"""Writes one archive of the whole installation: every row, history included, and every file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from responses import backup


class Command(BaseCommand):
    help = (
        "Writes PATH: a gzipped tar of every database row (history included) and every stored "
        "file with its SHA-256. Restore it with `manage.py restore PATH`."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        try:
            manifest = backup.backup(path)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["models"].values())
        self.stdout.write(f"Wrote {path}: {rows} rows, {len(manifest['files'])} files.")
