"""Load: 50 clients at once for 60 s against gunicorn and PostgreSQL, as in production.

Run: .venv/bin/python bench/load.py [--clients 50] [--seconds 60] [--workers 3]

Starts its own throwaway PostgreSQL cluster and gunicorn, both on 127.0.0.1 and free ports,
loads the demo data, then drives the clients with no pause between requests: each picks a
public page (60%), a published statement's PDF (15%) or a signed-in staff page (25%).
Every URL is fetched once before the timed run (which also fills the cache, as readers do
after a publication). Prints requests per second, latency percentiles and errors (anything
but a 200, or no answer within 30 s), then stops everything it started and removes its
files. Not a test: the numbers depend on the machine and on what else runs on it.
"""

import argparse
import asyncio
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
PGBIN = Path("/usr/lib/postgresql/15/bin")
HOST = "127.0.0.1"
TIMEOUT = 30
MIX = {"public": 0.60, "pdf": 0.15, "staff": 0.25}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def as_postgres(*command) -> list[str]:
    # initdb refuses to run as root: run the cluster as the postgres user then.
    return (
        ["runuser", "-u", "postgres", "--", *map(str, command)]
        if os.geteuid() == 0
        else [*map(str, command)]
    )


@contextmanager
def postgres(folder: Path):
    data, port = folder / "pgdata", free_port()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    subprocess.run(
        as_postgres(PGBIN / "initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8")
        + ["--locale=C.UTF-8", "-N"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    options = f"-c listen_addresses={HOST} -p {port} -k {folder} -c max_connections=100"
    subprocess.run(
        as_postgres(PGBIN / "pg_ctl", "-D", data, "-l", folder / "postgres.log", "-w")
        + ["-o", options, "start"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        subprocess.run(
            ["psql", "-h", HOST, "-p", str(port), "-U", "postgres", "-qc", "CREATE DATABASE pfcc"],
            check=True,
        )
        yield f"postgres://postgres@{HOST}:{port}/pfcc"
    finally:
        subprocess.run(
            as_postgres(PGBIN / "pg_ctl", "-D", data, "-m", "fast", "stop"),
            stdout=subprocess.DEVNULL,
        )


def app_environment(database_url: str, folder: Path) -> dict:
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": database_url,
        # Production keeps connections open: the README's deployment says so too.
        "DATABASE_CONN_MAX_AGE": "60",
        "EMAIL_HOST": HOST,  # required without DEBUG; nothing is sent in this run
        "MEDIA_ROOT": str(folder / "media"),
        "CACHE_LOCATION": str(folder / "cache"),
        "AXES_ENABLED": "false",
        "LOG_LEVEL": "WARNING",
    }


def manage(env: dict, *args) -> None:
    subprocess.run([PYTHON, ROOT / "manage.py", *args], env=env, check=True, cwd=ROOT)


def urls_and_sessions(env: dict) -> tuple[dict[str, list[str]], list[str]]:
    """The URLs of each kind in the demo data, and session cookies of three staff members."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "pfcc.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.test import Client
    from django.urls import reverse

    from inspections.models import Inspection
    from responses.models import Publication, Response

    publications = list(Publication.objects.select_related("response__inspection"))
    public = ["/", "/?q=inspection", "/on-time/", "/open-data/", "/open-data/responses.csv"]
    public += ["/open-data/responses.json", "/feed/", "/sitemap.xml", "/action-plans/"]
    public += [
        reverse("public-response", args=[p.response.inspection.public_id]) for p in publications
    ]
    pdf = [
        reverse("public-pdf", args=[p.response.inspection.public_id, p.version])
        for p in publications
    ]
    staff = [reverse(name) for name in ("dashboard", "inspection-list", "action-plan")]
    staff += [reverse("deadline-list") + f"?panel={key}" for key in ("overdue", "findings-overdue")]
    staff += [
        reverse("inspection-detail", args=[pk])
        for pk in Inspection.objects.values_list("pk", flat=True)
    ]
    staff += [
        reverse("response-detail", args=[pk])
        for pk in Response.objects.values_list("pk", flat=True)
    ]
    cookies = []
    for username in ("manager", "drafter", "reviewer"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        cookies.append(f"sessionid={client.cookies['sessionid'].value}")
    return {"public": public, "pdf": pdf, "staff": staff}, cookies


async def fetch(port: int, path: str, cookie: str | None) -> tuple[int, float]:
    """One GET over a new connection (gunicorn's sync workers close each one)."""
    start = time.perf_counter()
    reader, writer = await asyncio.open_connection(HOST, port)
    head = f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n"
    if cookie:
        head += f"Cookie: {cookie}\r\n"
    writer.write((head + "\r\n").encode())
    await writer.drain()
    data = await reader.read()
    writer.close()
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
    return status, time.perf_counter() - start


async def client(port, urls, cookies, until, results, errors, rng):
    kinds, weights = list(MIX), list(MIX.values())
    while time.monotonic() < until:
        kind = rng.choices(kinds, weights)[0]
        path = rng.choice(urls[kind])
        cookie = rng.choice(cookies) if kind == "staff" else None
        try:
            status, seconds = await asyncio.wait_for(fetch(port, path, cookie), TIMEOUT)
        except (TimeoutError, OSError) as error:
            errors[f"{type(error).__name__} on {path}"] += 1
            continue
        if status != 200:
            errors[f"{status} on {path}"] += 1
        results[kind].append(seconds)


async def drive(port, urls, cookies, clients: int, seconds: int):
    errors = Counter()
    for kind in urls:  # every URL once: all must answer, and the cache fills as it would
        for path in urls[kind]:
            status, _ = await fetch(port, path, cookies[0] if kind == "staff" else None)
            if status != 200:
                errors[f"warm-up {status} on {path}"] += 1
    results = defaultdict(list)
    until = time.monotonic() + seconds
    started = time.perf_counter()
    rng = random.Random(1)
    await asyncio.gather(
        *(
            client(port, urls, cookies, until, results, errors, random.Random(rng.random()))
            for _ in range(clients)
        )
    )
    return results, errors, time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(results, errors, elapsed, clients, workers) -> None:
    every = [t for times in results.values() for t in times]
    print(f"{clients} clients, {workers} gunicorn workers, {elapsed:.0f} s")
    rate = len(every) / elapsed
    print(f"{len(every)} requests, {rate:.1f} requests/s, {sum(errors.values())} errors")
    print(f"{'':<8}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for kind, times in [*sorted(results.items()), ("all", every)]:
        p50, p95, p99 = (percentile(times, q) * 1000 for q in (0.50, 0.95, 0.99))
        print(f"{kind:<8}{len(times):>9}{p50:>9.0f}{p95:>9.0f}{p99:>9.0f}{max(times) * 1000:>9.0f}")
    for error, count in errors.most_common(10):
        print(f"error: {count} x {error}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    if not 1 <= args.clients <= 200 or not 1 <= args.seconds <= 600:
        parser.error("clients 1-200, seconds 1-600")
    folder = Path(tempfile.mkdtemp(prefix="pfcc-load-"))
    os.chmod(folder, 0o755)
    try:
        with postgres(folder) as database_url:
            env = app_environment(database_url, folder)
            manage(env, "migrate", "--noinput", "-v0")
            manage(env, "collectstatic", "--noinput", "-v0")
            manage(env, "load_demo")
            urls, cookies = urls_and_sessions(env)
            port = free_port()
            server = subprocess.Popen(
                [GUNICORN, "pfcc.wsgi", "--bind", f"{HOST}:{port}", "--workers", str(args.workers)]
                + ["--timeout", "30", "--error-logfile", str(folder / "gunicorn.log")],
                env=env,
                cwd=ROOT,
            )
            try:
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    try:
                        socket.create_connection((HOST, port), timeout=1).close()
                        break
                    except OSError:
                        time.sleep(0.2)
                # What else the machine runs changes the numbers: say how busy it was.
                load_before = os.getloadavg()[0]
                results, errors, elapsed = asyncio.run(
                    drive(port, urls, cookies, args.clients, args.seconds)
                )
                load_after = os.getloadavg()[0]
                print(f"load average (1 min): {load_before:.2f} before, {load_after:.2f} after")
            finally:
                server.terminate()
                server.wait(timeout=30)
            report(results, errors, elapsed, args.clients, args.workers)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
