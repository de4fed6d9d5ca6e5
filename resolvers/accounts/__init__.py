"""Accounts: passwords, access tokens, who a request comes from, and user management.

One submodule per job: `passwords` (argon2 hashing off the event loop), `tokens` (access
tokens and the viewer they name), `sign_in` (signing in, slowed after failures) and
`management` (creating, listing and changing accounts). Callers import from `resolvers.accounts`.
"""

from __future__ import annotations

from resolvers.accounts.management import (
    NewAccount,
    UserFilter,
    UserOrderField,
    check_scope,
    create_account,
    create_user,
    list_users,
    refuse_deactivating_holder,
    update_user,
    user_loader,
    user_ordering,
    users_query,
)
from resolvers.accounts.passwords import (
    HASHING_THREADS,
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    hash_password,
    hash_password_off_loop,
    hasher,
    verify_password,
)
from resolvers.accounts.sign_in import (
    FIRST_DELAY,
    FORGET_FAILURES_AFTER,
    FREE_ATTEMPTS,
    MAX_DELAY,
    SignedIn,
    login,
)
from resolvers.accounts.tokens import (
    TOKEN_ALGORITHM,
    TOKEN_ISSUER,
    bearer_token,
    current_viewer,
    current_viewers,
    issue_token,
    token_claims,
    token_expiry,
    user_id_from_token,
    viewer_from_token,
    viewer_of,
)

__all__ = [
    "FIRST_DELAY",
    "FORGET_FAILURES_AFTER",
    "FREE_ATTEMPTS",
    "HASHING_THREADS",
    "MAX_DELAY",
    "MAX_PASSWORD_LENGTH",
    "MIN_PASSWORD_LENGTH",
    "NewAccount",
    "SignedIn",
    "TOKEN_ALGORITHM",
    "TOKEN_ISSUER",
    "UserFilter",
    "UserOrderField",
    "bearer_token",
    "check_scope",
    "create_account",
    "create_user",
    "current_viewer",
    "current_viewers",
    "hash_password",
    "hash_password_off_loop",
    "hasher",
    "issue_token",
    "list_users",
    "login",
    "refuse_deactivating_holder",
    "token_claims",
    "token_expiry",
    "update_user",
    "user_id_from_token",
    "user_loader",
    "user_ordering",
    "users_query",
    "verify_password",
    "viewer_from_token",
    "viewer_of",
]
