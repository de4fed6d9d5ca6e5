"""Who sees which accounts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, false, select

from models import (
    User,
)
from resolvers.context import Viewer


def visible_users(viewer: Viewer) -> Select[Any]:
    """Administrators see every account; everyone else only their own; screens none."""
    stmt = select(User)
    if viewer.is_admin:
        return stmt
    if viewer.user_id is None:
        return stmt.where(false())
    return stmt.where(User.id == viewer.user_id)
