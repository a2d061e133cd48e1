"""A hostile or careless resource directory: formula-like cells warned about, hours checked per field, bounded reading."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from casecoach.errors import InvalidFile
from casecoach.resources import COLUMNS, Hours, check_directory, load_directory

HEADER = ",".join(COLUMNS)
ROW = ("fair-rooms,Fair Rooms Housing,housing,transitional housing,yes,adults on parole,"
       "1 Dock St Harrow,Bus 4 at door,Mon-Fri 09:00-17:00,+1 555-0101,English,free")


def write(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "directory.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("text,message", [
    ("Mon-Fri 25:00-99:00", "'Mon-Fri 25:00-99:00': the opening time '25:00' is not a time of "
                            "day (00:00 to 23:59, or 24:00 for midnight); the closing time "
                            "'99:00' is not a time of day (00:00 to 23:59, or 24:00 for "
                            "midnight)"),
    ("Mon-Fri 09:60-17:00", "'Mon-Fri 09:60-17:00': the opening time '09:60' is not a time of "
                            "day (00:00 to 23:59, or 24:00 for midnight)"),
    ("Mon-Fri 9:00-17:00", "'Mon-Fri 9:00-17:00': the opening time '9:00' is not a time like "
                           "09:00"),
    ("Mon-Fry 09:00-17:00", "'Mon-Fry 09:00-17:00': 'Fry' is not a day (Mon, Tue, Wed, Thu, Fri, "
                            "Sat, Sun)"),
    ("Mon-Wed-Fri 09:00-17:00", "'Mon-Wed-Fri 09:00-17:00': 'Mon-Wed-Fri' is not a day or a "
                                "range like Mon-Fri"),
    ("Sat 18:00-10:00", "'Sat 18:00-10:00': the closing time must come after the opening time"),
])
def test_hours_say_which_field_is_wrong(text, message):
    """Each of the days, the opening and the closing time is checked on its own, and the message
    names the one that is wrong ('25:00' is no time, rather than 'closing must come after')."""
    with pytest.raises(ValueError) as caught:
        Hours.parse(text)
    assert str(caught.value) == message


@pytest.mark.parametrize("text,spans", [
    ("Mon 00:00-24:00", ((0, 0, 1440),)),
    ("Mon, Wed 09:00-12:00", ((0, 540, 720), (2, 540, 720))),
    ("Sat - Sun 10:00-14:00", ((5, 600, 840), (6, 600, 840))),
])
def test_good_hours_still_read(text, spans):
    """Midnight as 24:00, lists of days and a range with spaces read as before."""
    assert Hours.parse(text).spans == spans


@pytest.mark.parametrize("cell,column,start", [
    ('"=HYPERLINK(""http://x.example"",""Click"")"', "name", "="),
    ("@SUM(A1)", "address", "@"),
    ('"\tTab Street"', "address", "\\t"),
    ("-2+3", "eligibility", "-"),
])
def test_formula_like_cells_are_warned_about_with_row_and_column(tmp_path, cell, column, start):
    """A name, address or other text cell that a spreadsheet would run as a formula is listed
    as a warning with its line and column; the directory still loads (the page escapes it)."""
    index = COLUMNS.index(column)
    cells = ROW.split(",")
    cells[index] = cell
    path = write(tmp_path, ",".join(cells))
    directory = load_directory(path)
    assert [str(p) for p in directory.warnings] == [
        f"{path}:2: row 1.{column}: warning: starts with '{start}', which a spreadsheet runs as a "
        f"formula; begin the cell with a letter or a digit"]
    assert check_directory(path) == list(directory.warnings)


def test_a_phone_number_may_start_with_plus(tmp_path):
    """'+1 555-0101' is a phone number, not a formula."""
    assert load_directory(write(tmp_path, ROW)).warnings == ()


def test_validate_lists_the_warning_and_passes_the_file(tmp_path):
    """`casecoach validate` prints the warning and still exits 0."""
    path = write(tmp_path, ROW.replace("Fair Rooms Housing", "=cmd|' /C calc'!A0"))
    result = subprocess.run([sys.executable, "-m", "casecoach.cli", "validate", str(path)],
                            capture_output=True, timeout=120)
    out = result.stdout.decode()
    assert result.returncode == 0, out
    assert f"{path}:2: row 1.name: warning: starts with '='" in out and f"ok: {path}" in out


def test_a_cell_over_the_length_limit_is_an_error(tmp_path):
    """A cell over settings.yaml's directory_cell_chars is refused with its length."""
    path = write(tmp_path, ROW.replace("adults on parole", "adults " * 200))
    with pytest.raises(InvalidFile) as caught:
        load_directory(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:2: row 1.eligibility: is 1,399 characters long; a cell has at most 1,000 "
        f"(settings.yaml, limits.directory_cell_chars)"]


def test_dev_zero_as_a_directory_is_refused_by_its_size():
    """/dev/zero as the directory is read up to settings.yaml's directory_bytes, then refused."""
    with pytest.raises(InvalidFile, match="is larger than 5,000,000 bytes"):
        load_directory("/dev/zero")
