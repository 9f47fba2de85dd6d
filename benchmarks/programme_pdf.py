"""The full programme draft as PDF with a large consultation report in its annexes.

    .venv/bin/python benchmarks/programme_pdf.py [--comments 1000] [--repeat 3]

In one run, on a throwaway seeded SQLite database (DEBUG off):
- a round of the programme with --comments settled comments and a published report, so that
  the programme's PDF carries it as an annex;
- version 1 of the seeded draft rendered through pdf.py (builder, template, safe fetcher,
  child process with a time limit) against WeasyPrint rendering the same HTML bare in this
  process: seconds, pages, pages per second, ratio;
- the builder (every comment → plain data) against the builder's cheap stamp (a few small
  queries), which is what a cached download reads;
- a download through the view: first render (nothing cached; without a broker the render_pdf
  task runs right after the request's commit, in the request) against the cached file (found
  by its stamp), and a static file served by WhiteNoise.
Printed figures, not a test; the heavy renders run once, the downloads --repeat × 10 times.
Noisy on a shared 2-core machine: compare the ratios, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
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
    parser.add_argument("--comments", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="krakow-ngo-programme-bench-"))
    from _server import bench_env

    os.environ.update(bench_env(tmp))
    os.environ["DJANGO_MEDIA_ROOT"] = str(tmp / "media")
    try:
        run(args)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    import weasyprint
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from consultations import services
    from consultations.models import AuthorRole, Comment, Round
    from consultations.phases import Phase
    from documents.programme import programme_version_document
    from drafts.models import DraftVersion
    from pdf import cache as pdf_cache
    from pdf import render as pdf_render
    from pdf.models import PdfRendering
    from teams.models import Meeting, Representation, User

    # A long document must not hit the default 60 s limit on a slow, shared machine.
    settings.PDF_RENDER_TIMEOUT = 600
    quiet = open(os.devnull, "w")  # noqa: SIM115
    call_command("migrate", verbosity=0, stdout=quiet)
    # Static files first: seeding publishes version 1, whose PDF is then rendered (warmed).
    call_command("collectstatic", "--noinput", verbosity=0, stdout=quiet)
    call_command("seed_demo", stdout=quiet)

    meeting = Meeting.objects.get(date="2011-07-06")
    coordinator = User.objects.filter(is_coordinator=True).order_by("pk").first()
    member = User.objects.get(email="ngo@example.org")
    organisation = Representation.objects.get(user=member).organisation
    now = timezone.now()
    round_ = services.round_create(
        actor=coordinator,
        title="Runda porównawcza (benchmark)",
        meeting=meeting,
        goal="Cel",
        subject="Projekt programu",
        scope_and_forms="Uwagi pisemne",
        responsible_office="MOWIS",
        contact="mowis@example.org",
        opens_at=now - dt.timedelta(days=30),
        closes_at=now - dt.timedelta(days=2),
    )
    actions = list(meeting.actions.all())
    Comment.objects.bulk_create(
        Comment(
            round=round_,
            author=member,
            author_role=AuthorRole.ORGANISATION,
            organisation=organisation,
            action=actions[n % len(actions)],
            text=f"Uwaga {n}: zażółć gęślą jaźń, proponujemy doprecyzować zapis. " * 3,
            proposed_wording="Proponowane brzmienie zapisu." if n % 3 == 0 else "",
            disposition="accepted" if n % 2 else "not_accepted",
            justification="Uzasadnienie stanowiska Zespołu Koordynującego.",
        )
        for n in range(1, args.comments + 1)
    )
    Round.objects.filter(pk=round_.pk).update(status=Phase.REPORT_PUBLISHED)
    version = DraftVersion.objects.get(number=1)
    url = reverse("drafts:version-pdf", kwargs={"pk": version.pk})  # fails fast if URLs break

    started = time.perf_counter()
    document = programme_version_document(str(version.pk))
    build = time.perf_counter() - started
    started = time.perf_counter()
    html = pdf_render.document_html(document)
    template = time.perf_counter() - started
    stamp = median_seconds(
        lambda: pdf_cache.document_stamp(programme_version_document, str(version.pk)),
        args.repeat * 10,
    )

    static_root = Path(settings.STATIC_ROOT).as_uri() + "/"
    bare_html = html.replace(f'url("{settings.STATIC_URL}', f'url("{static_root}')
    assert bare_html != html

    started = time.perf_counter()
    ours = pdf_render.render_document(document)
    ours_seconds = time.perf_counter() - started
    started = time.perf_counter()
    bare_pdf = weasyprint.HTML(string=bare_html).write_pdf(**pdf_render.WEASYPRINT_OPTIONS)
    bare_seconds = time.perf_counter() - started
    assert bare_pdf

    client = Client(HTTP_HOST="127.0.0.1")

    def download() -> bytes:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return b"".join(response.streaming_content)

    def static_file() -> bytes:
        response = client.get(settings.STATIC_URL + "css/portal.css")
        assert response.status_code == 200, response.status_code
        return b"".join(response.streaming_content)

    for rendering in PdfRendering.objects.all():
        rendering.file.delete(save=False)
    PdfRendering.objects.all().delete()
    started = time.perf_counter()
    download()
    first = time.perf_counter() - started
    cached = median_seconds(download, args.repeat * 10)
    static = median_seconds(static_file, args.repeat * 10)

    rows = [
        ("comments in the report annex", f"{args.comments}"),
        ("pages", f"{ours.pages}"),
        ("builder (queries → plain data)", f"{build * 1000:8.1f} ms"),
        ("Django template", f"{template * 1000:8.1f} ms"),
        ("stamp (small queries → digest)", f"{stamp * 1000:8.1f} ms"),
        (
            "through pdf.py (template + child process)",
            f"{ours_seconds:8.2f} s = {ours.pages / ours_seconds:.1f} pages/s",
        ),
        (
            "same HTML, bare WeasyPrint in-process",
            f"{bare_seconds:8.2f} s = {ours.pages / bare_seconds:.1f} pages/s",
        ),
        ("ratio pdf.py / bare", f"{ours_seconds / bare_seconds:8.2f} x"),
        ("download, first render (view, DB, storage)", f"{first:8.2f} s"),
        ("download, cached file", f"{cached * 1000:8.1f} ms"),
        ("static file through WhiteNoise", f"{static * 1000:8.2f} ms"),
        ("first render / cached", f"{first / cached:8.0f} x"),
    ]
    width = max(len(label) for label, _ in rows)
    print(f"WeasyPrint {weasyprint.__version__}; downloads: median of {args.repeat * 10}")
    for label, value in rows:
        print(f"{label:<{width}}  {value}")


if __name__ == "__main__":
    main()
