"""The one error parsers raise: it names the file, sheet, row, column and what was expected."""

from __future__ import annotations


class RawFileError(ValueError):
    """A raw file that is not in a layout the parsers know, or holds a cell they cannot read."""

    def __init__(
        self,
        file: str,
        expected: str,
        found: object = None,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file, self.sheet, self.row, self.column = file, sheet, row, column
        self.expected, self.found = expected, found
        where = [file]
        if sheet is not None:
            where.append(f"sheet '{sheet}'")
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column '{column}'")
        message = f"{', '.join(where)}: expected {expected}"
        if found is not None:
            message += f", found {found!r}"
        super().__init__(message)

    def __reduce__(self):
        """Pickle by the arguments (the raw layer parses in worker processes, whose errors
        travel back to the refresh's process by pickle)."""
        return (_rebuild, (type(self), self.file, self.expected, self.found, self.sheet,
                           self.row, self.column))


def _rebuild(kind: type[RawFileError], file: str, expected: str, found: object,
             sheet: str | None, row: int | None, column: str | None) -> RawFileError:
    return kind(file, expected, found, sheet=sheet, row=row, column=column)
