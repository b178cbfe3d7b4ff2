import argparse
import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from responses.importer import (
    ALREADY_IMPORTED,
    RECORDED,
    StatementError,
    import_statement_file,
)


class Command(BaseCommand):
    help = (
        "Imports the office's published statements (text files in the statement layout): "
        "each file's inspection, findings and published response. Importing a file again "
        "changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be created; write nothing."
        )
        parser.add_argument(
            "--json",
            action="store_true",
            dest="as_json",
            help="Print the records as JSON instead of a summary.",
        )
        parser.add_argument(
            "--response-published-on",
            type=_date,
            metavar="DD/MM/YYYY",
            help="When the office published the response (one FILE only); unknown otherwise.",
        )

    def handle(self, *args, files, dry_run, as_json, response_published_on, **options):
        if response_published_on and len(files) > 1:
            raise CommandError("--response-published-on applies to one FILE at a time.")
        reports, failed = [], 0
        for name in files:
            try:
                result = import_statement_file(
                    name, dry_run=dry_run, response_published_on=response_published_on
                )
            except (StatementError, OSError) as error:
                failed += 1
                reports.append({"source": name, "error": str(error)})
                if not as_json:
                    self.stderr.write(f"{name}: {error}")
                continue
            reports.append(result.as_json())
            if not as_json:
                self.stdout.write(_summary(result))
        if as_json:
            self.stdout.write(json.dumps(reports, indent=2, ensure_ascii=False))
        if failed:
            raise CommandError(f"{failed} of {len(files)} files could not be imported.")


def _date(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date in the form DD/MM/YYYY"
        ) from None


def _summary(result) -> str:
    draft = result.draft
    record = result.as_json()["inspection"]
    deadline = record["deadline"]
    due = (
        f"{deadline['label'].lower()} {deadline['last_day']}"
        if deadline["last_day"]
        else "no deadline"
    )
    name = f"#{draft.hmicfrs_number} – {draft.title}" if draft.hmicfrs_number else draft.title
    if result.outcome == ALREADY_IMPORTED:
        return f"{draft.source}: already imported ({name}); nothing changed."
    if result.outcome == RECORDED:
        done = "would be recorded" if result.dry_run else "recorded"
        return f"{draft.source}: already imported ({name}); its published version {done}."
    verb = "would import" if result.dry_run else "imported"
    findings = len(draft.findings)
    return (
        f"{draft.source}: {verb} {name} ({result.outcome}), published {draft.published_on}, "
        f"{findings} finding{'' if findings == 1 else 's'} and the published response; {due}."
    )
