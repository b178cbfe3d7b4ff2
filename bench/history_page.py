"""Benchmark: the history page of a response whose section holds 1 MB of text.

Run: .venv/bin/python bench/history_page.py [--megabytes 1]
Uses a throwaway SQLite database. The section goes through five versions (written, one word
changed, every tenth paragraph edited, a paragraph added at the top, rewritten whole) and
the page that diffs them all is timed. The word diff is bounded (inspections/history.py), so
the page must stay under 2 s on the project's 2-core machine; it exits 1 if it does not.
"""

import argparse
import os
import random
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
from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from responses import roles, workflow  # noqa: E402
from responses.models import Response  # noqa: E402
from tests.factories import make_finding, make_inspection  # noqa: E402

LIMIT = 2.0
RUNS = 3


def text_of(megabytes: float, seed: int) -> list[str]:
    """Paragraphs of about 500 characters, `megabytes` in all."""
    rng = random.Random(seed)
    vocabulary = [f"w{n:04d}" for n in range(5000)] + ["the", "force", "will", "and", "of"]
    paragraphs, size = [], 0
    while size < megabytes * 1_000_000:
        paragraph = " ".join(rng.choice(vocabulary) for _ in range(90)) + "."
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return paragraphs


def save(response: Response, user: User, paragraphs: list[str]) -> None:
    response.refresh_from_db()
    workflow.save_response_fields(
        response=response,
        actor=user,
        values={"commissioner_comments": "\n\n".join(paragraphs)},
        loaded_version=response.version,
        what="comments",
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=float, default=1.0)
    args = parser.parse_args()
    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    user = User.objects.create_user("drafter")
    user.groups.set(Group.objects.filter(name__in=[roles.DRAFTER, roles.REVIEWER]))
    inspection = make_inspection()
    make_finding(inspection)
    response = workflow.start_response(inspection=inspection, actor=user)

    paragraphs = text_of(args.megabytes, seed=1)
    save(response, user, paragraphs)
    paragraphs[len(paragraphs) // 2] = paragraphs[len(paragraphs) // 2].replace(" ", " new ", 1)
    save(response, user, paragraphs)
    paragraphs = [
        p.replace(" ", " edited ", 1) if i % 10 == 0 else p for i, p in enumerate(paragraphs)
    ]
    save(response, user, paragraphs)
    save(response, user, ["A new opening paragraph.", *paragraphs])
    save(response, user, text_of(args.megabytes, seed=2))

    client = Client()
    client.force_login(user)
    url = f"/staff/responses/{response.pk}/history/"
    timings, size = [], 0
    for _ in range(RUNS):
        start = time.perf_counter()
        page = client.get(url)
        timings.append(time.perf_counter() - start)
        assert page.status_code == 200, f"{url} answered {page.status_code}"
        size = len(page.content)
    median = statistics.median(timings)
    print(
        f"history page, {args.megabytes:g} MB section, 5 versions: median {median:.2f} s "
        f"(runs {', '.join(f'{t:.2f}' for t in timings)}), page {size / 1e6:.1f} MB"
    )
    if median > LIMIT:
        print(f"Slower than {LIMIT:.0f} s", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
