"""The time bank (时间银行): points for confirmed volunteer work, kept in a double-entry ledger.

`rules` (the published earning rule), `ledger` (accounts, entries, balances), `rewards` (the
reward catalog), `redemption` (exchanging points, idempotent and never overspending), `queries`.
"""
