"""GraphQL types and mutations of accounts: signing in and managing users."""

from __future__ import annotations

from datetime import datetime
from operator import attrgetter
from typing import Any

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from models import Role
from resolvers import accounts as resolvers
from resolvers.accounts import UserOrderField
from schema.catalog.types import Provider
from schema.common import Connection, OrderDirection, RowNode, decode_id, describe_enum, related_field
from schema.connections import FilterInput, SortInput, connection_field
from schema.inputs import changes_of, fields_of
from schema.payloads import UserError, mutate
from schema.places import Station, Town

describe_enum(
    Role,
    "What an account may do, and over which scope.",
    {
        "ADMIN": "District administrator: everything.",
        "TOWN_STAFF": "Town staff: oversee the stations of one town.",
        "STATION_STAFF": "Station staff: post demands and order for one station.",
        "PROVIDER_STAFF": "Provider staff: publish and deliver for one department or partner unit.",
        "VOLUNTEER": "A resident volunteer registered at one station: takes tasks, earns time-bank points.",
    },
)

describe_enum(
    UserOrderField,
    "What accounts can be ordered by.",
    {"USERNAME": "The sign-in name.", "CREATED_AT": "When the account was created."},
)


# The scope of an account: the IDs its inputs and filters name it by.
SCOPE_IDS = {"town_id": Town, "station_id": Station, "provider_id": Provider}


@strawberry.type(description="A staff account.")
class User(RowNode):
    id: relay.NodeID[int]
    username: str = strawberry.field(description="The sign-in name.")
    display_name: str = strawberry.field(description="The name shown to others.")
    role: Role = strawberry.field(description="What the account may do.")
    is_active: bool = strawberry.field(description="Whether the account may sign in.")
    phone: str | None = strawberry.field(description="A contact phone number.")
    town_id: strawberry.Private[int | None]
    station_id: strawberry.Private[int | None]
    provider_id: strawberry.Private[int | None]

    @classmethod
    def loader(cls, info: Info) -> DataLoader[int, Any]:
        return resolvers.user_loader(info.context)

    town = related_field(
        Town, "town_id", description="The town a TOWN_STAFF account oversees.", optional=True
    )
    station = related_field(
        Station, "station_id", description="The station a STATION_STAFF account works for.", optional=True
    )
    provider = related_field(
        Provider, "provider_id", description="The provider a PROVIDER_STAFF account works for.", optional=True
    )


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
    role: Role = strawberry.field(description="What the account may do.")
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


@strawberry.input(description="Changes to an account: only the fields given change.")
class UpdateUserInput:
    user_id: relay.GlobalID = strawberry.field(description="The account to change.")
    display_name: str | None = strawberry.field(
        default=strawberry.UNSET, description="The name shown to others. Left out, it keeps its value."
    )
    phone: str | None = strawberry.field(
        default=strawberry.UNSET, description="A contact phone number; null removes it. Left out, it stays."
    )
    is_active: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Whether the account may sign in; false refuses its tokens from the next request on. "
        "Left out, it stays.",
    )


@strawberry.type(description="The result of changing an account.")
class UpdateUserPayload:
    user: User | None = strawberry.field(description="The account as changed.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing changed; empty on success.")


@strawberry.input(description="How to order accounts.")
class UserOrder(SortInput):
    field: UserOrderField = strawberry.field(description="The field to order by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description="The direction.")
    ordering = staticmethod(resolvers.user_ordering)


@strawberry.input(description="Which accounts to list; all conditions must hold.")
class UserFilter(FilterInput):
    role: Role | None = strawberry.field(default=None, description="Accounts of this role.")
    town_id: relay.GlobalID | None = strawberry.field(default=None, description="Accounts of this town.")
    station_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Accounts of this station."
    )
    provider_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Accounts of this provider."
    )
    is_active: bool | None = strawberry.field(default=None, description="Active (or deactivated) accounts.")
    search: str | None = strawberry.field(
        default=None, description="Words the username or display name contains, all of them."
    )

    def to_filter(self) -> resolvers.UserFilter:
        return fields_of(self, resolvers.UserFilter, ids=SCOPE_IDS)


@strawberry.type(description="A page of accounts.")
class UserConnection(Connection[User]):
    pass


@strawberry.type
class AccountsQuery:
    @strawberry.field(description="The signed-in account; null for anonymous callers.")
    async def viewer(self, info: Info) -> User | None:
        return await User.load(info, info.context.viewer.user_id)

    users = connection_field(
        UserConnection,
        resolvers.list_users,
        description="The staff accounts, by username by default (administrators only).",
        filter=UserFilter,
        sort=UserOrder,
    )


@strawberry.type
class AccountsMutation:
    @strawberry.mutation(description="Sign in with a username and password and get an access token.")
    async def login(self, info: Info, input: LoginInput) -> LoginPayload:
        return await mutate(
            LoginPayload,
            resolvers.login(info.context, input.username, input.password),
            input,
            token=attrgetter("token"),
            expires_at=attrgetter("expires_at"),
            user=lambda signed_in: User.from_row(signed_in.user),
        )

    @strawberry.mutation(description="Create a staff account (administrators only).")
    async def create_user(self, info: Info, input: CreateUserInput) -> CreateUserPayload:
        account = fields_of(input, resolvers.NewAccount, ids=SCOPE_IDS)
        return await mutate(
            CreateUserPayload, resolvers.create_account(info.context, account), input, user=User.from_row
        )

    @strawberry.mutation(
        description="Change an account's display name, phone or active flag (administrators only)."
    )
    async def update_user(self, info: Info, input: UpdateUserInput) -> UpdateUserPayload:
        changes = changes_of(input, skip=("user_id",))
        return await mutate(
            UpdateUserPayload,
            resolvers.update_user(info.context, decode_id(input.user_id, User), changes),
            input,
            user=User.from_row,
        )
