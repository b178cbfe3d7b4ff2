"""How long a typical three-page statement takes to render as HTML and as a PDF/UA-1 file.

Run with `.venv/bin/python bench/render_statement.py [runs]`. Prints the median and spread of
each step to stdout. Not a test: timings depend on the machine and what else runs on it.
"""

import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pfcc.settings")


def timed(function, runs: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return times, result


def main(runs: int) -> None:
    import django

    django.setup()
    from django.db import connection
    from pypdf import PdfReader

    from responses.rendering import render_statement_html, render_statement_pdf
    from tests.responses.conftest import make_statement_003

    connection.creation.create_test_db(verbosity=0)
    response = make_statement_003()
    start = time.perf_counter()
    import weasyprint  # noqa: F401

    print(f"import weasyprint: {time.perf_counter() - start:.3f} s (once per process)")
    html = render_statement_html(response, draft=False)
    render_statement_pdf(html)  # warm-up: fonts and caches
    html_times, html = timed(lambda: render_statement_html(response, draft=False), runs)
    pdf_times, pdf = timed(lambda: render_statement_pdf(html), runs)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    for name, times in (("html", html_times), ("pdf/ua-1", pdf_times)):
        print(
            f"{name}: median {statistics.median(times) * 1000:7.1f} ms, "
            f"min {min(times) * 1000:7.1f} ms, max {max(times) * 1000:7.1f} ms over {runs} runs"
        )
    print(f"statement: {pages} pages, PDF {len(pdf) / 1024:.0f} KiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
