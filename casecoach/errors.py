"""The one error type the domain core raises, with where the problem is."""

from __future__ import annotations


class CasecoachError(Exception):
    """Bad input or a bad data file; the message says what and where (file, line, field)."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "") + ": "
        if self.field:
            where += f"{self.field}: "
        return where + self.message
