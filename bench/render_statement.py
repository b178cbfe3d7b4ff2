"""How long a typical three-page statement takes to render as HTML and as a PDF/UA-1 file, and
how the app's PDF render compares with bare WeasyPrint on the same HTML.

Run with `.venv/bin/python bench/render_statement.py [runs]`. Prints the median and spread of
each step to stdout. Not a test: timings depend on the machine and what else runs on it.

"Bare WeasyPrint" is `HTML(string=...).write_pdf(pdf_variant="pdf/ua-1")` with the same
stylesheets, fonts and fetcher built once and reused, as a program that only renders would do:
the least WeasyPrint itself needs. The app's render adds what it does per document (the fetcher,
the tag tree's repairs in inspections/pdftags.py). Goal: the app within 1.2x of bare. The two
are timed in alternation so that a busy machine slows both alike.
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


def alternating(functions: dict, runs: int) -> dict[str, list[float]]:
    times = {name: [] for name in functions}
    for _ in range(runs):
        for name, function in functions.items():
            times[name] += timed(function, 1)[0]
    return times


def report(name: str, times: list[float]) -> None:
    print(
        f"{name}: median {statistics.median(times) * 1000:7.1f} ms, "
        f"min {min(times) * 1000:7.1f} ms, max {max(times) * 1000:7.1f} ms over {len(times)} runs"
    )


def main(runs: int) -> None:
    import django

    django.setup()
    from django.db import connection
    from pypdf import PdfReader

    from responses.rendering import STATEMENT_CSS, render_statement_html, render_statement_pdf
    from tests.responses.conftest import make_statement_003

    connection.creation.create_test_db(verbosity=0)
    response = make_statement_003()
    start = time.perf_counter()
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from inspections import pdf

    print(f"import weasyprint: {time.perf_counter() - start:.3f} s (once per process)")
    html = render_statement_html(response, draft=False)
    start = time.perf_counter()
    render_statement_pdf(html)
    print(f"first PDF render: {time.perf_counter() - start:.3f} s (parses CSS, loads fonts)")

    fetcher = pdf._fetcher()
    fonts = FontConfiguration()
    css = [
        weasyprint.CSS(string=text, url_fetcher=fetcher, font_config=fonts)
        for text in (pdf.PRINT_CSS.read_text(), STATEMENT_CSS.read_text())
    ]

    def bare():
        document = weasyprint.HTML(string=html, base_url=pdf.STATIC_SCHEME, url_fetcher=fetcher)
        return document.write_pdf(stylesheets=css, font_config=fonts, pdf_variant="pdf/ua-1")

    def rebuilt():
        """As the app rendered before it kept its stylesheets and fonts: all built per render."""
        pdf.forget_styles()
        return render_statement_pdf(html)

    bare()
    html_times, html = timed(lambda: render_statement_html(response, draft=False), runs)
    times = alternating(
        {"app": lambda: render_statement_pdf(html), "bare": bare, "rebuilt": rebuilt}, runs
    )
    pages = len(PdfReader(io.BytesIO(render_statement_pdf(html))).pages)
    report("html", html_times)
    report("pdf/ua-1, app", times["app"])
    report("pdf/ua-1, bare WeasyPrint", times["bare"])
    report("pdf/ua-1, app building CSS and fonts per render", times["rebuilt"])
    ratio = statistics.median(times["app"]) / statistics.median(times["bare"])
    print(f"app vs bare WeasyPrint: {ratio:.2f}x (goal 1.2x)")
    identical = render_statement_pdf(html) == rebuilt() == render_statement_pdf(html)
    print(f"same bytes with kept and with new stylesheets and fonts: {identical}")
    print(f"statement: {pages} pages, PDF {len(render_statement_pdf(html)) / 1024:.0f} KiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
