"""A file finance hands out (the differences of a reconciliation, an open-data export):
its name, type and content, for the API and the pages to send alike."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

Content = TypeVar("Content", str, bytes)


@dataclass(frozen=True)
class Download(Generic[Content]):
    filename: str
    media_type: str
    content: Content

    @property
    def disposition(self) -> str:
        """The ``Content-Disposition`` that saves it under its name."""
        return f'attachment; filename="{self.filename}"'
