"""``{% watermark_url text %}``: the watermark of an unpublished PDF as a ``data:`` URL of its
outlines (pdf.watermark), for templates/pdf/base.html."""

from __future__ import annotations

from django import template

from pdf.watermark import watermark_data_url

register = template.Library()


@register.simple_tag
def watermark_url(text: str) -> str:
    return watermark_data_url(str(text))
