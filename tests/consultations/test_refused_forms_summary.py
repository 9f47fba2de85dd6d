"""A refused form on a long page (settling, the register, the moderation queue) comes back with
a focused summary at the top of the form that was sent (role="alert", autofocus) saying that
nothing was saved and what to correct, with what was typed or ticked kept; in the moderation
queue the error is also at that comment's reason field, tied to it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from consultations import services
from consultations.models import Channel, Comment, Disposition, Flag, Round
from consultations.phases import Phase
from teams.models import User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]
DAY = dt.timedelta(days=1)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None]
    parent: Node | None = None
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text() for c in self.children]
        return " ".join(" ".join(parts).split())

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def find_all(self, **attrs: str) -> list[Node]:
        return [n for n in self.walk() if all(n.attrs.get(k) == v for k, v in attrs.items())]

    def find(self, **attrs: str) -> Node:
        found = self.find_all(**attrs)
        assert len(found) == 1, (attrs, len(found))
        return found[0]

    def within(self, tag: str) -> Node | None:
        node = self.parent
        while node is not None and node.tag != tag:
            node = node.parent
        return node


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.root = self.open = Node("document", {})

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs), parent=self.open)
        self.open.children.append(node)
        if tag not in VOID:
            self.open = node

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.open
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.open = node.parent

    def handle_data(self, data: str) -> None:
        self.open.children.append(data)


def parse(response: Any) -> Node:
    tree = _Tree()
    tree.feed(response.content.decode())
    return tree.root


def summary(page: Node) -> Node:
    """The one focused summary of a refused form on the page, checked for its markup."""
    found = [n for n in page.find_all(role="alert") if "autofocus" in n.attrs]
    assert len(found) == 1, [n.text() for n in found]
    node = found[0]
    assert node.attrs.get("tabindex") == "-1"
    return node


def links(node: Node) -> dict[str, str]:
    return {a.attrs["href"] or "": a.text() for a in node.find_all() if a.tag == "a"}


# --- The settle page ----------------------------------------------------------------------


def _settle(client: Client, round_: Round, comments: list[Comment], **data: str) -> Any:
    payload: dict[str, Any] = {
        "comments": [c.pk for c in comments],
        **{f"version-{c.pk}": c.version for c in comments},
        **data,
    }
    return client.post(f"/consultations/{round_.pk}/settle/", payload)


def test_a_settlement_without_a_justification_is_summed_up_at_the_top_of_the_form(
    closed_round: Round, make_comment: Callable[..., Comment], coordinator: User, as_user: Login
) -> None:
    ticked = make_comment(closed_round, "Uwaga pierwsza")
    make_comment(closed_round, "Uwaga druga")
    response = _settle(
        as_user(coordinator),
        closed_round,
        [ticked],
        disposition=Disposition.NOT_ACCEPTED,
        justification="",
    )
    assert response.status_code == 400
    page = parse(response)
    alert = summary(page)
    assert "Nothing was saved" in alert.text()
    assert links(alert) == {"#id_justification": "Justification: This field is required."}
    # At the top of the form that was sent: before its table of comments.
    form = alert.within("form")
    assert form is not None and form.find(name="comments", value=str(ticked.pk))
    assert form.children.index(alert) < form.children.index(
        next(n for n in form.children if isinstance(n, Node) and n.tag == "table")
    )
    # The field itself says it too, tied to it; the tick and the disposition are kept.
    field = page.find(id="id_justification")
    assert field.attrs["aria-invalid"] == "true"
    assert "id_justification_error" in (field.attrs["aria-describedby"] or "").split()
    assert "This field is required." in page.find(id="id_justification_error").text()
    assert "checked" in page.find(name="comments", value=str(ticked.pk)).attrs
    assert "checked" in page.find(name="disposition", value=Disposition.NOT_ACCEPTED).attrs
    ticked.refresh_from_db()
    assert ticked.disposition == ""


def test_the_settle_page_shows_no_summary_until_a_form_is_refused(
    closed_round: Round, make_comment: Callable[..., Comment], coordinator: User, as_user: Login
) -> None:
    make_comment(closed_round)
    response = as_user(coordinator).get(f"/consultations/{closed_round.pk}/settle/")
    body = response.content.decode()
    assert response.status_code == 200
    assert not [n for n in parse(response).walk() if "autofocus" in n.attrs]
    assert "<!--ctl:refused" not in body


def test_assigning_to_nobody_is_summed_up_at_the_top_of_the_form(
    closed_round: Round, make_comment: Callable[..., Comment], coordinator: User, as_user: Login
) -> None:
    comment = make_comment(closed_round)
    response = _settle(as_user(coordinator), closed_round, [comment], assign="1", assignee="")
    assert response.status_code == 400
    alert = summary(parse(response))
    assert links(alert) == {"#assignee-page": "Choose the person to assign the comments to."}


def test_a_conflict_is_summed_up_with_a_link_to_the_decision(
    closed_round: Round, make_comment: Callable[..., Comment], coordinator: User, as_user: Login
) -> None:
    comment = make_comment(closed_round)
    stale = Comment.objects.get(pk=comment.pk)
    Comment.objects.filter(pk=comment.pk).update(version=comment.version + 1)
    response = _settle(
        as_user(coordinator),
        closed_round,
        [stale],
        disposition=Disposition.ACCEPTED,
        justification="Przyjęto.",
    )
    assert response.status_code == 409
    alert = summary(parse(response))
    assert list(links(alert)) == ["#decision"]
    assert parse(response).find(id="decision").tag == "fieldset"


def test_the_late_comments_form_gets_the_summary_when_it_was_the_one_sent(
    closed_round: Round, make_comment: Callable[..., Comment], coordinator: User, as_user: Login
) -> None:
    late = make_comment(
        closed_round,
        "Spóźniony list",
        author=None,
        submitter_name="Jan Kowalski",
        channel=Channel.POST,
        registered_by=coordinator,
        received_at=timezone.now() - dt.timedelta(hours=1),
    )
    assert late.is_late
    client = as_user(coordinator)
    assert (
        'id="late-comments"'
        in client.get(f"/consultations/{closed_round.pk}/settle/").content.decode()
    )
    response = _settle(
        client,
        closed_round,
        [late],
        late="1",
        disposition=Disposition.NOT_CONSIDERED,
        justification=" ",
    )
    assert response.status_code == 400
    alert = summary(parse(response))
    form = alert.within("form")
    assert form is not None and form.attrs.get("id") == "late-comments"
    assert links(alert) == {"#late-justification": "Justification: This field is required."}


# --- The register -------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_a_letter_dated_in_the_future_is_summed_up_at_the_top_of_the_form(
    make_round: Callable[..., Round], coordinator: User, as_user: Login
) -> None:
    round_ = make_round(Phase.OPEN)
    Round.objects.filter(pk=round_.pk).update(announced_at=timezone.now() - 10 * DAY)
    response = as_user(coordinator).post(
        f"/consultations/{round_.pk}/register/",
        {
            "channel": Channel.POST,
            "received_at": _local(timezone.now() + DAY),
            "person_name": "Anna Przykładowa",
            "item": "",
            "text": "Uwaga nadesłana pocztą.",
        },
    )
    assert response.status_code == 400
    page = parse(response)
    alert = summary(page)
    assert "The comment was not registered, nothing was saved" in alert.text()
    assert links(alert) == {"#id_received_at": "Received at: The date received is in the future."}
    form = alert.within("form")
    assert form is not None and form.children.index(alert) < form.children.index(
        form.find(name="csrfmiddlewaretoken")
    )
    field = page.find(id="id_received_at")
    assert field.attrs["aria-invalid"] == "true"
    assert "Uwaga nadesłana pocztą." in page.find(id="id_text").text()  # what was typed
    assert not Comment.objects.filter(round=round_).exists()


# --- The moderation queue -----------------------------------------------------------------


def test_hiding_without_a_reason_is_said_at_that_comments_reason_field(
    open_round: Round,
    make_comment: Callable[..., Comment],
    other_rep: User,
    moderator: User,
    as_user: Login,
) -> None:
    refused = make_comment(open_round, "Obraźliwy wpis")
    other = make_comment(open_round, "Inny wpis")
    for comment in (refused, other):
        services.comment_flag(actor=other_rep, comment=comment, reason="Spam")
    response = as_user(moderator).post(
        f"/consultations/moderation/{refused.pk}/", {"decision": "hide", "reason": "  "}
    )
    assert response.status_code == 400
    page = parse(response)
    alert = summary(page)
    # On that comment's form, naming it; its link leads to the reason field.
    assert alert.within("article") is page.find(id=f"queued-{refused.pk}")
    assert refused.author_label in alert.text() and "Nothing was saved" in alert.text()
    assert links(alert) == {f"#reason-{refused.pk}": "Give the reason for hiding the comment."}
    field = page.find(id=f"reason-{refused.pk}")
    assert field.attrs["aria-invalid"] == "true"
    assert field.attrs["aria-describedby"] == f"reason-{refused.pk}-error"
    assert field.attrs["value"] == "  "  # as typed
    error = page.find(id=f"reason-{refused.pk}-error")
    assert error.text() == "Give the reason for hiding the comment."
    assert error.within("form") is field.within("form")
    assert "aria-invalid" not in page.find(id=f"reason-{other.pk}").attrs
    refused.refresh_from_db()
    assert not refused.is_hidden


def test_a_refusal_on_the_second_page_of_the_queue_comes_back_on_that_page(
    open_round: Round,
    make_comment: Callable[..., Comment],
    other_rep: User,
    moderator: User,
    as_user: Login,
) -> None:
    comments = [make_comment(open_round, f"Wpis {n}") for n in range(51)]
    Flag.objects.bulk_create(Flag(comment=c, user=other_rep, reason="Spam") for c in comments)
    client = as_user(moderator)
    second = parse(client.get("/consultations/moderation/?page=2"))
    (article,) = [n for n in second.find_all() if n.tag == "article"]
    pk = int((article.attrs["id"] or "").removeprefix("queued-"))
    (form,) = [n for n in article.find_all() if n.tag == "form"]
    assert form.attrs["action"] == f"/consultations/moderation/{pk}/?page=2"
    response = client.post(form.attrs["action"] or "", {"decision": "hide", "reason": ""})
    assert response.status_code == 400
    page = parse(response)
    assert summary(page).within("article") is page.find(id=f"queued-{pk}")
