"""The field a step's confirmation page posts (core.confirm): tests that take a step add it."""

from core.confirm import CONFIRM_FIELD, CONFIRM_VALUE

CONFIRMED = {CONFIRM_FIELD: CONFIRM_VALUE}
