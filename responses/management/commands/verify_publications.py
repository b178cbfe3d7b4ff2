"""Checks every published file against its record. Run it from cron; it changes nothing.

Exits non-zero if any stored PDF or HTML is missing or no longer matches the SHA-256 recorded
when it was published. Also lists orphans: files under the publications folder that no
record names (left by a publish that died before its record was committed; the next publish
of that version replaces them, so they are reported, not failures).
"""

from django.core.management.base import BaseCommand, CommandError

from responses.models import Publication
from responses.publishing import STORED_FILES, StoredFileProblem, read_stored, stored_names


class Command(BaseCommand):
    help = (
        "Checks the SHA-256 of every published file; exits non-zero on a missing or altered "
        "file. Also lists files under the publications folder that no record names."
    )

    def handle(self, *args, **options):
        problems, named = self.check_files()
        orphans = sorted(stored_names() - named)
        for orphan in orphans:
            self.stdout.write(f"Orphan (no record names it): {orphan}")
        checked = len(named)
        self.stdout.write(f"{checked} published file(s) checked, {len(orphans)} orphan(s).")
        if problems:
            raise CommandError(f"{len(problems)} published file(s) missing or altered.")

    def check_files(self) -> tuple[list[StoredFileProblem], set[str]]:
        problems, named = [], set()
        for publication in Publication.objects.iterator():
            for kind, (field, _) in STORED_FILES.items():
                named.add(getattr(publication, field).name)
                try:
                    read_stored(publication, kind)
                except StoredFileProblem as problem:
                    problems.append(problem)
                    self.stderr.write(str(problem))
        return problems, named
