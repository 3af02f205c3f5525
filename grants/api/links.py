"""OpenAPI links: which answer gives a later request its ids, for clients and for the
stateful fuzzing of the tests. Every command answers with the same ``Answer``, so the
links cannot be inferred from the schemas: they are declared here, once."""

from __future__ import annotations

from typing import Any

from litestar.openapi.spec import Link, OpenAPI, OpenAPIResponse, Reference

PROGRAM = "/api/programs/{program_id}"
PROJECT = "/api/projects/{project_id}"
PROJECT_COMMANDS = [
    ("post", f"{PROJECT}/{name}")
    for name in (
        "assessment",
        "approval",
        "rejection",
        "withdrawal",
        "agreement",
        "amendments",
        "reprofiling",
        "payment-requests",
        "disbursements",
        "recoveries",
        "results",
        "final-report",
        "closeout",
    )
]
PROJECT_OPERATIONS = [("get", PROJECT), ("get", f"{PROJECT}/history"), *PROJECT_COMMANDS]
VIEWS = (
    "/api/projects",
    "/api/views/funding-by-pillar",
    "/api/views/outcomes-by-pillar",
    "/api/views/year-end",
)
Target = tuple[str, str, dict[str, Any]]


def _program(program_id: str) -> list[Target]:
    on_path = {"parameters": {"path.program_id": program_id}}
    return [
        ("get", PROGRAM, on_path),
        ("put", f"{PROGRAM}/allocations/{{fiscal_year}}", on_path),
        ("put", f"{PROGRAM}/publication", on_path),
        ("get", "/api/views/programs/{program_id}/commitments", on_path),
        ("post", "/api/calls", {"request_body": {"program_id": program_id}}),
        ("get", "/api/calls", {"parameters": {"query.program_id": program_id}}),
        ("post", "/api/projects", {"request_body": {"program_id": program_id}}),
    ]


def _project(project_id: str) -> list[Target]:
    on_path = {"parameters": {"path.project_id": project_id}}
    return [(method, path, on_path) for method, path in PROJECT_OPERATIONS]


def _read_your_write() -> list[Target]:
    position = {"parameters": {"query.min_position": "$response.body#/position"}}
    return [("get", path, position) for path in VIEWS]


LINKS: dict[tuple[str, str], list[Target]] = {
    ("post", "/api/programs"): [*_program("$response.body#/id"), *_read_your_write()],
    ("put", f"{PROGRAM}/allocations/{{fiscal_year}}"): _program("$request.path.program_id"),
    ("put", f"{PROGRAM}/publication"): _program("$request.path.program_id"),
    ("post", "/api/calls"): [
        (
            "post",
            "/api/calls/{call_id}/close",
            {"parameters": {"path.call_id": "$response.body#/id"}},
        ),
        (
            "post",
            "/api/projects",
            {
                "request_body": {
                    "call_id": "$response.body#/id",
                    "program_id": "$request.body#/program_id",
                }
            },
        ),
    ],
    ("post", "/api/projects"): [*_project("$response.body#/id"), *_read_your_write()],
    **{
        (method, path): [*_project("$request.path.project_id"), *_read_your_write()]
        for method, path in PROJECT_COMMANDS
        if not path.endswith("payment-requests")
    },
    ("post", f"{PROJECT}/payment-requests"): [
        (
            "post",
            f"{PROJECT}/disbursements",
            {
                "parameters": {"path.project_id": "$request.path.project_id"},
                "request_body": {"payment_request_id": "$response.body#/id"},
            },
        ),
        *_project("$request.path.project_id"),
    ],
}


def add_links(openapi: OpenAPI) -> None:
    """Puts ``LINKS`` on each success answer of the operations they start from."""
    assert openapi.paths is not None
    for (method, path), targets in LINKS.items():
        links: dict[str, Link | Reference] = {}
        for target_method, target_path, fields in targets:
            pointer = target_path.replace("~", "~0").replace("/", "~1")
            links.setdefault(
                f"{target_method.upper()} {target_path}",
                Link(operation_ref=f"#/paths/{pointer}/{target_method}", **fields),
            )
        operation = getattr(openapi.paths[path], method)
        for status, response in (operation.responses or {}).items():
            if status.startswith("2") and isinstance(response, OpenAPIResponse):
                response.links = links
