"""Screen tokens: the read-only credentials of wall screens and department consoles."""

from __future__ import annotations

from datetime import datetime
from operator import attrgetter
from typing import Any

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from resolvers import screens as resolvers
from resolvers.screens import ScreenTokenOrderField
from schema.accounts import User
from schema.catalog.types import Provider
from schema.common import Connection, OrderDirection, RowNode, decode_id, describe_enum, related_field
from schema.connections import FilterInput, SortInput, connection_field
from schema.inputs import fields_of
from schema.payloads import UserError, mutate
from schema.places import Station

describe_enum(
    ScreenTokenOrderField,
    "What screen tokens can be ordered by.",
    {"CREATED_AT": "When the token was issued."},
)

SCOPE_IDS = {"station_id": Station, "provider_id": Provider}


@strawberry.type(
    description="A read-only credential of one wall screen: it reads one station's board and live feed "
    "(or one provider's board and inbox) and the labels, nothing else; revocable. The token itself is "
    "shown only once, by `issueScreenToken`."
)
class ScreenToken(RowNode):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="What the screen is, to tell tokens apart (`大厅电视`).")
    created_at: datetime = strawberry.field(description="When the token was issued.")
    revoked_at: datetime | None = strawberry.field(
        description="When the token was revoked; null while it works."
    )
    station_id: strawberry.Private[int | None]
    provider_id: strawberry.Private[int | None]
    created_by_id: strawberry.Private[int]
    revoked_by_id: strawberry.Private[int | None]

    @classmethod
    def loader(cls, info: Info) -> DataLoader[int, Any]:
        return resolvers.screen_token_loader(info.context)

    station = related_field(
        Station, "station_id", description="The station whose board the screen shows.", optional=True
    )
    provider = related_field(
        Provider, "provider_id", description="The provider whose inbox the console shows.", optional=True
    )
    created_by = related_field(
        User,
        "created_by_id",
        description="Who issued the token (null unless it is you, for non-administrators).",
        optional=True,
    )
    revoked_by = related_field(User, "revoked_by_id", description="Who revoked the token.", optional=True)


@strawberry.type(description="A page of screen tokens.")
class ScreenTokenConnection(Connection[ScreenToken]):
    pass


@strawberry.input(description="How to order screen tokens.")
class ScreenTokenOrder(SortInput):
    field: ScreenTokenOrderField = strawberry.field(description="The field to order by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.DESC, description="The direction.")
    ordering = staticmethod(resolvers.screen_token_ordering)


@strawberry.input(description="Which screen tokens to list; all conditions must hold.")
class ScreenTokenFilter(FilterInput):
    station_id: relay.GlobalID | None = strawberry.field(default=None, description="Tokens of this station.")
    provider_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Tokens of this provider."
    )

    def to_filter(self) -> resolvers.ScreenTokenFilter:
        return fields_of(self, resolvers.ScreenTokenFilter, ids=SCOPE_IDS)


@strawberry.input(description="A new screen token, for one station's screen or one provider's console.")
class IssueScreenTokenInput:
    name: str = strawberry.field(description="What the screen is (at most 100 characters).")
    station_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description="The station whose board and feed the screen shows (station staff: their own).",
    )
    provider_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Instead, the provider whose board and inbox the console shows."
    )


@strawberry.type(description="The result of issuing a screen token.")
class IssueScreenTokenPayload:
    token: str | None = strawberry.field(
        description="The token, shown this once: open `/screen?station=<code>#token=<token>` on the screen, "
        "or send it as `Authorization: Bearer <token>`."
    )
    screen_token: ScreenToken | None = strawberry.field(description="The new token's record.")
    user_errors: list[UserError] = strawberry.field(description="Why no token was issued; empty on success.")


@strawberry.input(description="The screen token to revoke.")
class RevokeScreenTokenInput:
    screen_token_id: relay.GlobalID = strawberry.field(description="The token's ID.")


@strawberry.type(description="The result of revoking a screen token.")
class RevokeScreenTokenPayload:
    screen_token: ScreenToken | None = strawberry.field(description="The token, revoked.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing changed; empty on success.")


@strawberry.type
class ScreensQuery:
    screen_tokens = connection_field(
        ScreenTokenConnection,
        resolvers.list_screen_tokens,
        description="The screen tokens you may revoke (a station's staff those of their station, a provider's "
        "staff those of their provider, administrators all), newest first by default.",
        filter=ScreenTokenFilter,
        sort=ScreenTokenOrder,
    )


@strawberry.type
class ScreensMutation:
    @strawberry.mutation(
        description="Issue a read-only token for one station's screen (its staff or administrators) or one "
        "provider's console (its staff or administrators); the token is shown only in this answer."
    )
    async def issue_screen_token(self, info: Info, input: IssueScreenTokenInput) -> IssueScreenTokenPayload:
        return await mutate(
            IssueScreenTokenPayload,
            resolvers.issue_screen_token(
                info.context,
                input.name,
                decode_id(input.station_id, Station),
                decode_id(input.provider_id, Provider),
            ),
            input,
            token=attrgetter("token"),
            screen_token=lambda issued: ScreenToken.from_row(issued.screen),
        )

    @strawberry.mutation(
        description="Revoke a screen token: refused from its next request on, and a screen subscribed with it "
        "is disconnected (4403) at its next event."
    )
    async def revoke_screen_token(
        self, info: Info, input: RevokeScreenTokenInput
    ) -> RevokeScreenTokenPayload:
        return await mutate(
            RevokeScreenTokenPayload,
            resolvers.revoke_screen_token(info.context, decode_id(input.screen_token_id, ScreenToken)),
            input,
            screen_token=ScreenToken.from_row,
        )
