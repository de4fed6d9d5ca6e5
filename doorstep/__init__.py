"""The doorstep service: ASGI app, settings, database set-up and CLI."""
