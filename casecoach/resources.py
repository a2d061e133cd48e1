"""The agency's resource directory: loading and checking the CSV, and matching resources to a client."""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from casecoach._data import load_yaml, scenario_dir
from casecoach.errors import InvalidFile, Problem
from casecoach.language import stems

COLUMNS = ("id", "name", "domain", "services", "fair_chance", "eligibility", "address", "transit",
           "hours", "phone", "languages", "cost")
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WINDOWS = ("weekday_daytime", "weekday_evening", "weekend")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# "Mon-Fri 09:00-17:00": the days, then opening and closing; each field is checked on its own.
_RANGE = re.compile(r"^(?P<days>[A-Za-z]+(?:\s*[-,]\s*[A-Za-z]+)*)\s+(?P<start>[^\s-]+)\s*-\s*"
                    r"(?P<end>[^\s-]+)$")
_TIME = re.compile(r"^(\d{2}):(\d{2})$")
# A cell a spreadsheet would run as a formula when the directory is opened or exported there
# (OWASP, "CSV injection"): =, +, -, @, a tab or a carriage return at its start. The phone may
# start with +, and ids are checked apart.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FREE = ("phone", "id")
_PHONE = re.compile(r"^[0-9+()\-.\s]{7,20}$")
EVENING_HOUR = 17


def directory_path() -> Path:
    """The directory in use: $CASECOACH_DIRECTORY, else the sample in scenarios/resources/."""
    return Path(os.environ.get("CASECOACH_DIRECTORY",
                               scenario_dir() / "resources" / "directory.csv"))


@dataclass(frozen=True)
class Hours:
    """Opening hours as (day index, start minute, end minute) spans; always or by appointment."""

    text: str
    spans: tuple[tuple[int, int, int], ...] = ()
    always: bool = False
    by_appointment: bool = False

    @classmethod
    def parse(cls, text: str) -> "Hours":
        """Read 'Mon-Fri 09:00-17:00; Sat 10:00-14:00', '24/7' or 'by appointment'."""
        text = text.strip()
        if text == "24/7":
            return cls(text, always=True)
        if text.lower() == "by appointment":
            return cls(text, by_appointment=True)
        spans = []
        for part in filter(None, (p.strip() for p in text.split(";"))):
            m = _RANGE.match(part)
            if not m:
                raise ValueError(f"'{part}' is not like 'Mon-Fri 09:00-17:00' (or use '24/7' or "
                                 f"'by appointment')")
            wrong = [f"'{d.strip()}' is not a day or a range like Mon-Fri"
                     for d in m["days"].split(",") if d.count("-") > 1]
            wrong += [f"'{d}' is not a day ({', '.join(DAYS)})"
                      for d in re.split(r"\s*[-,]\s*", m["days"]) if d not in DAYS]
            times = {}
            for field, what in (("start", "opening"), ("end", "closing")):
                try:
                    times[field] = _minutes(m[field])
                except ValueError as exc:
                    wrong.append(f"the {what} time {exc}")
            if wrong:
                raise ValueError(f"'{part}': " + "; ".join(wrong))
            start, end = times["start"], times["end"]
            if not start < end:
                raise ValueError(f"'{part}': the closing time must come after the opening time")
            for day in _days(m["days"]):
                spans.append((day, start, end))
        if not spans:
            raise ValueError("is empty")
        return cls(text, tuple(spans))

    def windows(self) -> set[str]:
        """Which of weekday daytime, weekday evening and weekend the resource is open in."""
        if self.always or self.by_appointment:
            return set(WINDOWS)
        found = set()
        for day, start, end in self.spans:
            if day >= 5:
                found.add("weekend")
            else:
                if start < EVENING_HOUR * 60:
                    found.add("weekday_daytime")
                if end > EVENING_HOUR * 60:
                    found.add("weekday_evening")
        return found


def _minutes(text: str) -> int:
    """'09:30' as minutes after midnight; 24:00 is the end of the day."""
    m = _TIME.match(text)
    if not m:
        raise ValueError(f"'{text}' is not a time like 09:00")
    hours, minutes = int(m[1]), int(m[2])
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        raise ValueError(f"'{text}' is not a time of day (00:00 to 23:59, or 24:00 for "
                         f"midnight)")
    return hours * 60 + minutes


def _days(spec: str) -> list[int]:
    days: list[int] = []
    for piece in spec.split(","):
        piece = piece.strip()
        if "-" in piece:
            first, last = (DAYS.index(d.strip()) for d in piece.split("-"))
            days.extend(range(first, last + 1) if first <= last else
                        list(range(first, 7)) + list(range(0, last + 1)))
        else:
            days.append(DAYS.index(piece))
    return days


@dataclass(frozen=True)
class Resource:
    id: str
    name: str
    domain: str
    services: tuple[str, ...]
    fair_chance: bool
    eligibility: str
    address: str
    transit: str
    hours: Hours
    phone: str
    languages: tuple[str, ...]
    cost: str

    @property
    def reachable_without_car(self) -> bool:
        return self.transit.strip().lower() != "none"


@dataclass(frozen=True)
class Directory:
    resources: tuple[Resource, ...]
    path: Path
    warnings: tuple[Problem, ...] = ()  # what validate lists without refusing the file

    def __contains__(self, resource_id: str) -> bool:
        return any(r.id == resource_id for r in self.resources)

    def get(self, resource_id: str) -> Resource:
        return next(r for r in self.resources if r.id == resource_id)

    @property
    def ids(self) -> set[str]:
        return {r.id for r in self.resources}


def load_directory(path: str | Path | None = None) -> Directory:
    """Read and check a directory CSV; raise InvalidFile listing every problem found."""
    path = Path(path) if path is not None else directory_path()
    frame, lines = _read(path)
    problems = _check(frame, lines, str(path))
    if any(not p.warning for p in problems):
        raise InvalidFile(problems)
    return Directory(tuple(_resource(row) for row in frame.to_dict("records")), path,
                     tuple(problems))


@lru_cache(maxsize=4)
def cached_directory(path: str | None = None) -> Directory:
    """The directory, read once per process (pages and the matching call it often)."""
    return load_directory(path)


def check_directory(path: str | Path) -> list[Problem]:
    """Every problem in one directory CSV, warnings included (empty when it is clean)."""
    try:
        return list(load_directory(path).warnings)
    except InvalidFile as exc:
        return exc.problems


def directory_ids(path: str | Path | None = None) -> set[str] | None:
    """The ids in the directory's id column, or None when the file cannot be read: what a case's
    cross-references need, read without pandas (about 40 MB in each page's kernel) and without
    checking the other columns (load_directory and `validate` do that)."""
    path = Path(path) if path is not None else directory_path()
    try:
        stat = path.stat()
        return set(_ids_cached(str(path), stat.st_mtime_ns, stat.st_size))
    except (OSError, InvalidFile, csv.Error):
        return None


@lru_cache(maxsize=4)
def _ids_cached(path: str, _mtime_ns: int, _size: int) -> frozenset[str]:
    rows = csv.DictReader(io.StringIO(_text(Path(path))), skipinitialspace=True)
    return frozenset(row["id"].strip() for row in rows
                     if isinstance(row.get("id"), str) and row["id"].strip())


def _text(path: Path) -> str:
    """The directory file as text, refused when too large, binary or not UTF-8."""
    name = str(path)
    most = _limits()["directory_bytes"]
    try:
        with open(path, "rb") as handle:
            raw = handle.read(most + 1)  # never more: /dev/zero is a file too
    except OSError as exc:
        raise InvalidFile([Problem(name, None, "", f"cannot read: {exc.strerror}")]) from exc
    if len(raw) > most:
        raise InvalidFile([Problem(name, None, "", f"is larger than {most:,} bytes, the most a "
                                   f"directory may be (settings.yaml, limits.directory_bytes)")])
    if b"\x00" in raw:
        raise InvalidFile([Problem(name, None, "", "contains NUL bytes (binary file?)")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidFile([Problem(name, None, "", "not UTF-8 text; save the CSV as UTF-8")]) from exc
    return text


def _read(path: Path):
    """The CSV as a pandas frame of strings, and the line each record starts on."""
    import pandas as pd  # imported here: pages that never read the directory skip its cost

    name = str(path)
    text = _text(path)
    # The csv module knows on which line each record starts (a quoted cell may span lines);
    # pandas does the typed reading.
    reader = csv.reader(io.StringIO(text))
    starts, line = [], 1
    try:
        for _record in reader:
            starts.append(line)
            line = reader.line_num + 1
    except csv.Error as exc:
        raise InvalidFile([Problem(name, reader.line_num, "", f"not valid CSV: {exc}")]) from exc
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                            skipinitialspace=True)
    except pd.errors.ParserError as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise InvalidFile([Problem(name, int(found.group(1)) if found else None, "",
                                   f"not valid CSV: {str(exc).strip()}")]) from exc
    except pd.errors.EmptyDataError as exc:
        raise InvalidFile([Problem(name, 1, "", "the file is empty: it needs a header row "
                                   f"({','.join(COLUMNS)})")]) from exc
    return frame, starts[1:]


def _check(frame, lines: list[int], name: str) -> list[Problem]:
    columns = [c.strip() for c in frame.columns]
    frame.columns = columns
    problems = [Problem(name, 1, c, "required column is missing") for c in COLUMNS
                if c not in columns]
    problems += [Problem(name, 1, c, f"unknown column (expected: {', '.join(COLUMNS)})")
                 for c in columns if c not in COLUMNS]
    if problems:
        return problems
    domains = set(load_yaml("domains.yaml")["domains"])
    longest = _limits()["directory_cell_chars"]
    seen_ids: dict[str, int] = {}
    seen_places: dict[tuple[str, str], int] = {}
    for index, row in enumerate(frame.to_dict("records")):
        line = lines[index] if index < len(lines) else None

        def bad(column: str, message: str) -> None:
            problems.append(Problem(name, line, f"row {index + 1}.{column}", message))

        raw = row
        row = {k: (v or "").strip() for k, v in row.items()}
        for column in COLUMNS:
            if not row[column]:
                bad(column, "is empty; every cell needs a value")
            elif len(row[column]) > longest:
                bad(column, f"is {len(row[column]):,} characters long; a cell has at most "
                            f"{longest:,} (settings.yaml, limits.directory_cell_chars)")
            elif column not in _FORMULA_FREE and (
                    row[column].startswith(_FORMULA_START)
                    or (raw[column] or "").lstrip(" ").startswith(_FORMULA_START)):
                problems.append(Problem(
                    name, line, f"row {index + 1}.{column}",
                    f"starts with {(raw[column] or '').lstrip(' ')[0]!r}, which a spreadsheet "
                    f"runs as a formula; begin the cell with a letter or a digit", warning=True))
        if row["id"] and not _ID.match(row["id"]):
            bad("id", f"'{row['id']}' must be lowercase words joined by hyphens")
        if row["id"] in seen_ids:
            bad("id", f"duplicate id '{row['id']}' (also on line {seen_ids[row['id']]})")
        seen_ids.setdefault(row["id"], line or 0)
        place = (row["name"].lower(), row["address"].lower())
        if row["name"] and place in seen_places:
            bad("name", f"'{row['name']}' at this address is listed twice (also on line "
                        f"{seen_places[place]})")
        seen_places.setdefault(place, line or 0)
        if row["domain"] and row["domain"] not in domains:
            bad("domain", f"unknown domain '{row['domain']}' (one of: {', '.join(sorted(domains))})")
        if row["fair_chance"] and row["fair_chance"].lower() not in ("yes", "no"):
            bad("fair_chance", f"'{row['fair_chance']}' must be yes or no")
        if row["hours"]:
            try:
                Hours.parse(row["hours"])
            except ValueError as exc:
                bad("hours", str(exc))
        if row["phone"] and not _PHONE.match(row["phone"]):
            bad("phone", f"'{row['phone']}' is not a phone number")
    return problems


def _limits() -> dict:
    return load_yaml("settings.yaml")["limits"]


def _split(value: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in value.split(";") if p.strip())


def _resource(row: dict[str, str]) -> Resource:
    row = {k.strip(): (v or "").strip() for k, v in row.items()}
    return Resource(
        id=row["id"], name=row["name"], domain=row["domain"], services=_split(row["services"]),
        fair_chance=row["fair_chance"].lower() == "yes", eligibility=row["eligibility"],
        address=row["address"], transit=row["transit"], hours=Hours.parse(row["hours"]),
        phone=row["phone"], languages=_split(row["languages"]), cost=row["cost"])


@dataclass(frozen=True)
class ClientNeeds:
    """What matching needs to know of the client (responsivity)."""

    name: str
    transport: str = "transit"
    available: tuple[str, ...] = WINDOWS
    needs_fair_chance: bool = True
    languages: tuple[str, ...] = ("English",)
    age: int | None = None
    gender: str = ""
    profile: str = ""


@dataclass(frozen=True)
class Match:
    """One resource for one chart row: how well it fits, why, and why not."""

    resource: Resource
    score: int
    reasons: tuple[str, ...]
    misses: tuple[str, ...]

    @property
    def fits(self) -> bool:
        return not self.misses


def match(directory: Directory, domain: str, text: str, needs: ClientNeeds,
          limit: int = 8) -> list[Match]:
    """Resources for a chart row, fits first by score, then near misses with why they miss."""
    words = stems(text)
    results = []
    for resource in directory.resources:
        service_words = stems(" ".join(resource.services) + " " + resource.name)
        overlap = sorted(words & service_words)
        if resource.domain != domain and len(overlap) < 2:
            continue
        results.append(judge(resource, domain, needs, overlap))
    results.sort(key=lambda m: (not m.fits, -m.score, m.resource.name))
    return results[:limit]


def judge(resource: Resource, domain: str, needs: ClientNeeds,
          overlap: Sequence[str] = ()) -> Match:
    """How one resource fits one client for one row: reasons it fits, and what rules it out."""
    reasons: list[str] = []
    misses: list[str] = []
    score = 3 if resource.domain == domain else 0
    if overlap:
        score += 2 * len(overlap)
        reasons.append("offers " + ", ".join(s for s in resource.services
                                             if stems(s) & set(overlap))[:120]
                       if any(stems(s) & set(overlap) for s in resource.services)
                       else "matches " + ", ".join(overlap))
    if needs.needs_fair_chance:
        if resource.fair_chance:
            reasons.append("serves people with records")
        else:
            misses.append("does not serve people with records")
    if not resource.reachable_without_car and needs.transport in ("transit", "walk"):
        misses.append(f"no bus goes there and {needs.name} has no car")
    elif resource.reachable_without_car and needs.transport in ("transit", "walk"):
        reasons.append(f"by transit: {resource.transit}")
    open_when = resource.hours.windows() & set(needs.available)
    if not open_when:
        misses.append(f"open {resource.hours.text}, when {needs.name} is not free")
    elif resource.hours.by_appointment:
        reasons.append("by appointment")
    first = needs.languages[0] if needs.languages else "English"
    if first.lower() != "english":
        if any(first.lower() == l.lower() for l in resource.languages):
            score += 2
            reasons.append(f"works in {first}")
        elif "english" not in (l.lower() for l in needs.languages):
            misses.append(f"no {first} spoken")
    misses.extend(_eligibility_misses(resource.eligibility, needs))
    if resource.cost.lower() in ("free", "sliding scale"):
        reasons.append(resource.cost.lower())
    return Match(resource, score, tuple(reasons), tuple(misses))


_AGE_MIN = re.compile(r"\b(?:ages?\s+|adults\s+)?(\d{2})\+")
_AGE_RANGE = re.compile(r"\b(?:ages?|aged)\s+(\d{1,2})\s*(?:-|to)\s*(\d{2})")


def _eligibility_misses(text: str, needs: ClientNeeds) -> list[str]:
    """Who a resource is for, against the client's age, gender and profile."""
    misses = []
    first = text.split(";")[0].strip().lower()
    if needs.age is not None:
        low = _AGE_MIN.search(first)
        span = _AGE_RANGE.search(first)
        if span and not int(span[1]) <= needs.age <= int(span[2]):
            misses.append(f"for ages {span[1]}-{span[2]}; {needs.name} is {needs.age}")
        elif low and not span and needs.age < int(low[1]):
            misses.append(f"for people {low[1]} and over; {needs.name} is {needs.age}")
    for word, gender in (("women", "woman"), ("men", "man")):
        if re.match(rf"{word}\b", first) and needs.gender and needs.gender.lower() != gender:
            misses.append(f"for {word} only")
    for group, rule in load_yaml("settings.yaml")["matching"]["groups"].items():
        if re.search(rule["eligibility"], first) and not re.search(rule["profile"], needs.profile,
                                                                  re.IGNORECASE):
            misses.append(f"for {group}")
    return misses


def needs_of(scenario) -> ClientNeeds:
    """The matching needs of a scenario's client, from its constraints and languages."""
    c = scenario.client
    constraints = c.get("constraints", {})
    profile = " ".join([c.get("culture", ""), c.get("gender", ""), scenario.intake]
                       + [f.text for f in scenario.facts])
    return ClientNeeds(name=scenario.first_name,
                       transport=constraints.get("transport", "transit"),
                       available=tuple(constraints.get("available", WINDOWS)),
                       needs_fair_chance=constraints.get("needs_fair_chance", True),
                       languages=tuple(c.get("languages", ("English",))),
                       age=c.get("age"), gender=c.get("gender", ""), profile=profile)
