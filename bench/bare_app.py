"""A bare Litestar app served as ``grants serve`` serves the tracker: one route that
takes a disbursement's body, decodes it into the same command and answers 201 with the
same answer, and nothing else (no sign-in, no guard, no middleware, no decision, no
database). ``bench/write_path.py`` measures it beside the tracker's commands: what the
server stack alone costs on this machine, which no change to the tracker can go below.

Run by hand: ``.venv/bin/python -m bench.bare_app --port 8001 --workers 2``."""

from __future__ import annotations

import argparse
import uuid
from uuid import UUID

from litestar import Litestar, get, post

from grants.api.commands import Answer
from grants.commands import ReleasePayment
from grants.serving import serve


@post("/api/projects/{project_id:uuid}/disbursements", status_code=201)
async def release(project_id: UUID, data: ReleasePayment) -> Answer:
    return Answer(id=uuid.uuid4(), version=1, position=1, project_id=project_id)


@get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


def app() -> Litestar:
    return Litestar([release, health])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    raise SystemExit(serve(args.host, args.port, args.workers, app="bench.bare_app:app"))


if __name__ == "__main__":
    main()
