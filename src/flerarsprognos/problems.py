"""Problems found in input files: collected, never raised one at a time.

Every check appends a :class:`Problem`; the caller raises :class:`InputError` once with all
of them, so a user sees every mistake in one run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One problem in one place: file, key and (where it applies) year."""

    file: str
    key: str | None
    message: str
    year: int | None = None
    severity: str = "fel"  # "fel" (error) or "varning" (warning)

    def __str__(self) -> str:
        where = self.file
        if self.key:
            where += f": {self.key}"
        if self.year is not None:
            where += f" [år {self.year}]"
        return f"{self.severity}: {where}: {self.message}{_label_note(self.key, self.message)}"


def _label_note(key: str | None, message: str) -> str:
    """The assumption key's Swedish label after the message, so a reader who does not know the
    key names (``prisbasbelopp_forandring``) sees what it is; nothing for other keys."""
    if not key:
        return ""
    from flerarsprognos.io.schema import SPECS  # at message time only: keeps imports light

    spec = SPECS.get(key)
    if spec is None or not spec.label or spec.label in message:
        return ""
    return f" ({spec.label})"


@dataclass
class Problems:
    """A collector of problems for one file (or a set of files)."""

    items: list[Problem] = field(default_factory=list)

    def error(self, file: str | Path, key: str | None, message: str, year: int | None = None) -> None:
        self.items.append(Problem(str(file), key, message, year, "fel"))

    def warn(self, file: str | Path, key: str | None, message: str, year: int | None = None) -> None:
        self.items.append(Problem(str(file), key, message, year, "varning"))

    def extend(self, other: Problems) -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "fel"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "varning"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise InputError(self.items)


class InputError(Exception):
    """Bad input: carries every problem found (errors and the warnings beside them)."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        errors = [p for p in self.problems if p.severity == "fel"]
        super().__init__("\n".join(str(p) for p in errors))
