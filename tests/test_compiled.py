"""core.compiled: a queryset's SQL compiled once, run with each call's ids — the same rows as
the queryset itself, and a loud refusal for a queryset that cannot be reused that way."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultations import permissions
from core.compiled import CompiledQuery
from teams.models import Meeting, Membership, Organisation, Representation, User

pytestmark = pytest.mark.django_db


def _people(user_id: int, other_id: int):
    return User.objects.filter(pk__in=[user_id, other_id]).order_by("pk").values_list("pk", "email")


def test_each_call_runs_with_its_own_ids_and_returns_what_the_queryset_does() -> None:
    a, b, c = (User.objects.create_user(email=f"p{i}@example.org", password="x") for i in range(3))
    query = CompiledQuery(_people)
    assert query.rows(a.pk, b.pk) == list(_people(a.pk, b.pk))
    assert query.rows(c.pk, a.pk) == list(_people(c.pk, a.pk))
    with CaptureQueriesContext(connection) as queries:
        assert query.rows(b.pk, c.pk) == [(b.pk, b.email), (c.pk, c.email)]
    assert len(queries.captured_queries) == 1


def test_a_queryset_whose_sql_holds_a_changing_value_is_refused() -> None:
    """ "Now" compiled in would be frozen at the first call: refused, not kept."""
    query = CompiledQuery(
        lambda user_id: User.objects.filter(
            pk=user_id, date_joined__lte=timezone.now()
        ).values_list("pk")
    )
    with pytest.raises(ValueError, match="changes between builds"):
        query.rows(1)


def test_an_id_that_does_not_reach_the_query_is_refused() -> None:
    query = CompiledQuery(lambda user_id: User.objects.filter(is_active=True).values_list("pk"))
    with pytest.raises(ValueError, match="does not reach"):
        query.rows(1)


def _by_size(user_id: int):
    """One parameter either way, but the SQL (= or >) depends on the id's value."""
    lookup = "pk" if abs(user_id) % 200_000 < 100_000 else "pk__gt"
    return User.objects.filter(**{lookup: user_id}).values_list("pk")


def test_an_id_that_changes_the_sql_is_refused() -> None:
    with pytest.raises(ValueError, match="SQL depends on"):
        CompiledQuery(_by_size).rows(1)


def test_the_viewers_roles_follow_each_change_at_once(seeded: Meeting) -> None:
    """The compiled roles query (teams.models.ROLES) is the ORM rule, not a copy: a
    representation counts once approved and the organisation verified, a moderator
    membership once approved, and the organisations come by name. Read alone or with the
    person as Django loads them for a request (``User.objects.get(pk=…)``), the same."""
    person = User.objects.create_user(email="rola@example.org", password="x")
    zeta = Organisation.objects.create(name="Żeglarze", verified_at=timezone.now())
    alfa = Organisation.objects.create(name="Alfa")
    team = seeded.team
    assert _viewer(person).organisations == {}
    Representation.objects.create(user=person, organisation=zeta, status="approved")
    representation = Representation.objects.create(user=person, organisation=alfa, status="pending")
    assert _viewer(person).organisations == {zeta.pk: "Żeglarze"}
    Representation.objects.filter(pk=representation.pk).update(status="approved")
    assert _viewer(person).organisations == {zeta.pk: "Żeglarze"}
    Organisation.objects.filter(pk=alfa.pk).update(verified_at=timezone.now())
    viewer = _viewer(person)
    assert list(viewer.organisations.items()) == [(alfa.pk, "Alfa"), (zeta.pk, "Żeglarze")]
    assert viewer.moderated_teams == frozenset()
    membership = Membership.objects.create(
        user=person, team=team, role=Membership.Role.MODERATOR, status=Membership.Status.REQUESTED
    )
    assert _viewer(person).moderated_teams == frozenset()
    Membership.objects.filter(pk=membership.pk).update(status=Membership.Status.APPROVED)
    assert _viewer(person).moderated_teams == frozenset({team.pk})
    # Nobody else's roles leak in.
    other = User.objects.create_user(email="inna@example.org", password="x")
    assert _viewer(other).organisations == {}
    assert _viewer(other).moderated_teams == frozenset()


def _viewer(person: User) -> permissions.Viewer:
    alone = permissions.person_viewer(person)
    loaded = permissions.person_viewer(User.objects.get(pk=person.pk))
    assert list(loaded.organisations.items()) == list(alone.organisations.items())
    assert loaded.moderated_teams == alone.moderated_teams
    return alone


def test_an_instance_needs_the_models_own_columns_and_nothing_else() -> None:
    """``instance`` builds the model from its own columns: a values_list() row, or a row that
    also carries a related model's columns, is refused rather than loaded wrongly."""
    person = User.objects.create_user(email="wzor@example.org", password="x")
    with pytest.raises(ValueError, match="own columns"):
        CompiledQuery(lambda pk: User.objects.filter(pk=pk).values_list("pk")).instance(person.pk)
    organisation = Organisation.objects.create(name="Wzór")
    representation = Representation.objects.create(user=person, organisation=organisation)
    with pytest.raises(ValueError, match="own columns"):
        CompiledQuery(
            lambda pk: Representation.objects.filter(pk=pk).select_related("organisation")
        ).instance(representation.pk)
    assert (
        CompiledQuery(lambda pk: Representation.objects.filter(pk=pk)).instance(representation.pk)
        == representation
    )
    assert CompiledQuery(lambda pk: Representation.objects.filter(pk=pk)).instance(0) is None
