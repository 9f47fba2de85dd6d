"""The logged-in person is loaded through SQL compiled once per process (teams.models.UserManager
.get, core.compiled.CompiledQuery.instance): the same object the ORM loads, field by field, on
SQLite and on PostgreSQL, and only for ``get(pk=…)`` of the User model itself."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.models.sql.compiler import SQLCompiler
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from teams.models import Meeting, Membership, Organisation, Representation, Team, User

pytestmark = pytest.mark.django_db


def _fields(user: User) -> dict[str, object]:
    return {field.attname: getattr(user, field.attname) for field in User._meta.concrete_fields}


def test_get_by_pk_loads_what_the_orm_loads_field_by_field() -> None:
    user = User.objects.create_user(
        email="pelna@example.org",
        password="x",
        first_name="Żaneta",
        last_name="Kowalska",
        is_expert=True,
        show_name_publicly=True,
        language="en",
        last_login=timezone.now() - dt.timedelta(days=3),
    )
    User.objects.create_user(email="inna@example.org", password="y")
    loaded = User.objects.get(pk=user.pk)
    orm = User.objects.filter(pk=user.pk).get()  # the queryset's own get(), compiled each time
    assert type(loaded) is User
    assert _fields(loaded) == _fields(orm)
    assert isinstance(loaded.last_login, dt.datetime) and timezone.is_aware(loaded.last_login)
    assert loaded.is_expert is True and loaded.is_official is False
    assert not loaded._state.adding and loaded._state.db == "default"
    assert model_to_dict(loaded) == model_to_dict(orm)
    assert loaded.check_password("x")


def test_a_missing_person_is_does_not_exist() -> None:
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=987_654)


def test_after_the_first_call_nothing_is_compiled_and_one_query_runs() -> None:
    user = User.objects.create_user(email="raz@example.org", password="x")
    User.objects.get(pk=user.pk)  # compiled here, once per process
    with (
        mock.patch.object(SQLCompiler, "as_sql", side_effect=AssertionError("compiled again")),
        CaptureQueriesContext(connection) as queries,
    ):
        assert User.objects.get(pk=str(user.pk)).email == "raz@example.org"
    assert len(queries.captured_queries) == 1


def test_other_lookups_and_the_migrations_historical_model_go_the_usual_way() -> None:
    user = User.objects.create_user(email="zwykle@example.org", password="x")
    User.objects.get(pk=user.pk)
    historical = MigrationLoader(connection).project_state().apps.get_model("teams", "User")
    with mock.patch.object(
        SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql
    ) as compiled:
        assert type(historical._default_manager.get(pk=user.pk)) is historical
        assert compiled.call_count == 1
        assert User.objects.get(email="zwykle@example.org") == user
        assert compiled.call_count == 2


def test_a_logged_in_page_knows_its_person(client) -> None:
    user = User.objects.create_user(email="strona@example.org", password="x", first_name="Ala")
    client.force_login(user)
    response = client.get("/")
    assert response.wsgi_request.user == user
    assert response.wsgi_request.user.first_name == "Ala"


def test_a_related_manager_still_filters_by_its_relation() -> None:
    """Django derives related managers from the default manager's class: ``user_set.get``
    of a group must not load any user by id."""
    group = Group.objects.create(name="Zespół")
    member, stranger = (
        User.objects.create_user(f"{name}@example.org", password="x" * 12)
        for name in ("w-grupie", "obcy")
    )
    member.groups.add(group)
    assert group.user_set.get(pk=member.pk) == member
    with pytest.raises(User.DoesNotExist):
        group.user_set.get(pk=stranger.pk)


def _with_roles(team: Team) -> tuple[User, list[int]]:
    """A person speaking for two verified organisations (added in the reverse of their names'
    order) and one pending, and moderating a team; and the two organisations' ids by name."""
    person = User.objects.create_user(email="role@example.org", password="x")
    named = []
    for name, status in (("Żeglarze", "approved"), ("Alfa", "approved"), ("Beta", "pending")):
        organisation = Organisation.objects.create(name=name, verified_at=timezone.now())
        Representation.objects.create(user=person, organisation=organisation, status=status)
        named.append(organisation.pk)
    Membership.objects.create(
        user=person, team=team, role=Membership.Role.MODERATOR, status=Membership.Status.APPROVED
    )
    return person, [named[1], named[0]]


def test_the_person_comes_with_their_roles_in_one_query(seeded: Meeting) -> None:
    """The roles a logged-in page or post asks next (teams.permissions.person_roles) come in
    the statement that loads the person: the same rows as alone, in the same order."""
    from teams.models import ROLES
    from teams.permissions import person_roles

    person, by_name = _with_roles(seeded.team)
    with CaptureQueriesContext(connection) as queries:
        loaded = User.objects.get(pk=person.pk)
        organisations, teams = person_roles(loaded)
    assert len(queries.captured_queries) == 1
    assert loaded.loaded_roles == ROLES.rows(person.pk)
    assert list(organisations) == by_name
    assert len(teams) == 1
    # Someone without roles: none, read with them all the same.
    alone = User.objects.create_user(email="bez-rol@example.org", password="x")
    with CaptureQueriesContext(connection) as queries:
        assert person_roles(User.objects.get(pk=alone.pk)) == ({}, frozenset())
    assert len(queries.captured_queries) == 1


def test_roles_read_with_a_person_are_never_kept_in_a_copy_or_a_pickle(seeded: Meeting) -> None:
    """A cached person (a pickle) or a copy has no roles of its own: they are read again, so
    a representation ended since is not still counted."""
    import copy
    import pickle

    from teams.permissions import person_roles

    person, by_name = _with_roles(seeded.team)
    loaded = User.objects.get(pk=person.pk)
    assert loaded.loaded_roles
    Representation.objects.filter(user=person, organisation_id=by_name[0]).delete()
    for kept in (pickle.loads(pickle.dumps(loaded)), copy.copy(loaded), copy.deepcopy(loaded)):  # noqa: S301
        assert kept.loaded_roles is None
        assert list(person_roles(kept)[0]) == by_name[1:]


def test_with_no_such_person_nothing_is_read_with_them() -> None:
    from core.compiled import CompiledQuery
    from teams.models import ROLES, ROLES_ORDER

    by_pk = CompiledQuery(lambda pk: User.objects.filter(pk=pk).order_by())
    assert by_pk.instance_and_rows(ROLES, 987_654, order=ROLES_ORDER) == (None, [])


def test_roles_are_read_again_after_refresh_from_db_or_when_asked_fresh(seeded: Meeting) -> None:
    """Roles read with the person are those of that moment: ``refresh_from_db`` forgets
    them, and a service that checks again what a page let through asks them fresh."""
    from teams.permissions import person_roles

    person, by_name = _with_roles(seeded.team)
    loaded = User.objects.get(pk=person.pk)
    Representation.objects.filter(user=person, organisation_id=by_name[0]).delete()
    assert list(person_roles(loaded)[0]) == by_name  # as read with the person
    assert list(person_roles(loaded, fresh=True)[0]) == by_name[1:]
    Membership.objects.filter(user=person).update(role=Membership.Role.MEMBER)
    loaded.refresh_from_db()
    assert loaded.loaded_roles is None
    assert person_roles(loaded) == ({by_name[1]: "Żeglarze"}, frozenset())
