"""Reading PDFs the way a reader's tools do: poppler's pdftotext, pdfinfo and pdffonts, and
every stream of the file inflated (an embedded file is stored compressed)."""

from __future__ import annotations

import html
import re
import subprocess
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path

from django.test import Client

from tests.seeds import fold


def _poppler(tool: str, pdf: bytes, *args: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        return subprocess.run(  # noqa: S603 - fixed poppler tools on a temp file
            [tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
            check=True,
            capture_output=True,
            text=True,
        ).stdout


def poppler_text(pdf: bytes) -> str:
    """The text of the PDF as pdftotext reads it, its lines kept."""
    return _poppler("pdftotext", pdf)


def pdf_text(pdf: bytes) -> str:
    """The text of the PDF as pdftotext reads it, runs of whitespace folded to one space."""
    return fold(_poppler("pdftotext", pdf))


def pdf_words(pdf: bytes) -> list[list[tuple[float, float, float, float, str]]]:
    """Each page's words as ``pdftotext -bbox`` places them: (x min, y min, x max, y max, word),
    in points from the page's top left corner."""
    pages = _poppler("pdftotext", pdf, "-bbox").split("<page ")[1:]
    word = re.compile(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    )
    return [
        [
            (float(x0), float(y0), float(x1), float(y1), html.unescape(text))
            for x0, y0, x1, y1, text in word.findall(page)
        ]
        for page in pages
    ]


def watermarked_pages(pdf: bytes) -> list[bool]:
    """For each page, whether the draft watermark is painted on it, as the page looks (pdftoppm
    at 20 dpi): it is light red, rgba(160, 0, 0, 0.13), and nothing else in the portal's PDFs
    is red. It is not text (pdf.watermark), so this is how a test sees it."""
    marked = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        subprocess.run(  # noqa: S603 - a fixed poppler tool on a temp file
            ["pdftoppm", "-r", "20", str(path), str(Path(folder) / "page")],
            check=True,
            capture_output=True,
        )
        for image in sorted(Path(folder).glob("page-*.ppm"), key=lambda p: int(p.stem[5:])):
            header = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", image.read_bytes())
            assert header is not None, image
            pixels = image.read_bytes()[header.end() :]
            reds, greens = pixels[0::3], pixels[1::3]
            marked.append(sum(r - g > 12 for r, g in zip(reds, greens, strict=True)) > 50)
    return marked


def pdf_info(pdf: bytes) -> dict[str, str]:
    lines = _poppler("pdfinfo", pdf).splitlines()
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines)}


def pdf_fonts(pdf: bytes) -> list[dict[str, str]]:
    """pdffonts' table: name, type, encoding, emb, sub, uni for each font."""
    rows = _poppler("pdffonts", pdf).splitlines()[2:]
    fonts = []
    for row in rows:
        cells = row.split()
        fonts.append({"name": cells[0], "emb": cells[-5], "uni": cells[-3]})
    return fonts


def pdf_all_bytes(pdf: bytes) -> bytes:
    """The raw file followed by every Flate stream inflated, so that a search finds text
    that the file holds compressed (object streams, embedded files)."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


#: The ``download`` fixture (tests/pdf/conftest.py): GET a PDF's URL with a client, get its bytes.
Download = Callable[[Client, str], bytes]
