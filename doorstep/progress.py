"""Progress of long CLI work: a bar in a terminal, a line every few seconds anywhere else.

`tqdm` draws the bar: small, with no dependencies, and it measures the rate and the
time left for us. It redraws one line with carriage returns, which a log file or CI
output would keep as one endless line, so where stderr is not a terminal the same
steps are logged as plain lines instead, at most one per `LINE_SECONDS`, and the last.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import IO

from tqdm import tqdm

LINE_SECONDS = 5.0

log = logging.getLogger("doorstep.progress")


class Progress:
    """Counts `total` steps of `what`; `advance(step)` after each, `close()` at the end."""

    def __init__(
        self, what: str, total: int, stream: IO[str] | None = None, *, bar: bool | None = None
    ) -> None:
        stream = stream or sys.stderr
        self.what = what
        self.total = total
        self.done = 0
        self.started = self.last_line = time.monotonic()
        self.bar = (
            tqdm(total=total, desc=what, unit="step", file=stream)
            if (stream.isatty() if bar is None else bar)
            else None
        )

    def advance(self, step: str) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.set_postfix_str(step, refresh=False)
            self.bar.update()
            return
        now = time.monotonic()
        if now - self.last_line >= LINE_SECONDS or self.done == self.total:
            self.last_line = now
            log.info(
                "%s: %d/%d steps (%s), %.0f s", self.what, self.done, self.total, step, now - self.started
            )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
