"""Each kind of notification is declared once, here, by the app that causes it.

A domain app declares its kinds in a ``notices`` module that its ``AppConfig.ready()`` imports
(this app imports no domain app)::

    ROUND_OPENED = registry.register(
        "round_opened",
        label=_("notices that a consultation round is open"),
        context=_round_context,
    )

A kind has a name (stored on outbox rows and opt-outs: never rename one), a label (the settings
page and the unsubscribe page), whether it is *immediate* (it cannot wait for a weekly digest),
and a context function that adds to the base context at sending time, or answers None when the
message no longer makes sense. A sweep renders a kind's templates once per subject, language
and row data, and puts each recipient's own unsubscribe link into that rendering: what a
kind's context adds must be the same for every recipient of the same subject and data, and
its templates do not see ``recipient``, unless the kind is declared *personal* (rendered for
each recipient, e.g. a list of the recipient's own comments). Its templates follow the name:
``emails/<name>_subject.txt``, ``emails/<name>_body.txt`` and, optionally,
``emails/<name>_body.html``. An app may also
register a *scheduler*: a function of the current time that queues what the clock causes;
every sweep calls each one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from .models import Outbox

#: Adds to a row's context when it is sent; None: the message is no longer relevant.
ContextFunction = Callable[["Outbox", dict[str, Any]], dict[str, Any] | None]
Scheduler = Callable[[dt.datetime], None]


def _no_context(row: Outbox, context: dict[str, Any]) -> dict[str, Any] | None:
    return context


@dataclass(frozen=True)
class Kind:
    name: str
    label: StrOrPromise
    context: ContextFunction = _no_context
    immediate: bool = False
    personal: bool = False

    def __str__(self) -> str:
        return self.name


_KINDS: dict[str, Kind] = {}
_SCHEDULERS: list[Scheduler] = []


def register(
    name: str,
    *,
    label: StrOrPromise,
    context: ContextFunction = _no_context,
    immediate: bool = False,
    personal: bool = False,
) -> Kind:
    """Declare a kind; declaring the same name twice is a programming error."""
    if name in _KINDS:
        raise ValueError(f"notification kind {name!r} is declared twice")
    kind = Kind(name=name, label=label, context=context, immediate=immediate, personal=personal)
    _KINDS[name] = kind
    return kind


def register_scheduler(scheduler: Scheduler) -> Scheduler:
    if scheduler not in _SCHEDULERS:
        _SCHEDULERS.append(scheduler)
    return scheduler


def kinds() -> list[Kind]:
    """Every declared kind, in the order the apps declared them."""
    return list(_KINDS.values())


def kind(name: str) -> Kind | None:
    return _KINDS.get(name)


def is_immediate(name: str) -> bool:
    declared = _KINDS.get(name)
    return declared is not None and declared.immediate


def is_personal(name: str) -> bool:
    """Rendered for each recipient (an undeclared kind too: nothing says it may be shared)."""
    declared = _KINDS.get(name)
    return declared is None or declared.personal


def digest_kinds() -> list[Kind]:
    """What the weekly digest gathers: every kind that can wait."""
    return [declared for declared in _KINDS.values() if not declared.immediate]


def schedulers() -> list[Scheduler]:
    return list(_SCHEDULERS)
