"""What krakow_ngo/pdf.py costs on top of WeasyPrint, and what its cache saves.

    .venv/bin/python benchmarks/pdf_render.py [--repeat 5] [--actions 400]

In one run, on a throwaway seeded SQLite database (DEBUG off):
- the annex PDF of the seeded meeting (18 actions, 2 pages) rendered through pdf.py (template,
  safe fetcher, child process with a time limit) against WeasyPrint rendering the same HTML
  bare in this process (fonts read from the same files, same PDF/UA options): the ratio is the
  price of isolation and the time limit;
- pages per second for a long annex (--actions synthetic actions) through pdf.py;
- a download through the view: first render (nothing cached) against the cached file, and
  against a static file served by WhiteNoise.
Printed figures, not a test; medians of --repeat runs. Noisy on a shared 2-core machine:
compare the ratios, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def median_seconds(function: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--actions", type=int, default=400)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="krakow-ngo-pdf-bench-"))
    from _server import bench_env

    os.environ.update(bench_env(tmp))
    os.environ["DJANGO_MEDIA_ROOT"] = str(tmp / "media")
    try:
        run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(args: argparse.Namespace, tmp: Path) -> None:
    import django

    django.setup()
    import weasyprint
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from documents.meeting_annex import meeting_actions_document
    from pdf import render as pdf_render
    from pdf.models import PdfRendering
    from teams.models import Meeting

    quiet = open(os.devnull, "w")  # noqa: SIM115
    call_command("migrate", verbosity=0, stdout=quiet)
    call_command("seed_demo", stdout=quiet)
    call_command("collectstatic", "--noinput", verbosity=0, stdout=quiet)
    meeting = Meeting.objects.get(date="2011-07-06")
    document = meeting_actions_document(str(meeting.pk))
    repeat = args.repeat

    # Warm both paths once (fork server start, font caches), then measure.
    html = pdf_render.document_html(document)
    static_root = Path(settings.STATIC_ROOT).as_uri() + "/"
    bare_html = html.replace(f'url("{settings.STATIC_URL}', f'url("{static_root}')
    assert bare_html != html

    def bare() -> bytes:
        return weasyprint.HTML(string=bare_html).write_pdf(**pdf_render.WEASYPRINT_OPTIONS)

    def bare_default_fonts() -> bytes:
        return weasyprint.HTML(string=html.replace("@font-face", "@media x")).write_pdf(
            **pdf_render.WEASYPRINT_OPTIONS
        )

    def through_pdf_py() -> pdf_render.RenderResult:
        return pdf_render.render_document(document)

    pages = through_pdf_py().pages
    bare()
    ours = median_seconds(through_pdf_py, repeat)
    theirs = median_seconds(bare, repeat)
    system_fonts = median_seconds(bare_default_fonts, repeat)
    in_child = statistics.median(through_pdf_py().seconds for _ in range(repeat))
    template_only = median_seconds(lambda: pdf_render.document_html(document), repeat)

    long_context = {
        **document.context,
        "actions": [
            {"number": n, "text": f"Działanie {n}: zażółć gęślą jaźń. " * 6, "merged_into": None}
            for n in range(1, args.actions + 1)
        ],
    }
    long_document = pdf_render.PdfDocument(**{**document.__dict__, "context": long_context})
    started = time.perf_counter()
    long_result = pdf_render.render_document(long_document)
    long_seconds = time.perf_counter() - started

    client = Client(HTTP_HOST="127.0.0.1")
    url = reverse("pdf:meeting-actions", kwargs={"pk": meeting.pk})

    def download() -> bytes:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return b"".join(response.streaming_content)

    def first_download() -> bytes:
        for rendering in PdfRendering.objects.all():
            rendering.file.delete(save=False)
        PdfRendering.objects.all().delete()
        return download()

    def static_file() -> bytes:
        response = client.get(settings.STATIC_URL + "css/portal.css")
        assert response.status_code == 200, response.status_code
        return b"".join(response.streaming_content)

    first = median_seconds(first_download, repeat)
    download()
    cached = median_seconds(download, repeat * 10)
    static = median_seconds(static_file, repeat * 10)

    rows = [
        ("annex PDF pages", f"{pages}"),
        ("annex through pdf.py (template + child process)", f"{ours * 1000:8.1f} ms"),
        ("  of which the Django template", f"{template_only * 1000:8.1f} ms"),
        ("annex, same HTML, bare WeasyPrint in-process", f"{theirs * 1000:8.1f} ms"),
        ("ratio pdf.py / bare", f"{ours / theirs:8.2f} x"),
        ("  WeasyPrint's own time inside the child", f"{in_child * 1000:8.1f} ms"),
        ("  bare, system fonts instead of @font-face", f"{system_fonts * 1000:8.1f} ms"),
        (
            f"long annex ({args.actions} actions) through pdf.py",
            f"{long_result.pages} pages in {long_seconds:.2f} s = "
            f"{long_result.pages / long_seconds:.1f} pages/s",
        ),
        ("download, first render (view, DB, storage)", f"{first * 1000:8.1f} ms"),
        ("download, cached file", f"{cached * 1000:8.2f} ms"),
        ("static file through WhiteNoise", f"{static * 1000:8.2f} ms"),
        ("first render / cached", f"{first / cached:8.0f} x"),
        ("cached / static file", f"{cached / static:8.1f} x"),
    ]
    width = max(len(label) for label, _ in rows)
    print(
        f"WeasyPrint {weasyprint.__version__}, "
        f"median of {repeat} runs ({repeat * 10} for downloads)"
    )
    for label, value in rows:
        print(f"{label:<{width}}  {value}")


if __name__ == "__main__":
    main()
