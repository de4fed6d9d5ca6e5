"""Reading cases: a case by ID, and the cases a viewer may see."""

from __future__ import annotations

import strawberry
from strawberry import relay
from strawberry.types import Info

from resolvers.cases import queries as resolvers
from schema.cases.filters import CaseFilter, CaseSort
from schema.cases.types import Case, CaseConnection
from schema.common import lookup_id
from schema.connections import connection_field


@strawberry.type
class CasesQuery:
    @strawberry.field(description="A case by its ID; null when none has it or it is not visible to you.")
    async def case(self, info: Info, id: relay.GlobalID) -> Case | None:
        return await Case.load(info, lookup_id(id, Case))

    cases = connection_field(
        CaseConnection,
        resolvers.list_cases,
        description="The cases you may see, newest first by default: station staff their station's, town staff "
        "those of their town's stations, administrators all.",
        filter=CaseFilter,
        sort=CaseSort,
    )
