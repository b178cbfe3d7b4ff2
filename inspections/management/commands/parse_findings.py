import datetime
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from inspections.models import FindingKind
from inspections.parsing import parse_findings


class Command(BaseCommand):
    help = "Prints the findings in a text file (or - for standard input) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a text file of findings, or - for standard input")
        parser.add_argument(
            "--published",
            required=True,
            help="the report's publication date, YYYY-MM-DD: relative timings count from it",
        )
        parser.add_argument(
            "--kind",
            choices=FindingKind.values,
            default=FindingKind.RECOMMENDATION.value,
            help="the kind of findings that have no label or heading",
        )

    def handle(self, *args, **options):
        try:
            published_on = datetime.date.fromisoformat(options["published"])
        except ValueError:
            raise CommandError(
                f"--published must be a date as YYYY-MM-DD, not {options['published']!r}."
            ) from None

        findings = parse_findings(self.read(options["file"]), published_on, options["kind"])
        data = [finding.to_json_dict() for finding in findings]
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))

    def read(self, name: str) -> str:
        if name == "-":
            return sys.stdin.read()
        try:
            # Pasted text is not always UTF-8; a stray byte must not stop the rest being read.
            with open(name, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError as e:
            raise CommandError(f"Cannot read {name}: {e.strerror}.") from None
