"""The webhook sender: a background task of each app process that delivers order events.

Woken by the broker when events commit (and by a poll for retries falling due), it turns
new events into deliveries, claims due ones in the database and posts them, signed by the
Standard Webhooks library (`standardwebhooks`, the specification's reference
implementation: the signature receivers verify with the same library). A mutation never
waits on any of it: it only appends its event, as it always did.

Each request goes to the address the URL's host was just resolved to and checked
(`resolvers.webhooks.addresses`), with the host name kept for the Host header and TLS, so a
name re-pointed at a private address between the check and the connection gains nothing.
No redirect is followed, no proxy from the environment is used, the whole request has one
deadline, and at most `max_response_bytes` of the answer are read.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from standardwebhooks import Webhook

from doorstep import metrics
from doorstep.settings import WebhookSettings
from models import DeliveryStatus
from resolvers.webhooks.addresses import AddressRefused, Target, resolve
from resolvers.webhooks.delivery import Claimed, Outcome, claim, enqueue, next_due, record
from schema.webhooks.messages import event_message, message_id

log = logging.getLogger(__name__)

USER_AGENT = "doorstep-webhooks/1"


class WebhookSender:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], settings: WebhookSettings) -> None:
        self.sessionmaker = sessionmaker
        self.settings = settings
        # A lease outlives the request it covers, so only a dead worker's lease ever expires.
        self.lease = timedelta(seconds=2 * settings.timeout_seconds + 30)
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._client = httpx.AsyncClient(
            timeout=settings.timeout_seconds,
            follow_redirects=False,
            trust_env=False,
            # No connection kept for reuse: pooled by the address connected to, one opened for a
            # host's TLS name could otherwise carry another host's request on the same address.
            limits=httpx.Limits(max_connections=settings.concurrency, max_keepalive_connections=0),
        )

    def wake(self) -> None:
        """Look for work now: events were committed (the broker calls this)."""
        self._wake.set()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="doorstep-webhooks")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._client.aclose()

    async def _run(self) -> None:
        """Keeps up to `concurrency` requests in flight, claiming more as each one ends, so a
        slow receiver holds one slot, not the others' deliveries."""
        sending: set[asyncio.Task[None]] = set()
        try:
            while True:
                self._wake.clear()
                wait = self.settings.poll_seconds
                try:
                    await enqueue(self.sessionmaker)
                    free = self.settings.concurrency - len(sending)
                    claimed = await claim(self.sessionmaker, free, self.lease) if free > 0 else []
                    sending.update(asyncio.create_task(self._deliver(each)) for each in claimed)
                    if len(claimed) < free:
                        # Nothing else is due now: sleep until something is, or is woken.
                        due = await next_due(self.sessionmaker)
                        if due is not None:
                            wait = min(wait, max(0.0, (due - datetime.now(UTC)).total_seconds()))
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("Delivering webhooks failed; trying again in %.1f s", wait)
                # A request ending may make the next event of its order due, so it wakes us too.
                woken = asyncio.create_task(self._wake.wait())
                done, _ = await asyncio.wait(
                    {*sending, woken}, timeout=wait, return_when=asyncio.FIRST_COMPLETED
                )
                woken.cancel()
                sending.difference_update(done)
        finally:
            for task in sending:
                task.cancel()
            await asyncio.gather(*sending, return_exceptions=True)

    async def _deliver(self, claimed: Claimed) -> None:
        attempted_at = datetime.now(UTC)
        started = time.perf_counter()
        status_code: int | None = None
        error: str | None = None
        try:
            target = await resolve(claimed.url, allow_private=self.settings.allow_private)
            status_code = await self._post(target, claimed, attempted_at)
        except AddressRefused as refused:
            error = f"Refused: {refused}"
        except (TimeoutError, httpx.TimeoutException):
            error = f"No answer within {self.settings.timeout_seconds:g} s"
        except httpx.HTTPError as failure:
            error = f"{type(failure).__name__}: {failure}" if str(failure) else type(failure).__name__
        except Exception as failure:
            # Still an attempt, logged and retried like any other, rather than a lease left to expire.
            log.exception("Sending webhook delivery %s failed", claimed.delivery_id)
            error = f"Internal error: {type(failure).__name__}"
        outcome = Outcome(
            attempted_at=attempted_at,
            duration_ms=round((time.perf_counter() - started) * 1000),
            status_code=status_code,
            error=error,
        )
        try:
            recorded = await record(self.sessionmaker, self.settings, claimed, outcome)
        except Exception:
            # Its lease runs out and it is sent again: at least once, never lost.
            log.exception("Recording webhook delivery %s failed", claimed.delivery_id)
            return
        # The one place an attempt's outcome is known (`outcome`: sent or not, its status and
        # duration; `recorded`: retried, given up, endpoint paused).
        metrics.WEBHOOK_DELIVERIES.labels("delivered" if outcome.succeeded else "failed").inc()
        if recorded is not None and (recorded.status is DeliveryStatus.GIVEN_UP or recorded.paused_endpoint):
            metrics.WEBHOOK_FAILURES.inc()
        if recorded is not None and recorded.paused_endpoint:
            log.warning("Paused webhook endpoint %s after repeated failures", claimed.endpoint_id)

    async def _post(self, target: Target, claimed: Claimed, timestamp: datetime) -> int:
        body = event_message(claimed.event, claimed.order)
        msg_id = message_id(claimed.event)
        headers = {
            "Host": target.url.netloc.decode("ascii"),
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "webhook-id": msg_id,
            "webhook-timestamp": str(int(timestamp.timestamp())),
            "webhook-signature": Webhook(claimed.secret).sign(msg_id, timestamp, body),
        }
        pinned = target.url.copy_with(host=str(target.address))
        # Certificates are checked against the host name, not the address connected to.
        extensions = {"sni_hostname": target.url.host} if target.url.scheme == "https" else {}
        async with asyncio.timeout(self.settings.timeout_seconds):
            async with self._client.stream(
                "POST", pinned, content=body.encode(), headers=headers, extensions=extensions
            ) as response:
                read = 0
                async for chunk in response.aiter_raw():
                    read += len(chunk)
                    if read >= self.settings.max_response_bytes:
                        break
                return response.status_code
