"""Adds synthetic inspections in bulk (responses.synthetic), for benchmarks; never for real use."""

import time

from django.core.management.base import BaseCommand

from responses import synthetic


class Command(BaseCommand):
    help = (
        "Adds N generated inspections with findings, responses in every state, published "
        "versions, progress and history, reproducibly from a seed. For benchmarks only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--inspections", type=int, required=True, metavar="N")
        parser.add_argument("--seed", type=int, default=1, metavar="S")
        parser.add_argument(
            "--files",
            type=int,
            default=200,
            metavar="F",
            help="How many publications get stored files of their own (the others share one).",
        )

    def handle(self, *args, inspections, seed, files, **options):
        start = time.monotonic()
        synthetic.generate(inspections, seed=seed, files=files, stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {inspections} inspections in {time.monotonic() - start:.0f} s."
            )
        )
