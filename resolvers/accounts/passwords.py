"""Passwords: argon2 hashes, verified in a few threads off the event loop."""

from __future__ import annotations

import asyncio
from weakref import WeakKeyDictionary

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# Password hashes running at once, each in a thread (see verify_password).
HASHING_THREADS = 2


_slots: WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = WeakKeyDictionary()


MAX_PASSWORD_LENGTH = 200


MIN_PASSWORD_LENGTH = 8


hasher = PasswordHasher()


# Verifying against a real hash when the user does not exist keeps the answer's
# timing from telling which usernames exist.
ABSENT_USER_HASH = hasher.hash("doorstep: no such user")


def hash_password(password: str) -> str:
    return hasher.hash(password)


def _hashing_slots() -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    if loop not in _slots:
        _slots[loop] = asyncio.Semaphore(HASHING_THREADS)
    return _slots[loop]


async def verify_password(password_hash: str, password: str) -> bool:
    """Argon2 verification (about 0.1 to 0.25 s of CPU) in a thread, at most HASHING_THREADS at once.

    On the event loop, every sign-in would stall all other requests of the process for
    that long; the bound keeps a burst of sign-ins from taking every core as well.
    argon2-cffi releases the GIL while it hashes, so the loop runs on meanwhile.
    """

    def verify() -> bool:
        try:
            return hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    async with _hashing_slots():
        return await asyncio.to_thread(verify)


async def hash_password_off_loop(password: str) -> str:
    async with _hashing_slots():
        return await asyncio.to_thread(hash_password, password)
