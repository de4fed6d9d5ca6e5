"""Exports for the departments' spreadsheets: the statistics figures and the order ledger, as CSV
or XLSX, with the same scoping as the API (resolvers.access).

A table is a header and rows that come as the database sends them: the ledger streams its
orders from a server-side cursor. CSV goes out as it is written (UTF-8 with a byte-order mark,
so spreadsheet programs read Chinese right); XLSX is written by xlsxwriter in constant-memory
mode to a temporary file (a ZIP archive can only be sent once complete).
Work is bounded: the statistics' own limits, and at most `MAX_LEDGER_ROWS` orders.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import xlsxwriter
from sqlalchemy import and_, case, func, select

from models import District, Order, Project, Provider, Service, Station, Town
from models.catalog import Category
from resolvers.access import visible_orders
from resolvers.context import Context
from resolvers.errors import ClientError, NotAuthenticated
from resolvers.loading import among
from resolvers.orders.deadlines import DELIVERY, LOCAL_TIME, RESPONSE, local_midnight
from resolvers.statistics.figures import DemandFigures, Figures, HearingFigures, OrderFigures
from resolvers.statistics.report import StatisticsFilter, compute_statistics
from resolvers.statistics.sources import StatisticsDimension, StatisticsPeriod

MAX_LEDGER_ROWS = 100_000
CSV_CHUNK_ROWS = 500
Row = list[Any]


@dataclass
class Table:
    name: str
    header: list[str]
    rows: AsyncIterator[Row]


def _date(params: Mapping[str, str], name: str) -> date | None:
    raw = params.get(name)
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ClientError(f"`{name}` must be a date like 2026-03-01, not {raw!r}.", code="INVALID") from None


def _choices(params: Mapping[str, str], name: str, enum: Any) -> list[Any]:
    raw = params.get(name, "")
    chosen = []
    for part in filter(None, (piece.strip() for piece in raw.split(","))):
        try:
            chosen.append(enum[part.upper()])
        except KeyError:
            names = ", ".join(member.name for member in enum)
            raise ClientError(f"`{name}` takes {names}; not {part!r}.", code="INVALID") from None
    return chosen


def statistics_request(
    params: Mapping[str, str],
) -> tuple[StatisticsFilter, list[StatisticsDimension], StatisticsPeriod | None]:
    """The filter, grouping and period of `?from=…&to=…&groupBy=town,provider&period=month`."""
    unknown = set(params) - {"from", "to", "groupBy", "period"}
    if unknown:
        raise ClientError(f"Unknown parameters: {', '.join(sorted(unknown))}.", code="INVALID")
    periods = _choices(params, "period", StatisticsPeriod)
    if len(periods) > 1:
        raise ClientError("Give one `period`.", code="INVALID")
    filter = StatisticsFilter(start=_date(params, "from"), end=_date(params, "to"))
    return filter, _choices(params, "groupBy", StatisticsDimension), periods[0] if periods else None


NAMED: dict[StatisticsDimension, Any] = {
    StatisticsDimension.DISTRICT: District,
    StatisticsDimension.TOWN: Town,
    StatisticsDimension.STATION: Station,
    StatisticsDimension.PROVIDER: Provider,
    StatisticsDimension.CATEGORY: Category,
    StatisticsDimension.MAJOR_CATEGORY: Category,
}
ORDER_COLUMNS = [
    "placed", "accepted", "declined", "cancelled", "delivered", "completed", "evaluated",
    "median_hours_to_accept", "p90_hours_to_accept", "median_hours_to_deliver", "p90_hours_to_deliver",
    "response_on_time_rate", "delivery_on_time_rate", "decline_rate", "mean_rating", "mean_satisfaction",
]  # fmt: skip
DEMAND_COLUMNS = ["posted", "matched", "resolved", "resolution_rate"]
HEARING_COLUMNS = ["held", "approved", "rejected"]
SOURCE_COLUMNS: dict[str, tuple[type[Figures], list[str]]] = {
    "orders": (OrderFigures, ORDER_COLUMNS),
    "demands": (DemandFigures, DEMAND_COLUMNS),
    "hearings": (HearingFigures, HEARING_COLUMNS),
}


async def _names(ctx: Context, dimension: StatisticsDimension, ids: set[Any]) -> dict[int, str]:
    model = NAMED[dimension]
    async with ctx.db.session() as session:
        rows = await session.execute(select(model.id, model.name).where(among(model.id, list(ids))))
    return {identity: name for identity, name in rows}


async def statistics_table(ctx: Context, params: Mapping[str, str]) -> Table:
    """The statistics report as one row per group, then a row of totals: key columns, then figures."""
    filter, group_by, period = statistics_request(params)
    report = await compute_statistics(ctx, filter, group_by, period)
    names: dict[StatisticsDimension, dict[int, str]] = {}
    for dimension in report.group_by:
        if dimension in NAMED:
            ids = {group.key.get(dimension) for group in report.groups} - {None}
            names[dimension] = await _names(ctx, dimension, ids)
    header = (["period_start"] if period else []) + [d.value for d in report.group_by]
    for source, (_, columns) in SOURCE_COLUMNS.items():
        header += [f"{source}.{column}" for column in columns]

    def line(group: Any, total: bool) -> Row:
        row: Row = []
        if period:
            row.append("total" if total else group.key.period_start)
        for dimension in report.group_by:
            value = group.key.get(dimension)
            shown = names[dimension].get(value, value) if dimension in names else value
            row.append("total" if total else (shown.name if hasattr(shown, "name") else shown))
        for source, (_, columns) in SOURCE_COLUMNS.items():
            figures = group.figures.get(source)
            row += [getattr(figures, column) if figures is not None else None for column in columns]
        return row

    async def rows() -> AsyncIterator[Row]:
        for group in report.groups:
            yield line(group, total=False)
        yield line(report.totals, total=bool(report.group_by or period))

    return Table("statistics", header, rows())


LEDGER_HEADER = [
    "order", "placed_at", "station_code", "station", "town", "provider", "subject", "urgency", "status",
    "response_due_at", "responded_at", "response_on_time", "delivery_due_at", "delivered_at",
    "delivery_on_time", "rating", "satisfaction",
]  # fmt: skip


def _kept(rule: Any) -> Any:
    """yes / no / empty while not judged: `DeadlineRule.kept`, in SQL."""
    return case((rule.kept_sql(), "yes"), (rule.judged_sql(), "no"), else_="")


async def ledger_table(ctx: Context, params: Mapping[str, str]) -> Table:
    """The orders the viewer may see placed in the range, oldest first; no resident's data."""
    if ctx.viewer.is_anonymous:
        raise NotAuthenticated("Sign in to export orders.")
    unknown = set(params) - {"from", "to"}
    if unknown:
        raise ClientError(f"Unknown parameters: {', '.join(sorted(unknown))}.", code="INVALID")
    start, end = StatisticsFilter(start=_date(params, "from"), end=_date(params, "to")).bounds()
    scope = visible_orders(ctx.viewer).whereclause
    in_range = and_(
        Order.created_at >= local_midnight(start),
        Order.created_at < local_midnight(end + timedelta(days=1)),
        *([scope] if scope is not None else []),
    )
    async with ctx.db.session() as session:
        count = await session.scalar(select(func.count()).select_from(Order).where(in_range))
    if count and count > MAX_LEDGER_ROWS:
        raise ClientError(
            f"{count} orders: export at most {MAX_LEDGER_ROWS} at once; narrow the range.",
            code="TOO_MANY_ROWS",
        )
    stmt = (
        select(
            Order.id,
            Order.created_at,
            Station.code,
            Station.name,
            Town.name,
            Provider.name,
            func.coalesce(Service.name, Project.name),
            Order.urgency,
            Order.status,
            Order.response_due_at,
            Order.responded_at,
            _kept(RESPONSE),
            Order.delivery_due_at,
            Order.delivered_at,
            _kept(DELIVERY),
            Order.rating,
            Order.satisfaction,
        )  # fmt: skip
        .join(Station, Station.id == Order.station_id)
        .join(Town, Town.id == Station.town_id)
        .join(Provider, Provider.id == Order.provider_id)
        .outerjoin(Service, Service.id == Order.service_id)
        .outerjoin(Project, Project.id == Order.project_id)
        .where(in_range)
        .order_by(Order.created_at, Order.id)
    )

    async def rows() -> AsyncIterator[Row]:
        # A server-side cursor lives in a transaction; this one only reads.
        async with ctx.db.transaction() as session:
            result = await session.stream(stmt.execution_options(yield_per=CSV_CHUNK_ROWS))
            async for row in result:
                yield [_cell(value) for value in row]

    return Table("orders", LEDGER_HEADER, rows())


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(LOCAL_TIME).replace(tzinfo=None)
    return value.name if hasattr(value, "name") and not isinstance(value, str) else value


TABLES: dict[str, Callable[[Context, Mapping[str, str]], Any]] = {
    "statistics": statistics_table,
    "orders": ledger_table,
}


async def open_table(ctx: Context, name: str, params: Mapping[str, str]) -> Table:
    """The export named, checked and ready to stream; ClientError for bad parameters."""
    make = TABLES.get(name)
    if make is None:
        raise ClientError(f"No export {name!r}: there are {', '.join(TABLES)}.", code="NOT_FOUND")
    table: Table = await make(ctx, params)
    return table


def _csv_text(value: Any) -> Any:
    return value.isoformat(sep=" ") if isinstance(value, datetime) else value


async def csv_chunks(table: Table) -> AsyncIterator[bytes]:
    """The table as CSV, a few hundred rows a chunk, starting with a UTF-8 byte-order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(table.header)
    written = 0
    async for row in table.rows:
        writer.writerow([_csv_text(value) for value in row])
        written += 1
        if written % CSV_CHUNK_ROWS == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


async def write_xlsx(table: Table) -> str:
    """The table as an XLSX workbook in a temporary file; its path (the caller deletes it)."""
    descriptor, path = tempfile.mkstemp(prefix=f"doorstep-{table.name}-", suffix=".xlsx")
    os.close(descriptor)
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
    try:
        sheet = workbook.add_worksheet(table.name)
        moment = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        day = workbook.add_format({"num_format": "yyyy-mm-dd"})
        sheet.write_row(0, 0, table.header)
        number = 0
        async for number, row in _numbered(table.rows):
            for column, value in enumerate(row):
                if isinstance(value, datetime):
                    sheet.write_datetime(number, column, value, moment)
                elif isinstance(value, date):
                    sheet.write_datetime(number, column, value, day)
                elif value is not None:
                    sheet.write(number, column, value)
        sheet.autofilter(0, 0, max(number, 1), len(table.header) - 1)
    finally:
        workbook.close()
    return path


async def _numbered(rows: AsyncIterator[Row]) -> AsyncIterator[tuple[int, Row]]:
    number = 0
    async for row in rows:
        number += 1
        yield number, row
