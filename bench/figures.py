"""Where a benchmark leaves its figures for ``bench/run_all.py``: a JSON file named by
``--json``, besides what it prints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def save(path: str | None, figures: dict[str, Any]) -> None:
    if path:
        Path(path).write_text(json.dumps(figures, indent=1))
