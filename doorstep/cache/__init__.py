"""The response cache: shareable responses kept per process, dropped the moment what they read changes.

- `store`: the entries, bounded in bytes, indexed by the tables they read.
- `tables`: which tables a request's statements read and wrote.
- `listener`: the LISTEN connection that hears committed changes of tables from PostgreSQL.
- `persisted`: reading a request's operation, and Apollo's automatic persisted queries.
- `responder`: GraphQL over HTTP with the cache in front, ETags and Cache-Control.
"""
