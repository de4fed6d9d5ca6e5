"""Errors a client caused and may read; anything else is masked as an internal fault."""


class ClientError(Exception):
    """A request the server refuses, with a message meant for the caller."""

    code = "BAD_REQUEST"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code:
            self.code = code
