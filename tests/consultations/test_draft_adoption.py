"""Adopting a version of the programme: the council's resolution (number, date, link), the
KRDPP opinion as an annex, and the adopted PDF as the annex to the resolution."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from consultations.models import Comment, Disposition, Round
from consultations.phases import Phase, phase_of
from core.errors import ConflictError, Refused
from core.models import AuditEntry
from documents.models import Publication
from drafts import services as draft_services
from drafts.models import DraftVersion, ProgrammeDraft
from teams.models import Meeting, User
from tests.pdf.helpers import pdf_text, watermarked_pages

from .conftest import english

pytestmark = pytest.mark.django_db


def _form(**changes: str) -> dict[str, str]:
    return {
        "resolution_number": "XII/123/11",
        "resolution_date": "2011-11-23",
        "resolution_url": "https://www.bip.krakow.pl/?sub_dok_id=123",
        "krdpp_opinion": "",
        **changes,
    }


def _version(seeded: Meeting) -> DraftVersion:
    version = ProgrammeDraft.objects.get(programme=seeded.team.programme).versions.get()
    DraftVersion.objects.filter(pk=version.pk).update(
        published_at=dt.datetime(2011, 10, 1, 12, tzinfo=dt.UTC)
    )
    version.refresh_from_db()
    return version


def test_it_records_the_resolution_and_prints_it_on_the_adopted_pdf(
    client: Client,
    seeded: Meeting,
    coordinator: User,
    django_capture_on_commit_callbacks: Callable,
    settings: pytest.FixtureRequest,
    tmp_path: object,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    version = _version(seeded)
    client.force_login(coordinator)
    url = reverse("drafts:version-adopted", args=[version.pk])
    assert client.get(url).status_code == 200
    opinion = "Krakowska Rada Działalności Pożytku Publicznego opiniuje projekt pozytywnie."
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _form(krdpp_opinion=opinion))
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.adopted
    assert version.resolution_number == "XII/123/11"
    assert version.resolution_date == dt.date(2011, 11, 23)
    assert version.adopted_by == coordinator
    assert AuditEntry.objects.filter(action="draft_version.adopt", target_id=str(version.pk))
    assert Publication.objects.get(kind="adopted", object_id=str(version.pk)).sha256
    response = client.get(reverse("drafts:version-adopted-pdf", args=[version.pk]))
    assert response.status_code == 200
    pdf = b"".join(response.streaming_content)
    text = pdf_text(pdf)
    assert text.startswith(
        "Załącznik do uchwały Nr XII/123/11 Rady Miasta Krakowa z dnia 23 listopada 2011 r."
    )
    assert not any(watermarked_pages(pdf))  # adopted: no "PROJEKT" watermark
    assert "…" not in text[:100]
    assert opinion in text
    page = client.get(reverse("drafts:version-detail", args=[version.pk])).content.decode()
    assert "XII/123/11" in page
    assert "https://www.bip.krakow.pl/?sub_dok_id=123" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"resolution_date": "2011-09-30"}, "before version 1 was published"),
        ({"resolution_date": "2999-01-01"}, "in the future"),
        ({"resolution_number": "123"}, "session/number/year"),
        ({"resolution_url": "http://www.bip.krakow.pl/"}, ""),
        ({"resolution_url": "javascript:alert(1)"}, ""),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_stored(
    client: Client,
    seeded: Meeting,
    coordinator: User,
    changes: dict[str, str],
    message: str,
) -> None:
    version = _version(seeded)
    client.cookies["django_language"] = "en"
    client.force_login(coordinator)
    response = client.post(reverse("drafts:version-adopted", args=[version.pk]), _form(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    version.refresh_from_db()
    assert not version.adopted
    assert not version.resolution_number
    assert not AuditEntry.objects.filter(action="draft_version.adopt").exists()


def test_adopting_twice_is_refused(seeded: Meeting, coordinator: User) -> None:
    version = _version(seeded)
    draft = version.draft
    fields = {"number": "XII/123/11", "date": dt.date(2011, 11, 23), "url": "https://x.pl/"}
    draft_services.draft_version_adopt(actor=coordinator, version=version, **fields)
    second = draft_services.draft_version_publish(actor=coordinator, draft=draft)
    for target in (version, second):
        with pytest.raises(ConflictError):
            draft_services.draft_version_adopt(
                actor=coordinator, version=target, **{**fields, "number": "XII/124/11"}
            )
    adopted = draft.versions.filter(adopted=True)
    assert list(adopted.values_list("resolution_number", flat=True)) == ["XII/123/11"]
    assert AuditEntry.objects.filter(action="draft_version.adopt").count() == 1


def test_once_adopted_the_adoption_page_says_so_with_no_form(
    client: Client, seeded: Meeting, coordinator: User
) -> None:
    """The form was offered again, to be filled in and only then refused."""
    version = _version(seeded)
    fields = {"number": "XII/123/11", "date": dt.date(2011, 11, 23), "url": "https://x.pl/"}
    draft_services.draft_version_adopt(actor=coordinator, version=version, **fields)
    second = draft_services.draft_version_publish(actor=coordinator, draft=version.draft)
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"
    for target in (version, second):
        page = client.get(f"/programme-draft/versions/{target.pk}/adopted/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "This programme is already adopted: version 1, by resolution no. XII/123/11" in html
        assert 'name="resolution_number"' not in html


def test_others_cannot_adopt(client: Client, seeded: Meeting, member: User) -> None:
    version = _version(seeded)
    client.force_login(member)
    url = reverse("drafts:version-adopted", args=[version.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _form()).status_code == 404
    version.refresh_from_db()
    assert not version.adopted


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_adopting_at_once_one_wins(seeded: Meeting, coordinator: User) -> None:
    version = _version(seeded)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def adopt(number: str) -> None:
        try:
            barrier.wait()
            draft_services.draft_version_adopt(
                actor=coordinator,
                version=DraftVersion.objects.get(pk=version.pk),
                number=number,
                date=dt.date(2011, 11, 23),
                url="https://x.pl/",
            )
            outcomes.append("adopted")
        except Refused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=adopt, args=(n,)) for n in ("XII/1/11", "XII/2/11")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["adopted", "refused"]
    assert DraftVersion.objects.filter(pk=version.pk, adopted=True).count() == 1


def test_the_adoption_page_names_the_rounds_not_settled_and_the_audit_keeps_them(
    client: Client, seeded: Meeting, coordinator: User
) -> None:
    """The council's resolution is a fact to record, so open rounds do not stop it; but the
    coordinator is told first which rounds are still running, and the audit log keeps them."""
    version = _version(seeded)
    running = [
        r for r in Round.objects.filter(programme=seeded.team.programme) if phase_of(r) == "open"
    ]
    assert running  # the demo's open round
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"
    url = reverse("drafts:version-adopted", args=[version.pk])
    page = client.get(url).content.decode()
    assert "These consultation rounds of the programme are not settled yet" in page
    assert all(r.title in page for r in running)
    assert client.post(url, _form()).status_code == 302
    entry = AuditEntry.objects.get(action="draft_version.adopt", target_id=str(version.pk))
    assert entry.data["unfinished_rounds"] == [r.pk for r in running]

    # With every round settled there is nothing to warn of.
    Round.objects.filter(programme=seeded.team.programme).update(status=Phase.REPORT_PUBLISHED)
    other = client.get(url).content.decode()
    assert "not settled yet" not in other


def test_the_adoption_page_names_accepted_comments_no_paragraph_cites(
    client: Client, seeded: Meeting, coordinator: User
) -> None:
    """An accepted comment whose change no paragraph of the version cites may be missing from
    the adopted text: named first, kept in the audit entry; citing it ends the warning."""
    version = _version(seeded)
    accepted = Comment.objects.counted().filter(
        round__programme=seeded.team.programme,
        disposition__in=(Disposition.ACCEPTED, Disposition.PARTLY_ACCEPTED),
    )
    first, *others = accepted.order_by("round__opens_at", "round_id", "created_at", "pk")
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"
    url = reverse("drafts:version-adopted", args=[version.pk])
    page = client.get(url).content.decode()
    assert "no paragraph of version 1 cites them" in page
    assert first.registration_number in page
    # The version's paragraph cites the first: it is no longer named.
    snapshot = version.snapshot
    snapshot["sections"][0]["paragraphs"][0].setdefault("answers", []).append({"id": first.pk})
    DraftVersion.objects.filter(pk=version.pk).update(snapshot=snapshot)
    page = client.get(url).content.decode()
    assert first.registration_number not in page
    assert all(c.registration_number in page for c in others)
    assert client.post(url, _form()).status_code == 302
    entry = AuditEntry.objects.get(action="draft_version.adopt", target_id=str(version.pk))
    assert entry.data["not_written"] == [c.pk for c in others]


@pytest.mark.parametrize("typed", ["javascript:alert(1)", "http://bip.krakow.pl/uchwala"])
def test_the_resolution_link_must_be_https_and_says_so_once(typed: str) -> None:
    """Django's own URL check and an https-only one each said "Enter a valid URL.": twice,
    and for an http address, which is a valid URL, misleadingly."""
    from drafts.forms import AdoptForm

    with translation.override("en"):
        form = AdoptForm(data={"resolution_url": typed})
        form.is_valid()
        assert form.errors["resolution_url"] == [
            "Enter an address that starts with https:// (http:// is not accepted)."
        ]
    form = AdoptForm(data={"resolution_url": "bip.krakow.pl/uchwala"})
    form.is_valid()
    assert form.cleaned_data["resolution_url"] == "https://bip.krakow.pl/uchwala"


def test_once_adopted_the_draft_page_offers_the_adopted_programme_first(
    client: Client, seeded: Meeting, coordinator: User
) -> None:
    en_client = english(client)
    """An official opening the programme draft page after the council's resolution gets the
    adopted programme, not the version marked PROJEKT; a version published after it is
    offered as the draft it is, and publishing one says so first."""
    version = _version(seeded)
    page = en_client.get(reverse("drafts:draft-list")).content.decode()
    assert reverse("drafts:version-pdf", args=[version.pk]) in page
    assert "The current programme." in page
    assert "adopted programme" not in page
    draft_services.draft_version_adopt(
        actor=coordinator,
        version=version,
        number="XII/123/11",
        date=dt.date(2011, 11, 23),
        url="https://www.bip.krakow.pl/",
    )
    page = en_client.get(reverse("drafts:draft-list")).content.decode()
    adopted_pdf = reverse("drafts:version-adopted-pdf", args=[version.pk])
    assert adopted_pdf in page
    assert f"Download the adopted programme (version {version.number}) as PDF" in page
    assert reverse("drafts:version-pdf", args=[version.pk]) not in page

    en_client.force_login(coordinator)
    confirm = en_client.get(reverse("drafts:draft-publish-confirm", args=[version.draft_id]))
    assert "The council has already adopted version 1 of this programme" in (
        confirm.content.decode()
    )
    later = draft_services.draft_version_publish(actor=coordinator, draft=version.draft)
    page = en_client.get(reverse("drafts:draft-list")).content.decode()
    assert page.index(adopted_pdf) < page.index(reverse("drafts:version-pdf", args=[later.pk]))
    assert f"Download version {later.number} (a draft published after the adoption)" in page
