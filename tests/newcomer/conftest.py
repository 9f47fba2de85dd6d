"""Fixtures shared with the consultations tests: rounds built through the real services."""

from tests.consultations.conftest import (  # noqa: F401
    make_comment,
    make_round,
    member_org,
    open_round,
)
