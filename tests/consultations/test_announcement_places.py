"""Where a round's announcement was published (BIP, the city's website, a newspaper, a notice
board…): recorded by the coordinating team on the round's report records page until the
report is published, audited, and listed with links and dates in every format of the
report."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import docx
import pytest
from django.test import Client
from django.utils import timezone
from odfdo import Document

from consultations.models import AnnouncementPlace, Round
from consultations.phases import Phase
from core.models import AuditEntry
from teams.models import User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]


def _data(**changes: Any) -> dict[str, Any]:
    data = {
        "kind": AnnouncementPlace.Kind.BIP,
        "details": "Biuletyn Informacji Publicznej Miasta Krakowa",
        "url": "https://www.bip.krakow.pl/?dok_id=123",
        "published_on": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
    }
    return {**data, **changes}


def test_a_coordinator_records_edits_and_deletes_a_place_with_an_audit(
    make_round: Callable[..., Round], coordinator: User, as_user: Login
) -> None:
    round_ = make_round(Phase.CLOSED)
    client = as_user(coordinator)
    page = client.get(f"/consultations/{round_.pk}/report-records/")
    assert page.status_code == 200
    response = client.post(f"/consultations/{round_.pk}/announcement-places/new/", _data())
    assert response.status_code == 302
    place = AnnouncementPlace.objects.get(round=round_)
    assert place.url == "https://www.bip.krakow.pl/?dok_id=123"
    assert (
        client.get(f"/consultations/{round_.pk}/report-records/")
        .content.decode()
        .count("bip.krakow.pl")
    )
    response = client.post(
        f"/consultations/announcement-places/{place.pk}/edit/",
        _data(kind=AnnouncementPlace.Kind.NEWSPAPER, details="Gazeta Krakowska", url=""),
    )
    assert response.status_code == 302
    place.refresh_from_db()
    assert (place.kind, place.details, place.url) == ("newspaper", "Gazeta Krakowska", "")
    response = client.post(f"/consultations/announcement-places/{place.pk}/delete/")
    assert response.status_code == 302
    assert not AnnouncementPlace.objects.filter(round=round_).exists()
    actions = set(
        AuditEntry.objects.filter(action__startswith="round.announcement_place").values_list(
            "action", flat=True
        )
    )
    assert actions == {
        "round.announcement_place_add",
        "round.announcement_place_update",
        "round.announcement_place_delete",
    }


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"url": "javascript:alert(1)"}, "Give a link that starts with http:// or https://."),
        ({"url": "ftp://example.org/file"}, "Give a link that starts with http:// or https://."),
        (
            {"published_on": (timezone.localdate() + dt.timedelta(days=1)).isoformat()},
            "The date published is in the future.",
        ),
        ({"published_on": ""}, "This field is required."),
    ],
)
def test_a_bad_link_or_a_future_date_is_refused_and_nothing_stored(
    make_round: Callable[..., Round],
    coordinator: User,
    as_user: Login,
    changes: dict[str, str],
    message: str,
) -> None:
    round_ = make_round(Phase.CLOSED)
    response = as_user(coordinator).post(
        f"/consultations/{round_.pk}/announcement-places/new/", _data(**changes)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AnnouncementPlace.objects.exists()


def test_only_the_coordinating_team_records_places_and_not_after_publication(
    make_round: Callable[..., Round], coordinator: User, member: User, as_user: Login
) -> None:
    round_ = make_round(Phase.CLOSED)
    url = f"/consultations/{round_.pk}/announcement-places/new/"
    assert as_user(member).post(url, _data()).status_code == 403
    assert as_user(member).get(f"/consultations/{round_.pk}/report-records/").status_code == 403
    published = make_round(Phase.REPORT_PUBLISHED)
    response = as_user(coordinator).post(
        f"/consultations/{published.pk}/announcement-places/new/", _data()
    )
    assert response.status_code == 403
    assert not AnnouncementPlace.objects.exists()


def _place(round_: Round) -> AnnouncementPlace:
    return AnnouncementPlace.objects.create(
        round=round_,
        kind=AnnouncementPlace.Kind.BIP,
        details="BIP Krakowa",
        url="https://www.bip.krakow.pl/?dok_id=123",
        published_on=dt.date(2026, 11, 2),
    )


def test_the_report_lists_the_places_with_links_and_dates_in_every_format(
    make_round: Callable[..., Round], coordinator: User, as_user: Login
) -> None:
    round_ = make_round(Phase.SETTLED)
    _place(round_)
    client = as_user(coordinator)
    page = client.get(f"/consultations/{round_.pk}/report/").content.decode()
    assert 'href="https://www.bip.krakow.pl/?dok_id=123"' in page
    assert "Where the announcement was published" in page
    assert "2 November 2026" in page
    odt = Document(io.BytesIO(client.get(f"/consultations/{round_.pk}/report.odt").content))
    text = "\n".join(p.text_recursive for p in odt.body.get_elements("//text:h|//text:p"))
    assert "Gdzie opublikowano ogłoszenie" in text
    assert "https://www.bip.krakow.pl/?dok_id=123" in text
    assert "2 listopada 2026" in text
    response = client.get(f"/consultations/{round_.pk}/report.docx")
    document = docx.Document(io.BytesIO(response.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any("https://www.bip.krakow.pl/?dok_id=123" in cell for cell in cells)
    assert any("2 listopada 2026" in cell for cell in cells)
