"""Registering organisations, asking to represent them, and the coordinating team's decisions."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.html import escape

from core.models import AuditEntry
from teams import permissions
from teams.models import Organisation, Representation, User

NEW_NIP = "5261040828"
DEMO_NIP = "8567346215"


def organisation_data(**extra: str) -> dict[str, str]:
    return {
        "name": "  Fundacja   Nowa  ",
        "legal_form": "foundation",
        "nip": "526-104-08-28",
        "regon": "",
        "krs": "0000 123 456",
        "address": "ul. Długa 1, Kraków",
        "website": "https://fundacja.example.org",
        **extra,
    }


def test_newcomer_registers_an_organisation_with_normalised_numbers(
    en_client: Client, newcomer: User
) -> None:
    en_client.force_login(newcomer)
    response = en_client.post("/organisations/new/", organisation_data())
    organisation = Organisation.objects.get(nip=NEW_NIP)
    assert response.status_code == 302
    assert response["Location"] == f"/organisations/{organisation.pk}/"
    assert organisation.name == "Fundacja Nowa"
    assert organisation.krs == "0000123456"
    assert organisation.is_verified is False
    representation = Representation.objects.get(user=newcomer, organisation=organisation)
    assert representation.status == Representation.Status.PENDING
    assert AuditEntry.objects.filter(action="organisation.register", actor=newcomer).exists()
    # Registered is not yet approved: still read-only.
    assert permissions.can_contribute(newcomer) is False


def test_short_krs_is_padded_with_leading_zeros(en_client: Client, newcomer: User) -> None:
    en_client.force_login(newcomer)
    en_client.post("/organisations/new/", organisation_data(krs="359730"))
    assert Organisation.objects.get(nip=NEW_NIP).krs == "0000359730"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "nip",
            "8567346216",
            "is not a valid NIP: it must be 10 digits with a correct check digit.",
        ),
        ("nip", "12345", "is not a valid NIP"),
        ("regon", "192598183", "is not a valid REGON: it must be 9 or 14 digits"),
        ("krs", "12345678901", "A KRS number has exactly 10 digits"),
        ("krs", "KRS-ABC", "A KRS number has exactly 10 digits"),
        ("name", "   ", "This field is required."),
        ("name", "x" * 301, "Ensure this value has at most 300 characters (it has 301)."),
        ("website", "not a url", "Enter a valid URL."),
    ],
)
def test_bad_organisation_details_are_refused_and_nothing_is_saved(
    en_client: Client, newcomer: User, field: str, value: str, message: str
) -> None:
    en_client.force_login(newcomer)
    before = Organisation.objects.count()
    response = en_client.post("/organisations/new/", organisation_data(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Organisation.objects.count() == before
    assert not Representation.objects.filter(user=newcomer).exists()


def test_organisation_without_nip_or_regon_is_refused(en_client: Client, newcomer: User) -> None:
    en_client.force_login(newcomer)
    response = en_client.post("/organisations/new/", organisation_data(nip="", regon=""))
    assert "Give the organisation&#x27;s NIP, its REGON, or both." in response.content.decode()
    assert not Organisation.objects.filter(name="Fundacja Nowa").exists()


def test_regon_alone_is_enough(en_client: Client, newcomer: User) -> None:
    en_client.force_login(newcomer)
    en_client.post("/organisations/new/", organisation_data(nip="", regon="123-456-785", krs=""))
    assert Organisation.objects.get(regon="123456785").nip == ""


def test_same_nip_twice_is_refused_with_a_link_to_the_existing_organisation(
    en_client: Client, newcomer: User
) -> None:
    existing = Organisation.objects.get(nip=DEMO_NIP)
    en_client.force_login(newcomer)
    response = en_client.post("/organisations/new/", organisation_data(nip="856 734 62 15"))
    text = response.content.decode()
    assert "An organisation with this NIP is already registered" in text
    assert "Give the organisation&#x27;s NIP, its REGON, or both." not in text  # one error, not two
    assert f'href="/organisations/{existing.pk}/"' in text
    assert f'action="/organisations/{existing.pk}/represent/"' in text
    assert Organisation.objects.filter(nip=DEMO_NIP).count() == 1


def test_same_krs_twice_is_refused(en_client: Client, newcomer: User) -> None:
    Organisation.objects.create(name="Stara", nip="", regon="123456785", krs="0000123456")
    en_client.force_login(newcomer)
    response = en_client.post("/organisations/new/", organisation_data())
    assert "An organisation with this KRS number is already registered: Stara." in (
        response.content.decode()
    )
    assert not Organisation.objects.filter(nip=NEW_NIP).exists()


def test_same_regon_twice_is_refused_with_a_link_to_the_existing_organisation(
    en_client: Client, newcomer: User
) -> None:
    existing = Organisation.objects.get(nip=DEMO_NIP)
    assert existing.regon
    en_client.force_login(newcomer)
    response = en_client.post(
        "/organisations/new/", organisation_data(nip="", krs="", regon=existing.regon)
    )
    text = response.content.decode()
    assert "An organisation with this REGON is already registered" in text
    assert f'action="/organisations/{existing.pk}/represent/"' in text
    assert Organisation.objects.filter(regon=existing.regon).count() == 1


def test_full_width_digits_are_read_as_the_number_they_are(
    en_client: Client, newcomer: User
) -> None:
    """Digits typed on a full-width keyboard or pasted from a PDF are the same number: stored
    in ASCII, and refused as a duplicate when it is one."""
    existing = Organisation.objects.get(nip=DEMO_NIP)
    wide = existing.regon.translate({ord(d): chr(0xFF10 + int(d)) for d in "0123456789"})
    en_client.force_login(newcomer)
    response = en_client.post("/organisations/new/", organisation_data(nip="", regon=wide))
    assert "An organisation with this REGON is already registered" in response.content.decode()
    en_client.post(
        "/organisations/new/", organisation_data(nip="５２６１０４０８２８", krs="０‑359730")
    )
    organisation = Organisation.objects.get(nip=NEW_NIP)
    assert organisation.krs == "0000359730"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("nip", "0000000000"),
        ("regon", "000000000"),
        ("nip", "٥٢٦١٠٤٠٨٢٨"),  # Arabic-Indic digits: not read as a NIP
        ("krs", "٠٠٠٠١٢٣٤٥٦"),
    ],
)
def test_numbers_of_zeros_or_of_other_scripts_digits_are_refused(
    en_client: Client, newcomer: User, field: str, value: str
) -> None:
    en_client.force_login(newcomer)
    before = Organisation.objects.count()
    response = en_client.post("/organisations/new/", organisation_data(**{field: value}))
    assert response.status_code == 200
    assert "is not a valid" in response.content.decode() or "exactly 10 digits" in (
        response.content.decode()
    )
    assert Organisation.objects.count() == before


def test_anonymous_visitor_is_sent_to_log_in_before_registering(client: Client, seeded) -> None:
    """Not logged in (or no longer): nothing is registered; what was typed is shown back with
    the way to log in and come back to the form (krakow_ngo.middleware.SessionEndedMiddleware)."""
    data = organisation_data()
    response = client.post(
        "/organisations/new/", data, HTTP_REFERER="http://testserver/organisations/new/"
    )
    assert response.status_code == 403
    body = response.content.decode()
    assert 'href="/accounts/login/?next=%2Forganisations%2Fnew%2F"' in body
    assert escape(data["name"]) in body
    assert not Organisation.objects.filter(nip=NEW_NIP).exists()


def test_newcomer_asks_to_represent_an_existing_organisation(
    en_client: Client, newcomer: User
) -> None:
    organisation = Organisation.objects.get(nip=DEMO_NIP)
    en_client.force_login(newcomer)
    response = en_client.post(f"/organisations/{organisation.pk}/represent/", follow=True)
    assert "You asked to represent" in response.content.decode()
    assert Representation.objects.get(user=newcomer, organisation=organisation).status == (
        Representation.Status.PENDING
    )
    # Asking twice changes nothing.
    en_client.post(f"/organisations/{organisation.pk}/represent/")
    assert Representation.objects.filter(user=newcomer).count() == 1


def test_one_person_may_represent_several_organisations(en_client: Client, newcomer: User) -> None:
    en_client.force_login(newcomer)
    en_client.post("/organisations/new/", organisation_data())
    demo = Organisation.objects.get(nip=DEMO_NIP)
    en_client.post(f"/organisations/{demo.pk}/represent/")
    assert Representation.objects.filter(user=newcomer).count() == 2


def _pending(newcomer: User) -> Representation:
    organisation = Organisation.objects.create(name="Koło", legal_form="rural_women", nip=NEW_NIP)
    return Representation.objects.create(user=newcomer, organisation=organisation)


def test_coordinator_verifies_the_organisation_and_approves_the_representative(
    client: Client, coordinator: User, newcomer: User
) -> None:
    representation = _pending(newcomer)
    client.force_login(coordinator)
    newcomer.first_name, newcomer.last_name = "Nowa", "Osoba"
    newcomer.save(update_fields=["first_name", "last_name"])
    queue = client.get("/coordination/").content.decode()
    assert "Koło" in queue and f"Nowa Osoba ({newcomer.email})" in queue  # who, by name too

    client.post(f"/organisations/{representation.organisation_id}/verify/")
    client.post(
        f"/representations/{representation.pk}/decide/",
        {"decision": "approve", "reason": "Checked in KRS"},
    )
    representation.refresh_from_db()
    assert representation.status == Representation.Status.APPROVED
    assert representation.decided_by == coordinator
    assert representation.organisation.verified_by == coordinator
    assert permissions.can_contribute(newcomer) is True
    entry = AuditEntry.objects.get(action="representation.approve")
    assert (entry.actor, entry.reason) == (coordinator, "Checked in KRS")
    assert AuditEntry.objects.filter(action="organisation.verify", actor=coordinator).exists()


def test_an_organisation_named_only_in_a_registered_letter_is_not_offered_for_verification(
    client: Client, coordinator: User
) -> None:
    """A letter the coordinating team registers may name an organisation the portal does not
    know: it is stored by its name alone. With neither NIP nor REGON there is nothing to
    verify it against: it is not in the queue, and verifying it anyway is refused."""
    from_letter = Organisation.objects.create(name="Fundacja z listu")
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"
    assert "Fundacja z listu" not in client.get("/coordination/").content.decode()
    response = client.post(f"/organisations/{from_letter.pk}/verify/", follow=True)
    assert "there is nothing to verify it against" in response.content.decode()
    from_letter.refresh_from_db()
    assert from_letter.verified_at is None
    assert not AuditEntry.objects.filter(action="organisation.verify").exists()


def test_approved_representative_of_an_unverified_organisation_still_cannot_contribute(
    client: Client, coordinator: User, newcomer: User
) -> None:
    representation = _pending(newcomer)
    client.force_login(coordinator)
    client.post(f"/representations/{representation.pk}/decide/", {"decision": "approve"})
    assert permissions.can_contribute(newcomer) is False


def test_coordinator_rejects_a_representation_and_the_person_may_ask_again(
    client: Client, coordinator: User, newcomer: User
) -> None:
    representation = _pending(newcomer)
    client.force_login(coordinator)
    client.post(f"/representations/{representation.pk}/decide/", {"decision": "reject"})
    representation.refresh_from_db()
    assert representation.status == Representation.Status.REJECTED
    assert AuditEntry.objects.filter(action="representation.reject").exists()
    client.force_login(newcomer)
    client.post(f"/organisations/{representation.organisation_id}/represent/")
    representation.refresh_from_db()
    assert representation.status == Representation.Status.PENDING


def test_second_decision_on_the_same_request_is_refused_and_changes_nothing(
    en_client: Client, coordinator: User, newcomer: User
) -> None:
    representation = _pending(newcomer)
    en_client.force_login(coordinator)
    en_client.post(f"/representations/{representation.pk}/decide/", {"decision": "approve"})
    response = en_client.post(
        f"/representations/{representation.pk}/decide/", {"decision": "reject"}, follow=True
    )
    assert "Somebody already decided this request" in response.content.decode()
    representation.refresh_from_db()
    assert representation.status == Representation.Status.APPROVED
    assert AuditEntry.objects.filter(action__startswith="representation.").count() == 1


def test_over_long_reason_is_refused(en_client: Client, coordinator: User, newcomer: User) -> None:
    representation = _pending(newcomer)
    en_client.force_login(coordinator)
    response = en_client.post(
        f"/representations/{representation.pk}/decide/",
        {"decision": "reject", "reason": "x" * 501},
        follow=True,
    )
    assert "Ensure this value has at most 500 characters (it has 501)." in (
        response.content.decode()
    )
    representation.refresh_from_db()
    assert representation.status == Representation.Status.PENDING


@pytest.mark.parametrize("persona", ["newcomer", "member", "moderator", "expert", "official"])
def test_only_the_coordinating_team_verifies_and_decides(
    client: Client, newcomer: User, persona: str, request: pytest.FixtureRequest
) -> None:
    representation = _pending(newcomer)
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/coordination/").status_code == 404
    assert (
        client.post(f"/organisations/{representation.organisation_id}/verify/").status_code == 404
    )
    response = client.post(f"/representations/{representation.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 404
    representation.refresh_from_db()
    assert representation.status == Representation.Status.PENDING
    assert representation.organisation.is_verified is False


def test_deciding_a_missing_request_looks_like_a_forbidden_one(
    client: Client, member: User, coordinator: User
) -> None:
    client.force_login(member)
    forbidden = client.post("/representations/1/decide/", {"decision": "approve"})
    missing = client.post("/representations/999999/decide/", {"decision": "approve"})
    assert forbidden.status_code == missing.status_code == 404


def test_anonymous_visitor_cannot_decide(client: Client, newcomer: User) -> None:
    representation = _pending(newcomer)
    response = client.post(f"/representations/{representation.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    representation.refresh_from_db()
    assert representation.status == Representation.Status.PENDING


def test_public_organisation_page_shows_no_personal_data(client: Client, member: User) -> None:
    organisation = Organisation.objects.get(nip=DEMO_NIP)
    response = client.get(f"/organisations/{organisation.pk}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert organisation.name in text
    for personal in (member.email, member.first_name, member.last_name, "koordynator@example.org"):
        assert personal not in text


def test_unverified_organisation_is_hidden_from_anonymous_visitors(
    client: Client, newcomer: User
) -> None:
    organisation = _pending(newcomer).organisation
    assert client.get(f"/organisations/{organisation.pk}/").status_code == 404
    assert "Koło" not in client.get("/organisations/").content.decode()
    client.force_login(newcomer)
    assert client.get(f"/organisations/{organisation.pk}/").status_code == 200


@pytest.mark.parametrize("query", ["Razem w Krakowie", "856-734-62-15", "8567346215"])
def test_organisations_are_found_by_name_or_nip(client: Client, member: User, query: str) -> None:
    response = client.get("/organisations/", {"q": query})
    assert "Razem w Krakowie" in response.content.decode()


def test_organisation_found_by_krs(client: Client, newcomer: User) -> None:
    organisation = _pending(newcomer).organisation
    organisation.krs = "0000359730"
    organisation.save()
    client.force_login(newcomer)
    assert "Koło" in client.get("/organisations/", {"q": "359730"}).content.decode()
    assert "Koło" not in client.get("/organisations/", {"q": "Razem"}).content.decode()


def test_a_wrong_nip_is_one_error_not_also_a_missing_one(en_client: Client, newcomer: User) -> None:
    en_client.force_login(newcomer)
    data = organisation_data(nip="123 456 78 90", regon="")
    response = en_client.post("/organisations/new/", data)
    text = response.content.decode()
    assert response.status_code in (200, 400)
    assert "NIP" in text and "Give the organisation&#x27;s NIP, its REGON, or both." not in text
    assert not Organisation.objects.filter(name="Fundacja Nowa").exists()


def test_the_legal_form_is_chosen_not_assumed(en_client: Client, newcomer: User) -> None:
    """A foundation registered as the default "association" went unnoticed."""
    en_client.force_login(newcomer)
    page = en_client.get("/organisations/new/").content.decode()
    assert '<option value="" selected>Choose the legal form</option>' in page
    data = organisation_data()
    del data["legal_form"]
    response = en_client.post("/organisations/new/", data)
    assert response.status_code in (200, 400)
    assert "This field is required." in response.content.decode()
    assert not Organisation.objects.filter(nip=NEW_NIP).exists()
