"""Webhooks: providers' endpoints for the events of their orders, and their delivery from the outbox."""
