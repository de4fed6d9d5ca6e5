"""Tasks dispatched to volunteers (社区派单、党员接单).

`lifecycle` (the one table of moves, posting, taking, confirming), `events` (the history, its
live feeds), `live` (what the task broker carries), `queries` (loaders, filters, lists).
"""
