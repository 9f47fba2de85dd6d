"""Fixtures shared with the consultations tests: rounds built through the real services."""

from tests.consultations.conftest import (  # noqa: F401
    as_user,
    make_comment,
    make_round,
    member_org,
    open_round,
    other_rep,
)
