"""Query logic and data loaders: plain async functions over a request context."""
