"""The GraphQL layer of the time bank (时间银行): `types` (with their filters and orders),
`mutations`, `queries`."""
