"""GraphQL types and mutations of accounts: signing in and managing users."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay
from strawberry.types import Info

from models import Role
from resolvers import accounts as resolvers
from resolvers.accounts import UserOrderField
from schema.catalog import Provider, changes_of, user_errors
from schema.common import (
    Connection,
    OrderDirection,
    RowNode,
    UserError,
    attempt,
    decode_id,
    describe_enum,
    page_request,
)
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

UserOrderFieldEnum = describe_enum(
    UserOrderField,
    "What accounts can be ordered by.",
    {"USERNAME": "The sign-in name.", "CREATED_AT": "When the account was created."},
)


@strawberry.type(description="A staff account.")
class User(RowNode):
    id: relay.NodeID[int]
    username: str = strawberry.field(description="The sign-in name.")
    display_name: str = strawberry.field(description="The name shown to others.")
    role: RoleEnum = strawberry.field(description="What the account may do.")  # type: ignore[valid-type]
    is_active: bool = strawberry.field(description="Whether the account may sign in.")
    phone: str | None = strawberry.field(description="A contact phone number.")
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
class UserOrder:
    field: UserOrderFieldEnum = strawberry.field(description="The field to order by.")  # type: ignore[valid-type]
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description="The direction.")


@strawberry.input(description="Which accounts to list; all conditions must hold.")
class UserFilter:
    role: RoleEnum | None = strawberry.field(default=None, description="Accounts of this role.")  # type: ignore[valid-type]
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
        return resolvers.UserFilter(
            role=self.role,
            town_id=decode_id(self.town_id, Town),
            station_id=decode_id(self.station_id, Station),
            provider_id=decode_id(self.provider_id, Provider),
            is_active=self.is_active,
            search=self.search,
        )


@strawberry.type(description="A page of accounts.")
class UserConnection(Connection[User]):
    pass


@strawberry.type
class AccountsQuery:
    @strawberry.field(description="The signed-in account; null for anonymous callers.")
    async def viewer(self, info: Info) -> User | None:
        return await User.load(info, info.context.viewer.user_id)

    @strawberry.field(description="The staff accounts, by username by default (administrators only).")
    async def users(
        self,
        info: Info,
        filter: UserFilter | None = None,
        order_by: UserOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> UserConnection:
        f = filter.to_filter() if filter else resolvers.UserFilter()
        ordering = (
            resolvers.user_ordering(order_by.field, order_by.direction is OrderDirection.DESC)
            if order_by
            else resolvers.user_ordering()
        )
        page = await resolvers.list_users(
            info.context, f, ordering, page_request(info, first, after, last, before)
        )
        return UserConnection.from_page(page, User.from_row)


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

    @strawberry.mutation(
        description="Change an account's display name, phone or active flag (administrators only)."
    )
    async def update_user(self, info: Info, input: UpdateUserInput) -> UpdateUserPayload:
        changes = changes_of(input, skip=("user_id",))
        user, errors = await attempt(
            resolvers.update_user(info.context, decode_id(input.user_id, User), changes)
        )
        return UpdateUserPayload(user=User.from_row(user) if user else None, user_errors=user_errors(errors))
