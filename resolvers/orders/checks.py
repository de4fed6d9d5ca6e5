"""The limits of what orders and their meetings hold, and the input checks their steps share."""

from __future__ import annotations

import re

from resolvers.errors import Checks, ErrorCode

MAX_QUANTITY = 10_000
MAX_DAYS_AHEAD = 366
MAX_IDEMPOTENCY_KEY = 100
MAX_NOTE = 2000
MAX_REASON = 1000
MAX_NAME = 50
MAX_MINUTES = 20_000
MAX_ATTENDEES = 10_000
PHONE = re.compile(r"\+?[0-9][0-9 \-]{2,30}")


def check_phone(checks: Checks, field: str, value: str) -> None:
    checks.text(field, value, max_length=32)
    if value and value.strip() and len(value) <= 32 and not PHONE.fullmatch(value.strip()):
        checks.fail(field, ErrorCode.INVALID, f"`{field}` is not a phone number.")


def check_text(field: str, value: str, max_length: int, *, required: bool) -> None:
    """Refuse a step whose only input is one note or reason that is too long (or blank, when required)."""
    checks = Checks()
    checks.text(field, value, max_length=max_length, required=required)
    checks.done()
