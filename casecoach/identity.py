"""Whose work a page saves: the Hub login in room mode, else the typed name with this browser's id."""

from __future__ import annotations

import re
import secrets
from typing import Iterable

from casecoach import room
from casecoach.errors import CasecoachError

# A browser's id: made by the page template's visit.js (random, kept in the browser's
# localStorage) and carried in the page address as ?browser=...; anything else is no id at all.
BROWSER_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")
# Between the name and the browser id in a stored owner ("Ana" + US + id). A name cannot hold it:
# names with control characters are refused (person) and the address's whitespace, which
# includes it, is collapsed to spaces (widgets.page.page_visit).
_SEP = "\x1f"


def browser_id(value: object) -> str:
    """The browser id in `value` (a query parameter), or "" when it is not one."""
    text = str(value or "").strip()
    return text if BROWSER_ID.fullmatch(text) else ""


def new_browser_id() -> str:
    """A new browser id (128 random bits), for a browser that has none yet."""
    return secrets.token_hex(16)


def person(name: str, browser: str = "", environ: dict[str, str] | None = None) -> str:
    """The owner under which the store keeps this person's answers and drafts.

    In room mode the name is the Hub login, one person whatever their browser. Outside it, the
    typed name together with the browser's id: two browsers whose users both type "Ana" are two
    people, while a reload or a second tab of one browser stays the same one. Without a browser
    id (an older page, a browser that keeps no storage) the name alone, as before."""
    name = name.strip()
    if _SEP in name:
        if name.split(_SEP, 1)[0].strip() and browser_id(name.split(_SEP, 1)[1]):
            return name  # already an owner made here
        raise CasecoachError("contains control characters", field="name")
    if any(ord(ch) < 32 for ch in name):
        raise CasecoachError("contains control characters", field="name")
    browser = browser_id(browser)
    if not name or not browser or room.in_room(environ):
        return name
    return f"{name}{_SEP}{browser}"


def name_of(owner: str) -> str:
    """The name a person typed (or their login), from a stored owner."""
    return owner.split(_SEP, 1)[0]


def is_browser_owner(owner: str) -> bool:
    """Whether a stored owner carries a browser id (saved by a page outside room mode)."""
    return _SEP in owner


def labels(owners: Iterable[str]) -> dict[str, str]:
    """How each owner is shown, in the order given (first submission first): their name, and
    for the second and later people of one name "Ana (2)", "Ana (3)", never a name another
    person already shows. The same order gives the same labels, so they are stable."""
    shown: dict[str, str] = {}
    taken: set[str] = set()
    counts: dict[str, int] = {}
    owners = list(dict.fromkeys(owners))
    names = {name_of(o) for o in owners}
    for owner in owners:
        name = name_of(owner)
        counts[name] = counts.get(name, 0) + 1
        label = name if counts[name] == 1 else f"{name} ({counts[name]})"
        while label in taken or (label != name and label in names):
            counts[name] += 1
            label = f"{name} ({counts[name]})"
        taken.add(label)
        shown[owner] = label
    return shown
