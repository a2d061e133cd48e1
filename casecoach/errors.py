"""The one error type the domain core raises, with where the problem is."""

from __future__ import annotations

from dataclasses import dataclass


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


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data file: where (file, line, field path) and what. A warning is
    listed but does not make the file invalid."""

    file: str
    line: int | None
    field: str
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field or '(file)'}: {'warning: ' if self.warning else ''}" \
               f"{self.message}"


class InvalidFile(CasecoachError):
    """A data file with one or more problems; `problems` lists every one found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = problems[0]
        super().__init__(first.message, file=first.file, line=first.line, field=first.field)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)
