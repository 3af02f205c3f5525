"""How the domain's values cross the HTTP boundary beyond a command's body (whose fields
``grants.fields`` types): query and path parameters typed with the limits
``grants.domain.values`` writes down, so a value out of them is a 422 naming the
parameter before anything runs; and the OpenAPI schema of the same limits. Bodies are
decoded strictly (``grants.api.commands``): an amount is a JSON integer, never ``"100"``
or ``100.0``."""

from __future__ import annotations

from typing import Annotated, Any

from litestar._openapi.schema_generation.plugins.struct import StructSchemaPlugin
from litestar.openapi.spec import OpenAPIType, Schema
from litestar.params import QueryParameter
from litestar.plugins import OpenAPISchemaPlugin
from litestar.typing import FieldDefinition

from grants.domain.fiscal_year import FiscalYear
from grants.domain.values import FIRST_YEAR, LAST_YEAR, NAME_LENGTH, ONE_LINE
from grants.fields import DEPARTMENT, decode_fiscal_year

TYPE_DECODERS = [(lambda kind: kind is FiscalYear, decode_fiscal_year)]

# Query parameters: Litestar reads their limits from its own parameter declarations,
# not from msgspec's (which it drops there).
DepartmentQuery = Annotated[
    str | None,
    QueryParameter(pattern=DEPARTMENT, description="PS, WAGE, JUS, ESDC or another code"),
]
TextQuery = Annotated[str | None, QueryParameter(max_length=NAME_LENGTH, pattern=ONE_LINE)]
OffsetQuery = Annotated[int, QueryParameter(ge=0, le=1_000_000_000)]
PositionQuery = Annotated[
    int | None,
    QueryParameter(
        ge=1,
        le=2**63 - 1,
        description="A command's `position`: wait (up to 3 s) until the view includes it",
    ),
]
LimitQuery = Annotated[int, QueryParameter(ge=1, le=500, description="At most 500")]
PageQuery = Annotated[int, QueryParameter(ge=1, le=1_000_000)]


class ValueSchemas(OpenAPISchemaPlugin):
    """The OpenAPI schema of a fiscal year."""

    @staticmethod
    def is_plugin_supported_type(value: Any) -> bool:
        return value is FiscalYear

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: Any) -> Schema:
        return Schema(
            type=OpenAPIType.STRING,
            pattern=r"^[0-9]{4}-[0-9]{2}$",
            description=f"A fiscal year, April 1 to March 31, from {FIRST_YEAR}-"
            f"{(FIRST_YEAR + 1) % 100:02d} to {LAST_YEAR}-{(LAST_YEAR + 1) % 100:02d}",
            examples=["2021-22"],
        )


class ClosedStructs(StructSchemaPlugin):
    """A request struct that refuses unknown fields says so in its schema
    (``additionalProperties: false``), as clients and fuzzers need to know."""

    def is_plugin_supported_field(self, field_definition: FieldDefinition) -> bool:
        return super().is_plugin_supported_field(field_definition) and bool(
            field_definition.type_.__struct_config__.forbid_unknown_fields
        )

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: Any) -> Schema:
        schema = super().to_openapi_schema(field_definition, schema_creator)
        schema.additional_properties = False
        return schema
