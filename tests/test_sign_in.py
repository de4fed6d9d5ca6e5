"""Signing in resists guessing without letting anyone lock anyone out, and keeps the server responsive.

Addresses are sent as X-Forwarded-For: the test client stands for a trusted proxy (conftest).
"""

from __future__ import annotations

import asyncio
import re

from tests.conftest import LOGIN
from tests.helpers import scalar

STRANGER = "203.0.113.7"
REAL_USER = "198.51.100.20"


async def sign_in(api, username: str, password: str, address: str) -> dict:
    body = await api.post(
        LOGIN, {"input": {"username": username, "password": password}}, headers={"X-Forwarded-For": address}
    )
    return body["data"]["login"]


def answers(attempts: list[dict]) -> list[tuple[str, str]]:
    """Each refusal's code and message, the seconds to wait left out."""
    return [
        (a["userErrors"][0]["code"], re.sub(r"\d+ s\b", "N s", a["userErrors"][0]["message"]))
        for a in attempts
    ]


async def test_a_strangers_wrong_guesses_slow_the_stranger_and_never_lock_out_the_real_user(fresh_api):
    guesses = [await sign_in(fresh_api, "admin", f"guess-{n}", STRANGER) for n in range(10)]
    wrong = ("INVALID_CREDENTIALS", "Wrong username or password.")
    waiting = ("TOO_MANY_ATTEMPTS", "Too many failed sign-ins; try again in N s.")
    # Five free guesses, then the stranger waits, even with the right password.
    assert answers(guesses) == [wrong] * 5 + [waiting] * 5
    assert guesses[5]["userErrors"][0]["message"] == "Too many failed sign-ins; try again in 30 s."
    refused = await sign_in(fresh_api, "admin", "doorstep-admin", STRANGER)
    assert refused["token"] is None and answers([refused]) == [waiting]

    # The administrator, from their own address, is not locked out.
    assert (await sign_in(fresh_api, "admin", "doorstep-admin", REAL_USER))["token"]

    # Test set-up: the wait runs out. The next wrong guess waits twice as long.
    async with fresh_api.engine.begin() as connection:
        await connection.exec_driver_sql("UPDATE login_throttles SET blocked_until = now()")
    assert answers([await sign_in(fresh_api, "admin", "guess-10", STRANGER)]) == [wrong]
    again = await sign_in(fresh_api, "admin", "guess-11", STRANGER)
    assert again["userErrors"][0]["message"] == "Too many failed sign-ins; try again in 60 s."


async def test_an_unknown_username_is_answered_exactly_like_a_real_one(fresh_api):
    real = [await sign_in(fresh_api, "station", f"guess-{n}", STRANGER) for n in range(7)]
    unknown = [await sign_in(fresh_api, "no.such.user", f"guess-{n}", STRANGER) for n in range(7)]
    assert answers(real) == answers(unknown)
    assert answers(real)[-1][0] == "TOO_MANY_ATTEMPTS"


async def test_a_right_password_clears_the_failures_of_its_address(fresh_api):
    for n in range(4):
        await sign_in(fresh_api, "station", f"typo-{n}", REAL_USER)
    assert (await sign_in(fresh_api, "station", "doorstep-station", REAL_USER))["token"]
    assert await scalar(fresh_api, "SELECT count(*) FROM login_throttles") == 0
    # Four more typos are free again.
    typos = [await sign_in(fresh_api, "station", f"typo-{n}", REAL_USER) for n in range(4)]
    assert {a["userErrors"][0]["code"] for a in typos} == {"INVALID_CREDENTIALS"}


SIGN_INS = 16


async def test_an_ordinary_query_is_answered_while_many_sign_ins_hash_their_passwords(fresh_api):
    # Password hashing on the event loop stalled every other request for as long as the
    # sign-ins queued before it took to hash.
    signed_in: list[int] = []
    first_done = asyncio.Event()

    async def one_sign_in(n: int) -> None:
        await sign_in(fresh_api, f"someone.{n}", "a wrong password", f"192.0.2.{n}")
        signed_in.append(n)
        first_done.set()

    sign_ins = [asyncio.create_task(one_sign_in(n)) for n in range(SIGN_INS)]
    await first_done.wait()  # the others are hashing or queued to
    before = len(signed_in)
    towns = await fresh_api.data("{ towns(first: 3) { nodes { name } } }")
    during = len(signed_in) - before
    await asyncio.gather(*sign_ins)
    assert len(towns["towns"]["nodes"]) == 3
    assert before < SIGN_INS - 4, "the sign-ins had not queued up"
    # Two hashes run at a time, in threads: the query does not wait for the queue.
    assert during <= 2, f"{during} sign-ins finished while one ordinary query waited"
