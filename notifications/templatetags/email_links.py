"""The e-mails' HTML part: links only to the portal (core.text.link_portal_urls)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from core.text import link_portal_urls

register = template.Library()


@register.filter(is_safe=True)
def link_portal(text: str) -> SafeString:
    """Plain text as HTML; only the portal's own URLs become links (not urlize: an address a
    person wrote into a title or comment would otherwise be a link in the portal's e-mail)."""
    return link_portal_urls(str(text))
