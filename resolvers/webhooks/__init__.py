"""Webhooks: providers' endpoints for the events of their orders, delivered from the outbox.

- `endpoints`: registering (the secret, shown once), pausing, resuming and deleting endpoints.
- `queries`: the endpoints a viewer manages and each one's delivery log.
- `addresses`: which URLs may be called: http(s), hosts resolving to public addresses only.
- `delivery`: the queue: events owed to endpoints, claimed by one worker at a time, in order
  per order, and each attempt's outcome (retry with backoff, give up, pause the endpoint).

Sending (HTTP, signing, the background task) is `doorstep.webhooks`.
"""
