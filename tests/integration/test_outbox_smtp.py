"""The outbox through a real SMTP server on loopback (aiosmtpd, in a thread of this process):
every message arrives once, and a batch goes over one SMTP session."""

from __future__ import annotations

import email
from collections import Counter
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from consultations.models import Round
from notifications.models import Outbox
from notifications.outbox import outbox_sweep
from teams.models import User
from tests.consultations.conftest import make_round, open_round  # noqa: F401 F811 (fixtures)

from .conftest import free_port

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


class Recorder:
    """What the server received: each message's X-Outbox-Id, and how many sessions said EHLO."""

    def __init__(self) -> None:
        self.ids: Counter[int] = Counter()
        self.sessions = 0
        self.recipients: list[str] = []

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:  # noqa: N802, E501
        self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content)
        self.ids[int(message["X-Outbox-Id"])] += 1
        self.recipients.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings: Any) -> Any:
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    yield recorder
    controller.stop()


def test_every_message_arrives_once_over_one_session_per_batch(
    open_round: Round,  # noqa: F811 (fixture)
    smtp_server: Recorder,
    settings: Any,
) -> None:
    settings.OUTBOX_BATCH_SIZE = 50
    outbox_sweep()  # what the fixtures and the clock queued (the round's opening notice)
    smtp_server.__init__()  # type: ignore[misc]
    users = User.objects.bulk_create(
        User(email=f"smtp{i}@example.org", language="en" if i % 2 else "pl") for i in range(120)
    )
    due = timezone.now()
    subject_type = ContentType.objects.get_for_model(Round)
    Outbox.objects.bulk_create(
        Outbox(
            recipient=user,
            email=user.email,
            language=user.language,
            kind="round_announced",
            subject_type=subject_type,
            subject_id=str(open_round.pk),
            due_at=due,
        )
        for user in users
    )
    rows = set(Outbox.objects.filter(kind="round_announced").values_list("pk", flat=True))
    result = outbox_sweep(now=due)
    again = outbox_sweep(now=due)
    assert rows <= set(result.sent)
    assert not again.sent
    assert {pk: smtp_server.ids[pk] for pk in rows} == dict.fromkeys(rows, 1)
    assert sorted(smtp_server.recipients) == sorted(user.email for user in users)
    assert smtp_server.sessions == 3  # 50 + 50 + 20
