"""Benchmark: every page at 100, 10,000 and 50,000 inspections, against the sign-in page.

Run: .venv/bin/python bench/pages.py [--sizes 100 10000 50000] [--repeats 15]
     [--output docs/performance.md]

PostgreSQL when DATABASE_URL names a server (a throwaway database is made on it and dropped
after), SQLite in a temporary file otherwise. The data is tests/catalogue.py's world (one of
everything, every field filled) grown with `manage.py generate_data` to each size in turn,
and the pages are the catalogue's (every GET page, as its first permitted persona; anonymous
for the public ones), plus the issue's own rows: the inspection list's last page, the public
list's last page and search, findings.xlsx, and a published PDF against the same bytes as a
static file. For each page: the queries of a request made with every cache empty ("first",
which also makes open data files and fills the caches), then `--repeats` requests as a server
would serve them, for p50 and p95 server time (the whole Django stack in this process, no
network), their ratio to the sign-in page's p50 in the same run, and the page's size.
Goal: every page within 3x of the sign-in page at 50,000 inspections.

Not a test (`make test` asserts the query counts and sizes): timings depend on the machine
and on what else runs on it, which the report records.
"""

import argparse
import datetime
import math
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="pfcc-bench-"))
SERVER = os.environ.get("DATABASE_URL", "")
BENCH_DB = f"pfcc_bench_{os.getpid()}"
if SERVER.startswith("postgres"):
    os.environ["DATABASE_URL"] = SERVER.rsplit("/", 1)[0] + f"/{BENCH_DB}"
else:
    os.environ["DATABASE_URL"] = f"sqlite:///{WORK}/bench.sqlite3"
os.environ["MEDIA_ROOT"] = str(WORK / "media")
# Generating 50,000 inspections runs statements longer than a request may.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "3600")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pfcc.settings")

import django  # noqa: E402

GOAL = 3.0
# A page whose first request took longer than this is not measured at the larger sizes (it
# would take hours there); the report says so.
TOO_SLOW = 10.0
STATIC_COPY = ROOT / "build" / "static" / "bench-statement-copy.pdf"


def make_database() -> None:
    if not SERVER.startswith("postgres"):
        return
    import psycopg

    with psycopg.connect(SERVER, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        connection.execute(f"CREATE DATABASE {BENCH_DB}")


def drop_database() -> None:
    from django.db import connections

    connections.close_all()
    if SERVER.startswith("postgres"):
        import psycopg

        with psycopg.connect(SERVER, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


class Bench:
    def __init__(self, repeats: int):
        from django.test import Client

        self.repeats = repeats
        self.clients: dict[str, Client] = {}
        self.rows: list[dict] = []
        self.login_p50: dict[int, float] = {}
        self.generated: dict[int, float] = {}
        self.too_slow: dict[str, dict] = {}
        self.world = None

    def client(self, persona: str):
        from django.test import Client

        from tests.catalogue import ANONYMOUS

        if persona not in self.clients:
            client = Client()
            if persona != ANONYMOUS:
                client.force_login(self.world.users[persona])
            self.clients[persona] = client
        return self.clients[persona]

    def measure(self, size: int, label: str, persona: str, url: str) -> dict:
        from django.core.cache import cache
        from django.db import connection

        client = self.client(persona)
        cache.clear()
        queries = []

        def count(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            start = time.perf_counter()
            response = client.get(url)
            content = body_of(response)
            first = time.perf_counter() - start
        # An export over EXPORT_BACKGROUND_ROWS answers with its progress page.
        ok = (200, 302) if label.startswith("export ") else (200,)
        if response.status_code == 302:
            label = f"{label} (made in the background)"
        elif response.status_code not in ok:
            # The request ran past its time budget (503) or failed: not measured further.
            label = f"{label}: HTTP {response.status_code}"
            first = max(first, TOO_SLOW)
        times = []
        for _ in range(self.repeats if first < TOO_SLOW else 0):
            start = time.perf_counter()
            body_of(client.get(url))
            times.append(time.perf_counter() - start)
        times = sorted(times) or [first]
        row = {
            "size": size,
            "page": label,
            "persona": persona,
            "url": url,
            "queries": len(queries),
            "first": first * 1000,
            "p50": statistics.median(times) * 1000,
            "p95": times[max(0, math.ceil(0.95 * len(times)) - 1)] * 1000,
            "bytes": len(content),
        }
        self.rows.append(row)
        print(
            f"{size:>7} {label[:44]:<44} {row['queries']:>4} q {row['first']:>9.1f} "
            f"{row['p50']:>8.1f} {row['p95']:>8.1f} ms {row['bytes']:>10} B",
            flush=True,
        )
        return row

    def pages(self, size: int) -> list[tuple[str, str, str]]:
        """(label, persona, url) of every page to measure at this size."""
        from django.urls import reverse

        from inspections.models import Inspection
        from responses.models import Publication
        from tests.catalogue import ANONYMOUS, PAGES

        # Whose view of a page to measure: the public's where it is public, else the office's.
        order = [
            ANONYMOUS,
            "publisher",
            "reviewer",
            "drafter",
            "administrator",
            "force",
            "outsider",
        ]
        found = []
        for page in PAGES:
            if page.method != "GET" or page.status != 200:
                continue
            persona = next(p for p in order if p in page.who)
            found.append((str(page), persona, page.path(self.world)))
        inspections = math.ceil(Inspection.objects.count() / 25)
        latest = math.ceil(Publication.objects.latest_versions().count() / 20)
        home = reverse("public-home")
        found += [
            ("inspection-list, last page", "publisher",
             f"{reverse('inspection-list')}?page={inspections}"),
            ("inspection-list, search", "publisher", f"{reverse('inspection-list')}?q=custody"),
            ("public-home, last page", ANONYMOUS, f"{home}?page={latest}"),
            ("public-home, search", ANONYMOUS, f"{home}?q=domestic+abuse"),
            ("public-home, year and type", ANONYMOUS, f"{home}?year=2015&type=peel"),
            ("public-pdf (same bytes as a static file)", ANONYMOUS, self.static_copy()),
        ]  # fmt: skip
        return found

    def static_copy(self) -> str:
        """The world's published PDF, copied where WhiteNoise serves static files from."""
        from django.conf import settings

        shutil.copyfile(Path(settings.MEDIA_ROOT) / self.world.publication.pdf_file.name,
                        STATIC_COPY)  # fmt: skip
        return f"{settings.STATIC_URL}{STATIC_COPY.name}"

    def export(self, size: int) -> None:
        """findings.xlsx of every finding, as the background worker makes it."""
        from django.http import QueryDict

        from inspections.models import Finding
        from responses import exports

        findings = Finding.objects.count()
        start = time.perf_counter()
        built = exports.build("findings", QueryDict(""), self.world.users["publisher"])
        with exports.xlsx_file(built) as handle:
            handle.seek(0, 2)
            written = handle.tell()
        took = time.perf_counter() - start
        print(f"{size:>7} findings.xlsx: {findings} findings in {took:.1f} s", flush=True)
        self.rows.append({"size": size, "page": f"findings.xlsx ({findings:,} findings)",
                          "persona": "worker", "url": "", "queries": None, "first": took * 1000,
                          "p50": took * 1000, "p95": took * 1000, "bytes": written})  # fmt: skip

    def run(self, sizes: list[int]) -> None:
        from django.core.management import call_command

        from inspections.models import Inspection
        from tests.catalogue import build_world

        call_command("migrate", verbosity=0)
        self.world = build_world()
        print(f"{'size':>7} {'page':<44} {'queries':>6} {'first':>9} {'p50':>8} {'p95':>8}")
        for size in sorted(sizes):
            missing = size - Inspection.objects.count()
            if missing > 0:
                start = time.perf_counter()
                call_command("generate_data", inspections=missing, seed=size, verbosity=0,
                             stdout=open(os.devnull, "w"))  # fmt: skip
                took = time.perf_counter() - start
                print(f"{size:>7} generated {missing} inspections in {took:.0f} s", flush=True)
                self.generated[size] = took
            self.analyse()
            for label, persona, url in self.pages(size):
                if label in self.too_slow:
                    continue
                row = self.measure(size, label, persona, url)
                if row["first"] >= TOO_SLOW * 1000:
                    self.too_slow[label] = row
                if label == "login":
                    self.login_p50[size] = row["p50"]
            self.export(size)

    def analyse(self) -> None:
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    return f"{platform.node()}: {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"


def database() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version} (WAL)"


def report(bench: Bench, args, started: datetime.datetime, loads: list[str]) -> str:
    sizes = sorted({row["size"] for row in bench.rows})
    biggest = sizes[-1]
    by = {(row["page"], row["size"]): row for row in bench.rows}
    pages = list(dict.fromkeys(row["page"] for row in bench.rows))
    lines = [
        "## Measured",
        "",
        f"Measured {started:%Y-%m-%d %H:%M} UTC on {machine()}, {database()}.",
        f"Load average (1, 5, 15 min) at the start {loads[0]}, at the end {loads[1]}: other "
        "work shared the machine's cores, so times are slower than on a quiet machine.",
        "",
        f"Command: `{' '.join(['.venv/bin/python', 'bench/pages.py', *sys.argv[1:]])}`"
        + (" with DATABASE_URL set" if SERVER.startswith("postgres") else ""),
        "",
        "Generating the data: "
        + ", ".join(f"{n:,} inspections in {s:.0f} s" for n, s in bench.generated.items()),
        "",
        "Each page: the queries and time of a request with every cache empty (first), then "
        f"{args.repeats} requests as served (p50, p95: server time in ms, the whole Django "
        "stack, no network); x login is p50 over the sign-in page's p50 at the same size. "
        f"Goal: within {GOAL:g}x of the sign-in page at {biggest:,} inspections.",
        "",
    ]
    header = ["page", "as"]
    for size in sizes:
        header += [f"queries {size:,}", f"first ms {size:,}", f"p50 {size:,}", f"p95 {size:,}",
                   f"x login {size:,}"]  # fmt: skip
    header += [f"KB {biggest:,}", "goal"]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    missed = []
    for page in pages:
        cells = [page, next(row["persona"] for row in bench.rows if row["page"] == page)]
        for size in sizes:
            row = by.get((page, size))
            if row is None:
                cells += [""] * 5
                continue
            ratio = row["p50"] / bench.login_p50[size] if row["queries"] is not None else None
            cells += [
                "" if row["queries"] is None else str(row["queries"]),
                f"{row['first']:.0f}",
                f"{row['p50']:.1f}",
                f"{row['p95']:.1f}",
                "" if ratio is None else f"{ratio:.1f}",
            ]
        last = by.get((page, biggest))
        met = goal(page, last, bench, biggest)
        if met.startswith("**no"):
            missed.append(page)
        cells += [f"{last['bytes'] / 1024:.0f}" if last else "", met]
        lines.append("| " + " | ".join(cells) + " |")
    flat = [
        page for page in pages
        if all((page, s) in by for s in sizes[:2]) and len(sizes) > 1
        and by[(page, sizes[0])]["queries"] != by[(page, sizes[1])]["queries"]
    ]  # fmt: skip
    lines += [
        "",
        "Queries equal at the two smallest sizes: "
        + ("all pages." if not flat else "not for " + ", ".join(flat) + "."),
        "",
        "Pages over the goal at the largest size: "
        + ("none." if not missed else ", ".join(missed) + "."),
        "",
    ]
    return "\n".join(lines)


def goal(page: str, row: dict | None, bench: Bench, size: int) -> str:
    """Whether the page meets its goal at `size`: 3x the sign-in page, except for downloads."""
    if row is None:
        slow = bench.too_slow.get(page)
        return f"**no**: {slow['first'] / 1000:.0f} s at {slow['size']:,}" if slow else ""
    if page.startswith("findings.xlsx"):
        return "yes" if row["first"] <= 10_000 else "**no** (over 10 s)"
    if page.startswith("export "):
        return "background" if "background" in page else "yes (under 10 s)" if row[
            "first"] <= 10_000 else "**no** (over 10 s)"  # fmt: skip
    if page == "public-pdf":
        static = next(r for r in bench.rows if r["size"] == size and "static" in r["page"])
        ratio = row["p50"] / static["p50"]
        return f"{'yes' if ratio <= 2 else '**no**'}: {ratio:.1f}x the static file"
    if page.endswith("-pdf"):
        return "render: bench/render_statement.py"
    return "yes" if row["p50"] <= GOAL * bench.login_p50[size] else "**no**"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10_000, 50_000])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--output", default=str(ROOT / "docs" / "performance.md"))
    args = parser.parse_args()
    make_database()
    django.setup()
    from django.conf import settings
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    started = datetime.datetime.now(datetime.UTC)
    loads = [" ".join(f"{n:.2f}" for n in os.getloadavg())]
    bench = Bench(args.repeats)
    try:
        bench.run(args.sizes)
    finally:
        loads.append(" ".join(f"{n:.2f}" for n in os.getloadavg()))
        STATIC_COPY.unlink(missing_ok=True)
        text = report(bench, args, started, loads) if bench.login_p50 else ""
        drop_database()
        shutil.rmtree(WORK, ignore_errors=True)
    write(Path(args.output), text)
    print(f"\nWrote {args.output}")


MARK = "<!-- Measured by bench/pages.py: everything below is replaced on each run. -->"


def write(path: Path, measured: str) -> None:
    """Replaces the measured part of `path`, keeping what is written above the mark."""
    kept = path.read_text().split(MARK)[0] if path.exists() else ""
    path.write_text(f"{kept.rstrip()}\n\n{MARK}\n\n{measured}".lstrip())


if __name__ == "__main__":
    main()
