"""`doorstep bench`: doorstep's five hottest reads against a raw-SQL floor, on one database.

- `reads`: the five reads, as GraphQL documents with their variables.
- `floor`: the floor app, each read as hand-written SQL over asyncpg, answered with orjson.
- `servers`: starting and stopping both servers, and their CPU time.
- `client`: the keep-alive load generator and what it measures (`Sample`).
- `runner`: checking the answers are equal, the interleaved rounds, the table.
"""
