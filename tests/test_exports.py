"""Exports over HTTP, parsed back with the csv module and openpyxl, on tests/statistics_data.py."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import openpyxl
import pytest

RANGE = "from=2024-03-01&to=2024-04-30"


async def get(api, path: str, as_: str | None = None):
    headers = {"Authorization": f"Bearer {await api.token(as_)}"} if as_ else {}
    return await api.http.get(path, headers=headers)


def read_csv(response) -> list[list[str]]:
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def read_xlsx(response) -> list[list]:
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


async def test_statistics_by_provider_as_csv(history_api):
    response = await get(history_api, f"/exports/statistics.csv?{RANGE}&groupBy=provider", as_="admin")
    assert response.status_code == 200, response.text
    rows = read_csv(response)
    header = rows[0]
    assert header[:4] == ["provider", "orders.placed", "orders.accepted", "orders.declined"]
    by_provider = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert len(by_provider) == 3 and "total" in by_provider  # P1, P2 and the totals
    p1 = by_provider["浦东新区民政局"]
    assert (p1["orders.placed"], p1["orders.evaluated"], p1["orders.mean_rating"]) == ("4", "2", "4.0")
    assert p1["demands.posted"] == ""  # demands have no provider
    total = by_provider["total"]
    assert (total["orders.placed"], total["orders.median_hours_to_accept"]) == ("7", "7.0")


async def test_statistics_by_month_as_xlsx(history_api):
    response = await get(history_api, f"/exports/statistics.xlsx?{RANGE}&period=month", as_="admin")
    assert response.status_code == 200, response.text
    rows = read_xlsx(response)
    header = rows[0]
    assert header[:2] == ["period_start", "orders.placed"]
    placed = header.index("orders.placed")
    posted = header.index("demands.posted")
    assert [(row[0], row[placed], row[posted]) for row in rows[1:]] == [
        (datetime(2024, 3, 1), 5, 3),
        (datetime(2024, 4, 1), 2, 1),
        ("total", 7, 4),
    ]


async def test_order_ledger_as_csv_and_xlsx_scoped_by_viewer(history_api, history):
    response = await get(history_api, f"/exports/orders.csv?{RANGE}", as_="provider")
    assert response.status_code == 200, response.text
    rows = read_csv(response)
    assert rows[0][:3] == ["order", "placed_at", "station_code"]
    ledger = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert [int(row["order"]) for row in ledger] == history.orders[:4]
    assert [row["status"] for row in ledger] == ["EVALUATED", "EVALUATED", "COMPLETED", "DECLINED"]
    assert [row["response_on_time"] for row in ledger] == ["yes", "no", "yes", "yes"]
    assert [row["delivery_on_time"] for row in ledger] == ["yes", "no", "yes", ""]
    assert ledger[0]["placed_at"] == "2024-03-02 09:00:00"
    assert "resident" not in "".join(rows[0])

    response = await get(history_api, f"/exports/orders.xlsx?{RANGE}", as_="admin")
    assert response.status_code == 200, response.text
    rows = read_xlsx(response)
    assert len(rows) == 1 + 7
    assert rows[1][1] == datetime(2024, 3, 2, 9, 0)
    assert rows[5][rows[0].index("response_on_time")] == "no"  # order 5, unanswered past its deadline


@pytest.mark.parametrize(
    ("path", "account", "status", "code"),
    [
        (f"/exports/orders.csv?{RANGE}", None, 401, "UNAUTHENTICATED"),
        ("/exports/statistics.csv?from=2024-13-01", "admin", 400, "INVALID"),
        ("/exports/statistics.csv?groupBy=street", "admin", 400, "INVALID"),
        ("/exports/statistics.csv?from=2023-01-01&to=2024-06-30", "admin", 400, "RANGE_TOO_LONG"),
        (f"/exports/statistics.csv?{RANGE}&groupBy=station", None, 401, "UNAUTHENTICATED"),
        (f"/exports/orders.csv?{RANGE}&page=2", "admin", 400, "INVALID"),
        ("/exports/payroll.csv", "admin", 404, "NOT_FOUND"),
        ("/exports/orders.pdf", "admin", 404, "NOT_FOUND"),
    ],
)
async def test_bad_requests_answer_clear_errors(history_api, path, account, status, code):
    response = await get(history_api, path, as_=account)
    assert response.status_code == status
    assert response.json()["code"] == code


async def test_anonymous_callers_export_the_published_district_figures(history_api):
    response = await get(history_api, f"/exports/statistics.csv?{RANGE}")
    assert response.status_code == 200
    rows = read_csv(response)
    figures = dict(zip(rows[0], rows[1], strict=True))
    assert (figures["orders.placed"], figures["orders.mean_rating"], figures["orders.mean_satisfaction"]) == (
        "7",
        "",
        "80.0",
    )
