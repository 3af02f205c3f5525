"""How the domain's own value types cross the HTTP boundary: decoded by the domain's
constructor (so its error names the field) and described in the OpenAPI schema."""

from __future__ import annotations

from typing import Any

from litestar.openapi.spec import OpenAPIType, Schema
from litestar.plugins import OpenAPISchemaPlugin
from litestar.typing import FieldDefinition

from grants.domain.fiscal_year import FiscalYear

FISCAL_YEAR_DECODER = (lambda type_: type_ is FiscalYear, lambda type_, value: FiscalYear(value))


class FiscalYearSchema(OpenAPISchemaPlugin):
    @staticmethod
    def is_plugin_supported_type(value: Any) -> bool:
        return value is FiscalYear

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: Any) -> Schema:
        return Schema(
            type=OpenAPIType.STRING,
            pattern=r"^\d{4}-\d{2}$",
            description="A fiscal year, April 1 to March 31",
            examples=["2021-22"],
        )
