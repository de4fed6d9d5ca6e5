"""Webhooks in the API: endpoints, their delivery log, and the messages sent to them."""
