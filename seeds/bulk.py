"""Bulk loading for the demo: binary COPY through the connection's asyncpg driver, and the sequences after it.

A year of orders is hundreds of thousands of rows; `INSERT … VALUES` through SQLAlchemy
costs seconds per hundred thousand, COPY (asyncpg's `copy_records_to_table`) a fraction.
The rows carry their ids, so the seed knows them without reading them back; the id
sequences are moved past them afterwards, so the next live insert continues above.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import Table, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection


async def copy_rows(
    connection: AsyncConnection, table: Table, columns: Sequence[str], records: Iterable[tuple[Any, ...]]
) -> None:
    """COPY `records` (tuples in the order of `columns`) into `table`, in the connection's transaction."""
    # SQLAlchemy opens the driver's transaction at the first statement it runs: run one,
    # so the COPY belongs to the caller's transaction and rolls back with it.
    await connection.execute(text("SELECT 1"))
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    assert driver is not None and driver.is_in_transaction()
    await driver.copy_records_to_table(table.name, records=records, columns=list(columns))


async def next_id(connection: AsyncConnection, table: Table) -> int:
    """The first id above every row of `table`."""
    return int(await connection.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0) + 1


async def move_sequence_past_rows(connection: AsyncConnection, table: Table) -> None:
    """Set the id sequence of `table` to its largest id, so the next insert takes the one after."""
    await connection.execute(
        text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"(SELECT coalesce(max(id), 1) FROM {table.name}), "
            f"(SELECT count(*) > 0 FROM {table.name}))"
        )
    )


@asynccontextmanager
async def loading_in_bulk(connection: AsyncConnection, tables: Sequence[Table]) -> AsyncIterator[None]:
    """Load `tables` without per-row foreign-key checks and index updates, then build and check at once.

    PostgreSQL's documented way to populate a database ("Populating a Database": remove
    indexes and foreign key constraints). A foreign key checks each COPied row with a
    query of its own (a quarter of a million for a district's events: seconds), and each
    of the twenty indexes of `orders` takes every row one by one; re-adding a constraint
    validates all rows in one join, and building an index sorts them once. The indexes
    that back constraints (primary keys, unique constraints) and the partial ones stay. Everything is dropped
    and re-created with its own name and definition in the caller's transaction: if the
    load fails, the rollback restores them, and a row that breaks a key or a unique index
    fails the re-creation.

    The tables' own triggers are disabled while they load: the seed writes what they
    would (an event's commit position, seeds.records), and a deferred trigger queued for
    each COPied row would both run a quarter of a million updates at commit and forbid
    building the indexes ("pending trigger events").
    """
    names = [table.name for table in tables]
    foreign_keys = (
        await connection.execute(
            text(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE contype = 'f' AND conrelid::regclass::text = ANY(:tables) ORDER BY conrelid, conname"
            ),
            {"tables": names},
        )
    ).all()
    indexes = (
        await connection.execute(
            text(
                "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index"
                " WHERE indrelid::regclass::text = ANY(:tables)"
                " AND NOT EXISTS (SELECT FROM pg_constraint WHERE conindid = indexrelid)"
                # Partial indexes stay: they hold only the few open orders, and their
                # predicate would come back re-parsed, equal but no longer the same text.
                " AND indpred IS NULL"
                " ORDER BY indexrelid"
            ),
            {"tables": names},
        )
    ).all()
    triggered = (
        await connection.scalars(
            text(
                "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger"
                " WHERE NOT tgisinternal AND tgrelid::regclass::text = ANY(:tables) ORDER BY 1"
            ),
            {"tables": names},
        )
    ).all()
    for table in triggered:
        await connection.execute(text(f'ALTER TABLE "{table}" DISABLE TRIGGER USER'))
    for table, name, _ in foreign_keys:
        await connection.execute(text(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"'))
    for index, _ in indexes:
        await connection.execute(text(f"DROP INDEX {index}"))
    yield
    for _, definition in indexes:
        await connection.execute(text(definition))
    for table, name, definition in foreign_keys:
        await connection.execute(text(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}'))
    for table in triggered:
        await connection.execute(text(f'ALTER TABLE "{table}" ENABLE TRIGGER USER'))
