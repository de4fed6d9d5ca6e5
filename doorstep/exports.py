"""HTTP routes of the exports: `/exports/statistics.csv`, `/exports/orders.xlsx` and so on.

Thin: the bearer token names the viewer as for /graphql, resolvers.statistics.exports builds
and checks the table; bad parameters answer 400, missing or bad credentials 401, a role that
may not 403, an unknown export 404, all as JSON `{"error", "code"}`.
"""

from __future__ import annotations

import os

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse

from resolvers.access import screen_may_read
from resolvers.accounts import bearer_token, viewer_from_token
from resolvers.context import Context, RequestDatabase
from resolvers.errors import ClientError, NotAuthenticated
from resolvers.statistics import exports

STATUS_OF_CODE = {"UNAUTHENTICATED": 401, "FORBIDDEN": 403, "NOT_FOUND": 404}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def export(request: Request) -> Response:
    state = request.app.state
    name, format = request.path_params["name"], request.path_params["format"]
    ctx = Context(
        db=RequestDatabase(state.sessionmaker),
        settings=state.settings,
        broker=state.broker,
        task_broker=state.task_broker,
    )
    try:
        if format not in ("csv", "xlsx"):
            raise ClientError(f"Exports are .csv or .xlsx, not .{format}.", code="NOT_FOUND")
        token = bearer_token(request.headers.get("authorization"))
        if token is not None:
            async with ctx.db.session() as session:
                ctx.viewer = await viewer_from_token(session, state.settings, token)
            screen_may_read(ctx.viewer, ["export"])
        table = await exports.open_table(ctx, name, dict(request.query_params))
    except ClientError as error:
        await ctx.db.close()
        status = 401 if isinstance(error, NotAuthenticated) else STATUS_OF_CODE.get(error.code, 400)
        return JSONResponse({"error": str(error), "code": error.code}, status_code=status)
    filename = f"{name}.{format}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if format == "csv":
        return StreamingResponse(
            exports.csv_chunks(table),
            media_type="text/csv; charset=utf-8",
            headers=headers,
            background=BackgroundTask(ctx.db.close),
        )
    try:
        path = await exports.write_xlsx(table)
    finally:
        await ctx.db.close()
    return FileResponse(path, media_type=XLSX, headers=headers, background=BackgroundTask(os.unlink, path))
