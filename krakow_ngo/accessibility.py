"""The accessibility declaration (deklaracja dostępności) at /accessibility/, after the Ministry
of Digital Affairs' template v2.0 ("Warunki techniczne publikacji oraz struktura dokumentu
elektronicznego deklaracji dostępności", 31 July 2024).

What the portal knows about itself is here: the content that is not accessible, and from it the
compliance status, which therefore cannot claim full compliance while anything is listed. What
a deployment knows (dates, contact, the seat and its building) comes from the ACCESSIBILITY_*
settings. The template keeps the template's ``a11y-*`` ids, which monitoring tools read, in
every language.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.languages import in_page_language
from core.site import absolute
from teams import cycle


@dataclass(frozen=True)
class Barrier:
    """Content that is not accessible: what it is, why, and how to get it another way."""

    what: str | Promise
    reason: str | Promise
    alternative: str | Promise


#: Content that does not meet the annex to the act (WCAG 2.1 AA). While anything is listed the
#: status is "partially compliant" and the declaration lists it under "Niedostępne treści".
NON_COMPLIANT: tuple[Barrier, ...] = (
    Barrier(
        what=_(
            "The annexes of published consultation reports: the opinion of the Kraków Public "
            "Benefit Council (KRDPP) and the minutes of open meetings."
        ),
        reason=_(
            "They are published as the PDF files their authors provide, often scans of signed "
            "paper documents, which may have no text layer and no tags."
        ),
        alternative=_(
            "Ask the contact below for the text of an annex: we send it in an accessible form."
        ),
    ),
)

FULLY_COMPLIANT = "fully"
PARTIALLY_COMPLIANT = "partially"


def compliance() -> str:
    """The status the declaration states: partially compliant while content is listed."""
    return PARTIALLY_COMPLIANT if NON_COMPLIANT else FULLY_COMPLIANT


def last_review() -> dt.date:
    """When the declaration was last prepared or reviewed, whichever is later."""
    prepared: dt.date = settings.ACCESSIBILITY_PREPARED
    reviewed: dt.date | None = settings.ACCESSIBILITY_REVIEWED
    return max(prepared, reviewed) if reviewed else prepared


def review_overdue(last: dt.date, today: dt.date) -> bool:
    """Whether the yearly review is late: the declaration must be reviewed by 31 March of every
    year, so after that day a declaration last looked at in an earlier year is stale (until
    then, the previous year's review still counts)."""
    due_year = today.year if today > dt.date(today.year, 3, 31) else today.year - 1
    return last.year < due_year


def accessibility_reviewed(programme: Any, key: str) -> bool:
    """For the programme cycle's reminders (teams.cycle.register_fulfilled, registered in
    KrakowNgoConfig.ready): the declaration's review of a year is met once the day after its
    31 March finds the declaration not late by the deployment check's own rule
    (``review_overdue``: prepared or reviewed that year or later, ``ACCESSIBILITY_PREPARED`` /
    ``ACCESSIBILITY_REVIEWED``). The declaration is the portal's, so one review meets every
    programme's date."""
    prefix = f"{cycle.ACCESSIBILITY_REVIEW}-"
    if not key.startswith(prefix) or not key[len(prefix) :].isdigit():
        return False
    day_after = dt.date(int(key[len(prefix) :]), 3, 31) + dt.timedelta(days=1)
    return not review_overdue(last_review(), day_after)


def tel_href(phone: str) -> str:
    """A ``tel:`` link for a number as people write it ("12 616 00 00"); a number without a
    country code is Polish."""
    digits = re.sub(r"[^\d+]", "", phone)
    if not digits:
        return ""
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif not digits.startswith("+"):
        digits = "+48" + digits
    return "tel:" + digits


def declaration() -> dict[str, object]:
    """What templates/accessibility.html shows."""
    return {
        "url": absolute(reverse("accessibility")),
        "site_url": absolute("/"),
        "published": settings.ACCESSIBILITY_PUBLISHED,
        "updated": settings.ACCESSIBILITY_UPDATED,
        "prepared": settings.ACCESSIBILITY_PREPARED,
        "reviewed": settings.ACCESSIBILITY_REVIEWED,
        "partially_compliant": compliance() == PARTIALLY_COMPLIANT,
        "non_compliant": NON_COMPLIANT,
        "contact": settings.ACCESSIBILITY_CONTACT,
        "email": settings.ACCESSIBILITY_EMAIL,
        "phone": settings.ACCESSIBILITY_PHONE,
        "phone_href": tel_href(settings.ACCESSIBILITY_PHONE),
        "seat": settings.ACCESSIBILITY_SEAT,
        "architecture": in_page_language(
            settings.ACCESSIBILITY_ARCHITECTURE, settings.ACCESSIBILITY_ARCHITECTURE_EN
        ),
        "architecture_url": settings.ACCESSIBILITY_ARCHITECTURE_URL,
        "communication": in_page_language(
            settings.ACCESSIBILITY_COMMUNICATION, settings.ACCESSIBILITY_COMMUNICATION_EN
        ),
    }
