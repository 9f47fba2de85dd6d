"""Two coordinators registering at the same moment get distinct registration numbers, also the
first two of a year (when the year's counter row does not exist yet). Meant for PostgreSQL,
where the two transactions really overlap; SQLite serialises them."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.utils import timezone

from consultations import register_services
from consultations.models import Channel, Comment, RegistrationCounter, Round
from consultations.phases import Phase
from teams.models import User


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("counter_exists", [True, False])
def test_two_registrations_at_the_same_moment_get_distinct_numbers(
    make_round: Callable[..., Round], coordinator: User, counter_exists: bool
) -> None:
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        "file:memorydb"
    ):
        pytest.fail("needs a file database so that two threads share it")
    now = timezone.now()
    round_ = make_round(Phase.OPEN if counter_exists else Phase.ANNOUNCED)
    changes: dict[str, object] = {"announced_at": now - dt.timedelta(days=5)}
    if not counter_exists:
        # A round of a year that has no comments yet, hence no counter row.
        changes.update(
            opens_at=now + dt.timedelta(days=800), closes_at=now + dt.timedelta(days=830)
        )
    Round.objects.filter(pk=round_.pk).update(**changes)
    round_.refresh_from_db()
    year = timezone.localtime(round_.opens_at).year
    if not counter_exists:
        RegistrationCounter.objects.filter(year=year).delete()
    else:
        RegistrationCounter.objects.get_or_create(year=year)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def register(text: str) -> None:
        barrier.wait()
        try:
            register_services.comment_register(
                actor=coordinator,
                round_=round_,
                channel=Channel.POST,
                received_at=timezone.now() - dt.timedelta(hours=1),
                submitter=register_services.Submitter(person="Jan"),
                text=text,
            )
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(t,)) for t in ("Pierwsza", "Druga")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(
        Comment.objects.filter(round=round_).values_list("registration_number", flat=True)
    )
    assert len(numbers) == 2 and len(set(numbers)) == 2
    last = RegistrationCounter.objects.get(year=year).last
    assert numbers[1] == f"KZ/{year}/{last:04d}"
