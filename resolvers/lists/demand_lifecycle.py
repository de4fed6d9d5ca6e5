"""The demand lifecycle: one table of moves, the one way to take them, and the history they leave.

A demand moves with the work done for it: the first offer matches it, the first order
placed for it puts it in progress, the evaluation of the last of its open orders
resolves it; its station's staff may also resolve it (with a reason) or close it.
`DEMAND_LIFECYCLE` maps (status, action) to the next status; every move goes through
`move`, which writes the new status and appends the move, with who and when, to the
demand's history in the caller's transaction.
"""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Demand, DemandAction, DemandEvent, DemandStatus, Order, OrderStatus
from resolvers.context import Viewer

S, A = DemandStatus, DemandAction
# A demand is open (still to be met) in these states.
UNMET = (S.OPEN, S.MATCHED, S.IN_PROGRESS)
# Orders in these states owe the demand nothing more: evaluated, or never to be delivered.
FINISHED_ORDERS = (OrderStatus.EVALUATED, OrderStatus.DECLINED, OrderStatus.CANCELLED)

DEMAND_LIFECYCLE: dict[tuple[DemandStatus | None, DemandAction], DemandStatus] = {
    (None, A.POST): S.OPEN,
    (S.OPEN, A.PROPOSE): S.MATCHED,
    (S.OPEN, A.ORDER): S.IN_PROGRESS,
    (S.MATCHED, A.ORDER): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.ORDERS_EVALUATED): S.RESOLVED,
    **{(status, A.RESOLVE): S.RESOLVED for status in UNMET},
    **{(status, A.CLOSE): S.CLOSED for status in UNMET},
}


def allows(status: DemandStatus | None, action: DemandAction) -> bool:
    return (status, action) in DEMAND_LIFECYCLE


def statuses_allowing(action: DemandAction) -> tuple[DemandStatus, ...]:
    return tuple(status for status, act in DEMAND_LIFECYCLE if act is action and status is not None)


async def move(
    session: AsyncSession,
    demand: Demand,
    action: DemandAction,
    actor: Viewer,
    *,
    order_id: int | None = None,
    reason: str = "",
) -> None:
    """Take a move the table allows (callers check `allows` first) and record it.

    A new demand (flushed, so it has its id) is posted with `DemandAction.POST`.
    """
    from_status = None if action is A.POST else demand.status
    demand.status = DEMAND_LIFECYCLE[(from_status, action)]
    await session.flush()
    assert actor.user_id is not None and actor.role is not None  # only signed-in staff move demands
    await session.execute(
        insert(DemandEvent).values(
            demand_id=demand.id,
            action=action,
            from_status=from_status,
            to_status=demand.status,
            actor_id=actor.user_id,
            actor_role=actor.role,
            order_id=order_id,
            reason=reason,
        )
    )


async def lock_demand(session: AsyncSession, demand_id: int) -> Demand | None:
    """The demand, locked until the transaction ends: the placements and evaluations of its
    orders take turns, so the last evaluation sees every other order finished."""
    stmt = select(Demand).where(Demand.id == demand_id).with_for_update()
    return await session.scalar(stmt.execution_options(populate_existing=True))


async def order_placed(session: AsyncSession, demand: Demand, order: Order, actor: Viewer) -> None:
    """An order placed for the demand puts it in progress (once: later orders change nothing)."""
    if allows(demand.status, A.ORDER):
        await move(session, demand, A.ORDER, actor, order_id=order.id)


async def order_evaluated(session: AsyncSession, demand: Demand, order: Order, actor: Viewer) -> None:
    """The evaluation of the last of the demand's orders still under way resolves it.

    Declined and cancelled orders owe it nothing; when every order of a demand ends
    that way it stays in progress until its staff resolve or close it.
    """
    if not allows(demand.status, A.ORDERS_EVALUATED):
        return
    still_open = await session.scalar(
        select(Order.id)
        .where(Order.demand_id == demand.id, Order.id != order.id, Order.status.not_in(FINISHED_ORDERS))
        .limit(1)
    )
    if still_open is None:
        await move(session, demand, A.ORDERS_EVALUATED, actor, order_id=order.id)
