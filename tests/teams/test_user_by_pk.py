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

from teams.models import User

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
