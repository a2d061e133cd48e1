"""The course: its pages in order, links that carry the trainee, and what each trainee has in progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Mapping
from urllib.parse import urlencode

from casecoach._data import load_yaml, section
from casecoach.errors import CasecoachError

# A page's progress note is a draft of this kind, one per trainee and page (see Note).
NOTE_KIND = "course"
# The name a page gets when nobody gave one: never carried in a link, never shown as a name.
ANONYMOUS = "local"
_VISIT_KEYS = ("trainee", "cohort")


@dataclass(frozen=True)
class Page:
    """One page Voila serves: its notebook name, title and blurb, and its place in the course."""

    key: str
    title: str
    blurb: str
    number: int | None = None  # place in the course (0 = the start page); None beside it
    progress: bool = False  # whether a trainee's progress on it is counted and shown
    notes: tuple[str, ...] = ("main",)  # the things a trainee can have in progress on it

    @property
    def in_course(self) -> bool:
        return self.number is not None


@lru_cache(maxsize=1)
def _pages() -> tuple[Page, ...]:
    data = load_yaml("course.yaml")
    try:
        course = tuple(Page(m["key"], m["title"], m["blurb"], number, number > 0,
                            tuple(m.get("notes", ("main",))))
                       for number, m in enumerate(data["modules"]))
        beside = tuple(Page(p["key"], p["title"], p["blurb"], None, bool(p.get("progress")),
                            tuple(p.get("notes", ("main",))))
                       for p in data.get("pages", ()))
    except (KeyError, TypeError) as exc:
        raise CasecoachError(f"a page needs key, title and blurb ({exc})", file="course.yaml",
                             field="modules") from exc
    return course + beside


def pages() -> tuple[Page, ...]:
    """Every page: the course in order, then the pages beside it."""
    return _pages()


def modules() -> tuple[Page, ...]:
    """The course's modules in order, the start page first."""
    return tuple(p for p in _pages() if p.in_course)


def tracked() -> tuple[Page, ...]:
    """The pages whose progress is counted: the modules after the start page, group exercises."""
    return tuple(p for p in _pages() if p.progress)


def page(key: str) -> Page:
    """The page of this notebook name, or a CasecoachError naming the known ones."""
    for candidate in _pages():
        if candidate.key == key:
            return candidate
    raise CasecoachError(f"no page {key!r} in the course; known: "
                         f"{', '.join(p.key for p in _pages())}", field="page")


def neighbours(key: str) -> tuple[Page | None, Page | None]:
    """The modules before and after this one in the course (None at the ends, or beside it)."""
    here = page(key)
    if not here.in_course:
        return None, None
    course = modules()
    index = [p.key for p in course].index(key)
    return (course[index - 1] if index else None,
            course[index + 1] if index + 1 < len(course) else None)


def visit_query(trainee: str = "", cohort: str = "", **extra: str) -> str:
    """The query a link carries: trainee and cohort (never the anonymous default), then `extra`,
    empty values left out, every value URL-encoded."""
    values = {"trainee": "" if trainee == ANONYMOUS else trainee, "cohort": cohort, **extra}
    return urlencode({k: v.strip() for k, v in values.items() if v and v.strip()})


def href(key: str, trainee: str = "", cohort: str = "", **extra: str) -> str:
    """A relative link to a page that carries the visit, e.g. `01-smart-goals.ipynb?trainee=Sam`."""
    query = visit_query(trainee, cohort, **extra)
    return f"{page(key).key}.ipynb" + (f"?{query}" if query else "")


def wording(key: str, **fields: Any) -> str:
    """A sentence of the course's wording (messages.yaml, section course), filled in."""
    return section("messages.yaml", "course")[key].format(**fields)


@dataclass(frozen=True)
class Note:
    """What a trainee has in progress on one page, and the last score with what it is out of.

    `what` is ready to read ("Marcus's chart: 6 of 8 rows filled, ..."); `params` are the query
    that opens the page straight at it (e.g. {"case": "marcus-art"})."""

    page: str
    what: str
    params: Mapping[str, str] = field(default_factory=dict)
    score: int | None = None
    out_of: int | None = None
    slot: str = "main"  # which of the page's things (course.yaml `notes`), e.g. the drill
    open: bool = True  # still in progress: the start page links straight back to it

    @property
    def item(self) -> str:
        return f"{self.page}/{self.slot}"

    def to_dict(self) -> dict[str, Any]:
        return {"page": self.page, "slot": self.slot, "what": self.what,
                "params": dict(self.params), "score": self.score, "out_of": self.out_of,
                "open": self.open}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Note":
        return cls(str(data["page"]), str(data["what"]),
                   {str(k): str(v) for k, v in dict(data.get("params") or {}).items()},
                   data.get("score"), data.get("out_of"), str(data.get("slot", "main")),
                   bool(data.get("open", True)))


def save_note(store, owner: str, note: Note) -> None:
    """Keep the note as the trainee's draft for its page (store: casecoach.store.Store)."""
    if note.slot not in page(note.page).notes:
        raise CasecoachError(f"page {note.page} keeps no note {note.slot!r}", field="slot")
    if owner and owner != ANONYMOUS:
        store.save_draft(owner, NOTE_KIND, note.item, note.to_dict())


def load_notes(store, owner: str) -> dict[str, list[Note]]:
    """The trainee's notes by page, in the order course.yaml lists them; unreadable ones left out."""
    notes: dict[str, list[Note]] = {}
    for p in tracked():
        for slot in p.notes:
            body = store.load_draft(owner, NOTE_KIND, f"{p.key}/{slot}")
            try:
                note = Note.from_dict(body) if body else None
            except (KeyError, TypeError, ValueError):
                note = None
            if note is not None:
                notes.setdefault(p.key, []).append(note)
    return notes


def state(row: Mapping[str, Any] | None, notes: list[Note] | None = None) -> str:
    """How far a trainee is on a page, as the start page says it: not started; started, with
    what was done; completed, with the score out of its total."""
    notes = notes or []
    if row is None and not notes:
        return wording("not_started")
    parts = []
    scored = [n for n in notes if n.score is not None and n.out_of]
    if row is not None and row.get("completed_at"):
        parts.append(wording("completed"))
    else:
        parts.append(wording("started"))
        if not notes and row is not None and row.get("attempts"):
            parts.append(wording("attempts", n=row["attempts"]))
    if scored:
        parts.append(wording("score", score=scored[0].score, out_of=scored[0].out_of))
    return " · ".join(parts)
