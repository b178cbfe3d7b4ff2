"""Benchmark: query counts and response times of the list pages as data grows.

Run: .venv/bin/python bench/list_pages.py [--sizes 50 500]
Uses a throwaway SQLite database; prints one row per page and size. Query counts must stay
flat as data grows (the tests assert this too); times are for comparison between runs.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pfcc.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from inspections.models import Inspection  # noqa: E402
from tests.factories import make_finding, make_inspection, make_response  # noqa: E402

PAGES = [
    ("staff", "/staff/"),
    ("staff", "/staff/inspections/"),
    ("staff", "/staff/action-plan/"),
    ("public", "/"),
    ("public", "/on-time/"),
]
REPEATS = 5


def grow_to(size: int) -> None:
    for _ in range(size - Inspection.objects.count()):
        inspection = make_inspection()
        for _ in range(3):
            make_finding(inspection)
        make_response(inspection)


def measure(client: Client, url: str) -> tuple[int, float]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    # Counted now: the next request resets the connection's query log.
    count = len(queries)
    timings = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        client.get(url)
        timings.append(time.perf_counter() - start)
    return count, statistics.median(timings) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 500])
    args = parser.parse_args()
    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))
    staff = Client()
    staff.force_login(User.objects.get(username="manager"))
    clients = {"staff": staff, "public": Client()}
    print(f"{'page':<28}{'inspections':>12}{'queries':>9}{'median ms':>11}")
    for size in sorted(args.sizes):
        grow_to(size)
        for who, url in PAGES:
            count, median = measure(clients[who], url)
            print(f"{url:<28}{size:>12}{count:>9}{median:>11.1f}")


if __name__ == "__main__":
    main()
