"""pdf.render below the views: the fetcher, sanitising, fonts, metadata, time limit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import weasyprint
from django.conf import settings
from django.template import Context, Template

from pdf import render as pdf_render
from pdf import watermark as pdf_watermark

from .helpers import (
    pdf_all_bytes,
    pdf_fonts,
    pdf_info,
    pdf_text,
    poppler_text,
    watermarked_pages,
)

PASSWD_MARK = b"root:x:0:0"


def document(**overrides: object) -> pdf_render.PdfDocument:
    values: dict[str, object] = {
        "template_name": "pdf/meeting_actions.html",
        "context": {
            "meeting": {
                "team": "ds. wykluczenia",
                "date": None,
                "programme": "Program",
                "annex_number": 3,
                "annex_title": "Nagłówek załącznika",
            },
            "actions": [{"number": 1, "text": "zażółć gęślą jaźń"}],
        },
        "title": "Załącznik nr 3 – zażółć",
        "filename": "annex.pdf",
        "language": "en",
        "author": "Zespół Koordynujący",
    }
    values.update(overrides)
    return pdf_render.PdfDocument(**values)  # type: ignore[arg-type]


def html_page(body: str) -> str:
    return f'<!DOCTYPE html><html lang="pl"><head><title>T</title></head><body>{body}</body></html>'


# --- The fetcher ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:8000/etc/passwd",
        "http://127.0.0.1:8000/static/../../../../etc/passwd",
        "http://127.0.0.1:8000/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "http://127.0.0.1:8000/static//etc/passwd",
        "http://evil.example/static/fonts/DejaVuSans.ttf",
        "https://example.org/image.png",
        "ftp://example.org/x",
        f"file://{settings.BASE_DIR}/static/../krakow_ngo/settings.py",
        f"file://{settings.BASE_DIR}/manage.py",
    ],
)
def test_fetcher_refuses_anything_but_static_files_and_data(url: str) -> None:
    fetcher = pdf_render.SafeURLFetcher(pdf_render.static_files())
    with pytest.raises(PermissionError):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_fetcher_reads_static_files_and_data_urls() -> None:
    fetcher = pdf_render.SafeURLFetcher(pdf_render.static_files())
    font = fetcher.fetch(settings.SITE_URL + "/static/fonts/DejaVuSans.ttf")
    assert font.read() == (Path(settings.BASE_DIR) / "static/fonts/DejaVuSans.ttf").read_bytes()
    as_file = fetcher.fetch(f"file://{settings.BASE_DIR}/static/favicon.svg")
    assert as_file.read().startswith(b"<svg")
    assert fetcher.fetch("data:text/plain;base64,emHFvMOzxYLEhw==").read() == "zażółć".encode()
    assert fetcher.refused == []


def test_fetcher_refuses_a_symlink_in_static_that_leads_outside(tmp_path: Path) -> None:
    root = tmp_path / "static"
    root.mkdir()
    (root / "passwd").symlink_to("/etc/passwd")
    static = pdf_render.StaticFiles(
        base_url="http://127.0.0.1:8000/", static_path="/static/", roots=(("", str(root)),)
    )
    fetcher = pdf_render.SafeURLFetcher(static)
    with pytest.raises(PermissionError):
        fetcher.fetch("http://127.0.0.1:8000/static/passwd")


ATTACKS = [
    '<a rel="attachment" href="file:///etc/passwd">passwd</a>',
    '<img src="file:///etc/passwd" alt="x">',
    '<link rel="attachment" href="file:///etc/passwd">',
    '<img src="/../../../../etc/passwd" alt="x">',
]


def test_bare_weasyprint_embeds_local_files_which_is_what_the_fetcher_prevents() -> None:
    """The hazard is real: WeasyPrint's own fetcher attaches /etc/passwd."""
    raw = weasyprint.HTML(string=html_page(ATTACKS[0])).write_pdf()
    assert b"/EmbeddedFile" in raw
    assert PASSWD_MARK in pdf_all_bytes(raw)


@pytest.mark.parametrize("attack", ATTACKS)
def test_markup_that_points_at_local_files_embeds_nothing(attack: str) -> None:
    result = pdf_render.render_html(html_page(attack))
    everything = pdf_all_bytes(result.pdf)
    assert b"/EmbeddedFile" not in everything
    assert PASSWD_MARK not in everything
    assert "root:x:0:0" not in pdf_text(result.pdf)
    assert result.refused


def test_sanitise_drops_images_attachments_and_styles_but_keeps_text_structure() -> None:
    cleaned = pdf_render.sanitise(
        '<p style="color:red">Tekst <strong>ważny</strong></p>'
        '<img src="file:///etc/passwd"><a rel="attachment" href="file:///etc/passwd">x</a>'
        '<a href="https://www.krakow.pl/">link</a><script>alert(1)</script>'
    )
    assert "<img" not in cleaned
    assert "file:" not in cleaned
    assert "attachment" not in cleaned
    assert "style" not in cleaned
    assert "script" not in cleaned
    assert "<p>Tekst <strong>ważny</strong></p>" in cleaned
    assert 'href="https://www.krakow.pl/"' in cleaned


# --- Documents ----------------------------------------------------------------------------


def test_polish_diacritics_round_trip_through_embedded_fonts() -> None:
    result = pdf_render.render_document(document())
    assert "zażółć gęślą jaźń" in pdf_text(result.pdf)
    fonts = pdf_fonts(result.pdf)
    assert fonts
    assert all(font["emb"] == "yes" and font["uni"] == "yes" for font in fonts)
    assert any("Portal-Sans" in font["name"] for font in fonts)
    assert result.refused == ()


def test_document_is_tagged_with_title_author_and_language() -> None:
    result = pdf_render.render_document(document(language="pl"))
    info = pdf_info(result.pdf)
    assert info["Title"] == "Załącznik nr 3 – zażółć"
    assert info["Author"] == "Zespół Koordynujący"
    assert info["Tagged"] == "yes"
    assert info["PDF version"] == "1.7"
    everything = pdf_all_bytes(result.pdf)
    assert b"/Lang (pl)" in everything
    assert b'pdfuaid:part="1"' in everything


def test_footer_numbers_every_page_with_its_total() -> None:
    many = [{"number": n, "text": f"Działanie numer {n} " * 8} for n in range(1, 121)]
    context = {**document().context, "actions": many}
    result = pdf_render.render_document(document(context=context))
    assert result.pages >= 3
    text = pdf_text(result.pdf)
    for page in range(1, result.pages + 1):
        assert f"Page {page} of {result.pages}" in text


def test_draft_documents_carry_a_watermark_and_published_ones_do_not() -> None:
    # The renderer gets the word's outlines in the document's language, as a data: URL.
    for language, word in (("en", "DRAFT"), ("pl", "PROJEKT")):
        html = pdf_render.document_html(document(draft=True, language=language))
        assert pdf_watermark.watermark_data_url(word) in html, language
        assert "data:image/svg+xml" not in pdf_render.document_html(
            document(draft=False, language=language)
        )
    assert document(draft=True).key() != document(draft=False).key()
    # And it is painted on every page of a draft, on none of a published document.
    many = [{"number": n, "text": f"Działanie numer {n} " * 8} for n in range(1, 60)]
    context = {**document().context, "actions": many}
    draft = pdf_render.render_document(document(context=context, draft=True))
    assert draft.pages >= 3
    assert watermarked_pages(draft.pdf) == [True] * draft.pages
    published = pdf_render.render_document(document(context=context, draft=False))
    assert watermarked_pages(published.pdf) == [False] * published.pages


def test_the_watermark_is_not_text_of_the_pdf() -> None:
    """Set as text, its letters came out of pdftotext ("K", "T", "JE", "P") between the
    paragraphs of every page, into copies, searches and the city's bulletin."""
    many = [{"number": n, "text": f"Działanie numer {n} " * 8} for n in range(1, 60)]
    context = {**document().context, "actions": many}
    draft = pdf_render.render_document(document(context=context, draft=True, language="pl"))
    published = pdf_render.render_document(document(context=context, language="pl"))
    assert watermarked_pages(draft.pdf) == [True] * draft.pages
    assert draft.pages == published.pages >= 3
    assert poppler_text(draft.pdf) == poppler_text(published.pdf)
    lines = {line.strip() for line in poppler_text(draft.pdf).splitlines()}
    assert not lines & {"P", "R", "O", "JE", "K", "T", "PROJEKT"}
    # The outlines are an image under the text (an artifact), not in the tagged structure.
    assert pdf_watermark.watermark_svg("PROJEKT").count("<text") == 0


def test_document_key_changes_with_any_input_and_only_then() -> None:
    assert document().key() == document().key()
    changed = {**document().context, "actions": [{"number": 1, "text": "inny tekst"}]}
    assert document(context=changed).key() != document().key()
    assert document(template_name="pdf/base.html").key() != document().key()
    assert document(language="pl").key() != document().key()


def test_a_render_past_the_time_limit_is_stopped() -> None:
    heavy = html_page("".join(f"<p>Akapit {n} zażółć gęślą jaźń</p>" for n in range(4000)))
    with pytest.raises(pdf_render.PdfRenderTimeout):
        pdf_render.render_html(heavy, timeout=0.2)


def test_without_isolation_a_render_past_the_limit_is_refused_afterwards(
    settings: pytest.FixtureRequest,
) -> None:
    settings.PDF_RENDER_ISOLATED = False
    result = pdf_render.render_html(html_page("<p>zażółć</p>"), timeout=60)
    assert "zażółć" in pdf_text(result.pdf)
    with pytest.raises(pdf_render.PdfRenderTimeout):
        pdf_render.render_html(html_page("<p>zażółć</p>"), timeout=0.000001)


def test_a_label_is_never_left_at_a_pages_foot_without_its_value() -> None:
    """A definition list's label (<dt>) keeps to its value (<dd>) across page breaks, as a
    heading keeps to what follows it."""
    items = "".join(
        f"<dt>Etykieta {n}</dt><dd>{'Wartość opisowa ' * (6 * (n % 4 + 1))}koniec {n}</dd>"
        for n in range(1, 90)
    )
    html = '{% extends "pdf/base.html" %}{% block content %}<dl>' + items + "</dl>{% endblock %}"
    rendered = Template(html).render(
        Context({"pdf": {"title": "T", "author": "A", "language": "pl", "footer": '""'}})
    )
    result = pdf_render.render_html(rendered)
    assert result.pages >= 3
    pages = poppler_text(result.pdf).split("\f")
    for number in range(1, 90):
        (page,) = [p for p in pages if re.search(rf"\bEtykieta {number}\b", p)]
        assert "Wartość opisowa" in page.split(f"Etykieta {number}", 1)[1], number
