"""What a wall screen's read-only token may read, and who issues and sees screen tokens."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, false, select

from models import (
    Role,
    ScreenToken,
)
from resolvers.context import Viewer
from resolvers.errors import ClientError

# What a wall screen's token may read, by entry point (a root field in snake_case; "export" for the
# file exports): its own board, its own feed and the labels it shows them with. Nothing else, and
# nothing it could change; inside them, the rules below show it its station's (or provider's) rows,
# never a resident's name or phone (`may_see_resident`).
SCREEN_READS = {
    "station": frozenset({"station_board", "station_feed", "labels"}),
    "provider": frozenset({"provider_board", "provider_inbox", "labels"}),
}


# Named by any operation, and telling nothing: the type of the root.
HARMLESS_ENTRY_POINTS = frozenset({"__typename"})


def screen_may_read(viewer: Viewer, entry_points: Iterable[str]) -> None:
    """Refuses a screen's request for anything but its board, its feed and labels (FORBIDDEN)."""
    if not viewer.is_screen:
        return
    allowed = SCREEN_READS["station" if viewer.station_id is not None else "provider"]
    refused = sorted(set(entry_points) - allowed - HARMLESS_ENTRY_POINTS)
    if refused:
        raise ClientError(
            f"A screen token reads its board, its live feed and labels only, not {', '.join(refused)}.",
            code="FORBIDDEN",
        )


def may_issue_screen_token(viewer: Viewer, station_id: int | None, provider_id: int | None) -> bool:
    """A station's screen tokens are issued (and revoked) by its staff and administrators; a provider's
    console tokens by its staff and administrators."""
    if viewer.is_admin:
        return True
    if station_id is not None:
        return viewer.role is Role.STATION_STAFF and viewer.station_id == station_id
    return (
        provider_id is not None and viewer.role is Role.PROVIDER_STAFF and viewer.provider_id == provider_id
    )


def visible_screen_tokens(viewer: Viewer) -> Select[Any]:
    """The screen tokens a viewer sees (never the token, only its hash is kept): those it may revoke."""
    stmt = select(ScreenToken)
    if viewer.is_admin:
        return stmt
    if viewer.role is Role.STATION_STAFF:
        return stmt.where(ScreenToken.station_id == viewer.station_id)
    if viewer.role is Role.PROVIDER_STAFF:
        return stmt.where(ScreenToken.provider_id == viewer.provider_id)
    return stmt.where(false())
