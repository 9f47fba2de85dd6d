"""The "DRAFT" watermark of an unpublished PDF, drawn as outlines rather than set as text.

Set as rotated text, its letters were text of the PDF: pdftotext, copying and searching, the
city's bulletin (BIP) and screen readers picked up "K", "T", "JE", "P" between the paragraphs.
Here each letter is the outline of its glyph in the portal's bold font, in an SVG given to
WeasyPrint as a ``data:`` URL and painted as a page background, which WeasyPrint draws as an
artifact: seen on every page, not text, not in the tagged structure.

Nothing is fetched: the font is the portal's own file and the text is a translation, never
user content. Imports no models (the render child process needs no Django). The output is
part of what a PDF looks like: this file is hashed into the cache key with the templates and
fonts (``pdf.render.code_version``), so a change here makes every cached rendering stale.
"""

from __future__ import annotations

import base64
import functools
import math
from pathlib import Path
from xml.sax.saxutils import quoteattr

# fontTools (WeasyPrint's dependency) publishes no type information.
from fontTools.pens.boundsPen import BoundsPen  # type: ignore[import-untyped]
from fontTools.pens.svgPathPen import SVGPathPen  # type: ignore[import-untyped]
from fontTools.pens.transformPen import TransformPen  # type: ignore[import-untyped]
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

#: The bold face of "Portal Sans" (templates/pdf/base.html).
FONT = Path(__file__).resolve().parent.parent / "static" / "fonts" / "DejaVuSans-Bold.ttf"
FONT_SIZE = 80.0  # points, as the watermark had when it was text
#: The rotated word's bounding square, in points, at most: it stays on an A4 page in either
#: orientation (595 pt across) with a long translation.
MAX_SIDE = 480.0
#: rgba(160, 0, 0, 0.13): light red, translucent, under the text.
FILL = "#a00000"
OPACITY = "0.13"


@functools.lru_cache(maxsize=8)
def watermark_svg(text: str) -> str:
    """An SVG of ``text`` in outlines, rotated -45° about its centre, sized in points."""
    font = TTFont(FONT)
    glyphs = font.getGlyphSet()
    cmap = font.getBestCmap()
    metrics = font["hmtx"].metrics
    units = font["head"].unitsPerEm

    outline = SVGPathPen(glyphs)
    bounds = BoundsPen(glyphs)
    x = 0
    for character in text:
        name = cmap.get(ord(character), ".notdef")
        glyph = glyphs[name]
        glyph.draw(TransformPen(outline, (1, 0, 0, 1, x, 0)))
        glyph.draw(TransformPen(bounds, (1, 0, 0, 1, x, 0)))
        x += metrics[name][0]
    if bounds.bounds is None:  # nothing visible (blank text)
        x_min = y_min = 0.0
        x_max = y_max = 1.0
    else:
        x_min, y_min, x_max, y_max = bounds.bounds
    centre_x, centre_y = (x_min + x_max) / 2, (y_min + y_max) / 2
    # A w × h box turned by 45° fills a square of side (w + h) / √2.
    side = ((x_max - x_min) + (y_max - y_min)) / math.sqrt(2)
    points = min(side * FONT_SIZE / units, MAX_SIDE)
    # Font units have y upwards, SVG downwards: flip, then turn the word about its centre.
    transform = f"rotate(-45) scale(1 -1) translate({-centre_x:g} {-centre_y:g})"
    return (
        '<svg xmlns="http://www.w3.org/2000/svg"'
        f' width="{points:.2f}pt" height="{points:.2f}pt"'
        f' viewBox="{-side / 2:.1f} {-side / 2:.1f} {side:.1f} {side:.1f}">'
        f'<path transform="{transform}" fill="{FILL}" fill-opacity="{OPACITY}"'
        f" d={quoteattr(outline.getCommands())}/>"
        "</svg>"
    )


@functools.lru_cache(maxsize=8)
def watermark_data_url(text: str) -> str:
    """The watermark's SVG as a ``data:`` URL (base64: safe inside a CSS string)."""
    encoded = base64.b64encode(watermark_svg(text).encode()).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"
