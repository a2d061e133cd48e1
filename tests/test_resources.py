"""The resource directory: loading with pandas, every error with file, line and field; matching."""

from __future__ import annotations

from pathlib import Path

import pytest

from casecoach.errors import InvalidFile
from casecoach.resources import (COLUMNS, ClientNeeds, Hours, check_directory, load_directory,
                                 match)

HEADER = ",".join(COLUMNS)
ROWS = [
    "fair-rooms,Fair Rooms Housing,housing,transitional housing; rental search help,yes,"
    "adults on parole,1 Dock St Harrow,Bus 4 at door,Mon-Fri 09:00-17:00,555-0101,English; Spanish,free",
    "screened-lets,Screened Lets,housing,apartment rentals; rental search help,no,anyone passing a "
    "background check,2 Hill Rd Harrow,Bus 2,Mon-Sat 10:00-18:00,555-0102,English,free",
    "farm-rooms,Farm Rooms,housing,rooms to rent; rental search help,yes,adults,"
    "9 County Rd Cedar Flats,none,Mon-Fri 09:00-17:00,555-0103,English,$50 deposit",
    "night-help,Night Housing Desk,housing,rental search help; deposit assistance,yes,adults,"
    "5 Main St Harrow,Bus 1,Tue-Thu 17:00-21:00,555-0104,English; Spanish,sliding scale",
]


def write(tmp_path: Path, lines: list[str], name: str = "directory.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_shipped_directory_is_valid_and_covers_every_domain():
    """The sample directory loads, has at least 40 resources and at least one per life domain."""
    directory = load_directory()
    assert len(directory.resources) >= 40
    assert {r.domain for r in directory.resources} == {
        "housing", "financial", "vocational", "family", "social", "health", "spirituality",
        "legal"}


def test_a_valid_file_loads_with_typed_fields(tmp_path):
    """Semicolon lists become tuples, fair_chance a bool, hours parsed."""
    directory = load_directory(write(tmp_path, [HEADER, *ROWS]))
    rooms = directory.get("fair-rooms")
    assert rooms.fair_chance is True and rooms.languages == ("English", "Spanish")
    assert rooms.hours.windows() == {"weekday_daytime"}
    assert directory.get("night-help").hours.windows() == {"weekday_evening"}


@pytest.mark.parametrize("text,windows", [
    ("24/7", {"weekday_daytime", "weekday_evening", "weekend"}),
    ("Sat-Sun 10:00-14:00", {"weekend"}),
    ("Mon 08:00-20:00", {"weekday_daytime", "weekday_evening"}),
])
def test_hours_windows(text, windows):
    """Opening hours are read into the windows a client can attend."""
    assert Hours.parse(text).windows() == windows


def test_missing_column_is_named_on_line_1(tmp_path):
    """A header without a required column names it, on line 1."""
    path = write(tmp_path, [HEADER.replace(",transit", ""), ROWS[0].replace(",Bus 4 at door", "")])
    assert [str(p) for p in check_directory(path)] == [f"{path}:1: transit: required column is missing"]


def test_every_row_error_has_its_line_and_field(tmp_path):
    """Duplicates, unknown domains, bad yes/no, bad hours and empty cells each name line and field."""
    rows = [
        ROWS[0],
        ROWS[0].replace("Fair Rooms Housing", "Fair Rooms Two"),            # duplicate id
        ROWS[1].replace(",housing,", ",hobbies,"),                          # unknown domain
        ROWS[2].replace(",yes,", ",maybe,"),                                # bad fair_chance
        ROWS[3].replace("Tue-Thu 17:00-21:00", "evenings"),                 # bad hours
        ROWS[3].replace("night-help", "night-two").replace("Night Housing", "Late Housing")
        .replace("555-0104", ""),                                           # empty cell
    ]
    path = write(tmp_path, [HEADER, *rows])
    problems = [str(p) for p in check_directory(path)]
    assert problems == [
        f"{path}:3: row 2.id: duplicate id 'fair-rooms' (also on line 2)",
        f"{path}:4: row 3.domain: unknown domain 'hobbies' (one of: family, financial, health, "
        "housing, legal, social, spirituality, vocational)",
        f"{path}:5: row 4.fair_chance: 'maybe' must be yes or no",
        f"{path}:6: row 5.hours: 'evenings' is not like 'Mon-Fri 09:00-17:00' (or use '24/7' or "
        "'by appointment')",
        f"{path}:7: row 6.phone: is empty; every cell needs a value",
    ]


def test_quoted_cell_over_two_lines_keeps_line_numbers(tmp_path):
    """A quoted cell with a line break does not shift the lines reported after it."""
    multi = ROWS[0].replace("adults on parole", '"adults on parole,\nany age"')
    path = write(tmp_path, [HEADER, multi, ROWS[1].replace(",no,", ",perhaps,")])
    assert [p.line for p in check_directory(path)] == [4]


@pytest.mark.parametrize("content,message", [
    (b"", "the file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "NUL bytes"),
    ("id,name\ncafé,Café\n".encode("latin-1"), "not UTF-8"),
])
def test_unreadable_files(tmp_path, content, message):
    """Empty, binary and wrongly encoded files each get one clear problem."""
    path = tmp_path / "d.csv"
    path.write_bytes(content)
    with pytest.raises(InvalidFile, match=message):
        load_directory(path)


def test_matching_ranks_fits_first_and_says_why_near_misses_miss(tmp_path):
    """For a client without a car, free on weekdays, with a record: fits first, misses explained."""
    directory = load_directory(write(tmp_path, [HEADER, *ROWS]))
    needs = ClientNeeds(name="Rosa", transport="transit", available=("weekday_daytime",),
                        needs_fair_chance=True, languages=("Spanish", "English"))
    ranked = match(directory, "housing", "looking for a room to rent", needs)
    assert [m.resource.id for m in ranked if m.fits] == ["fair-rooms"]
    misses = {m.resource.id: m.misses for m in ranked if not m.fits}
    assert misses["screened-lets"] == ("does not serve people with records",)
    assert misses["farm-rooms"] == ("no bus goes there and Rosa has no car",)
    assert misses["night-help"] == ("open Tue-Thu 17:00-21:00, when Rosa is not free",)
    assert "works in Spanish" in ranked[0].reasons


def test_a_cases_cross_references_read_only_the_directorys_ids(tmp_path):
    """Pages check a case's resources against the directory's ids without pandas (~40 MB per
    page kernel); the ids are the full loader's; an unreadable file gives None, not an error."""
    import subprocess
    import sys

    from casecoach.resources import cached_directory, directory_ids

    assert directory_ids() == cached_directory().ids
    (tmp_path / "binary.csv").write_bytes(b"id,name\x00\n")
    assert directory_ids(tmp_path / "binary.csv") is None
    assert directory_ids(tmp_path / "missing.csv") is None
    probe = ("import sys\nfrom casecoach.scenarios import get_scenario\n"
             "get_scenario('marcus-art')\nprint('pandas' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[1])
    assert out.stdout.strip() == "False"
