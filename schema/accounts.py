"""GraphQL types and mutations of accounts: signing in and managing users."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay
from strawberry.types import Info

from models import Role
from resolvers import accounts as resolvers
from schema.catalog import Provider
from schema.common import RowNode, UserError, attempt, decode_id, describe_enum
from schema.places import Station, Town

RoleEnum = describe_enum(
    Role,
    "What an account may do, and over which scope.",
    {
        "ADMIN": "District administrator: everything.",
        "TOWN_STAFF": "Town staff: oversee the stations of one town.",
        "STATION_STAFF": "Station staff: post demands and order for one station.",
        "PROVIDER_STAFF": "Provider staff: publish and deliver for one department or partner unit.",
    },
)


@strawberry.type(description="A staff account.")
class User(RowNode):
    id: relay.NodeID[int]
    username: str = strawberry.field(description="The sign-in name.")
    display_name: str = strawberry.field(description="The name shown to others.")
    role: RoleEnum = strawberry.field(description="What the account may do.")  # type: ignore[valid-type]
    is_active: bool = strawberry.field(description="Whether the account may sign in.")
    town_id: strawberry.Private[int | None]
    station_id: strawberry.Private[int | None]
    provider_id: strawberry.Private[int | None]

    @classmethod
    def loader(cls, info: Info):
        return resolvers.user_loader(info.context)

    @strawberry.field(description="The town a TOWN_STAFF account oversees.")
    async def town(self, info: Info) -> Town | None:
        return await Town.load(info, self.town_id)

    @strawberry.field(description="The station a STATION_STAFF account works for.")
    async def station(self, info: Info) -> Station | None:
        return await Station.load(info, self.station_id)

    @strawberry.field(description="The provider a PROVIDER_STAFF account works for.")
    async def provider(self, info: Info) -> Provider | None:
        return await Provider.load(info, self.provider_id)


@strawberry.input(description="Credentials to sign in with.")
class LoginInput:
    username: str = strawberry.field(description="The sign-in name.")
    password: str = strawberry.field(description="The password.")


@strawberry.type(description="The result of signing in.")
class LoginPayload:
    token: str | None = strawberry.field(
        description="The access token: send it as `Authorization: Bearer <token>`."
    )
    expires_at: datetime | None = strawberry.field(description="When the token stops working.")
    user: User | None = strawberry.field(description="The signed-in account.")
    user_errors: list[UserError] = strawberry.field(description="Why signing in failed; empty on success.")


@strawberry.input(description="A new staff account.")
class CreateUserInput:
    username: str = strawberry.field(description="The sign-in name, unique.")
    password: str = strawberry.field(description="At least 8 characters.")
    display_name: str = strawberry.field(description="The name shown to others.")
    role: RoleEnum = strawberry.field(description="What the account may do.")  # type: ignore[valid-type]
    phone: str | None = strawberry.field(default=None, description="A contact phone number.")
    town_id: relay.GlobalID | None = strawberry.field(default=None, description="The town, for TOWN_STAFF.")
    station_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The station, for STATION_STAFF."
    )
    provider_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The provider, for PROVIDER_STAFF."
    )


@strawberry.type(description="The result of creating an account.")
class CreateUserPayload:
    user: User | None = strawberry.field(description="The new account.")
    user_errors: list[UserError] = strawberry.field(
        description="Why the account was not created; empty on success."
    )


@strawberry.type
class AccountsQuery:
    @strawberry.field(description="The signed-in account; null for anonymous callers.")
    async def viewer(self, info: Info) -> User | None:
        return await User.load(info, info.context.viewer.user_id)


@strawberry.type
class AccountsMutation:
    @strawberry.mutation(description="Sign in with a username and password and get an access token.")
    async def login(self, info: Info, input: LoginInput) -> LoginPayload:
        result, errors = await attempt(resolvers.login(info.context, input.username, input.password))
        if result is None:
            return LoginPayload(
                token=None, expires_at=None, user=None, user_errors=[UserError.from_error(e) for e in errors]
            )
        user, token, expires_at = result
        return LoginPayload(token=token, expires_at=expires_at, user=User.from_row(user), user_errors=[])

    @strawberry.mutation(description="Create a staff account (administrators only).")
    async def create_user(self, info: Info, input: CreateUserInput) -> CreateUserPayload:
        user, errors = await attempt(
            resolvers.create_account(
                info.context,
                username=input.username,
                password=input.password,
                display_name=input.display_name,
                role=input.role,
                phone=input.phone,
                town_id=decode_id(input.town_id, Town),
                station_id=decode_id(input.station_id, Station),
                provider_id=decode_id(input.provider_id, Provider),
            )
        )
        return CreateUserPayload(
            user=User.from_row(user) if user else None, user_errors=[UserError.from_error(e) for e in errors]
        )
