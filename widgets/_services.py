"""What the views share: the kernel's event loop, and the directory and store when they open."""

from __future__ import annotations

import asyncio
import time

from casecoach.course import Note, save_note
from casecoach.errors import CasecoachError
from casecoach.resources import Directory, cached_directory
from casecoach.store import Store, default_store


def running_loop() -> asyncio.AbstractEventLoop | None:
    """The kernel's event loop when there is one (in Voila); None in plain Python and tests."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def directory() -> Directory | None:
    """The resource directory, or None when it cannot be read (the page says so)."""
    try:
        return cached_directory()
    except CasecoachError:
        return None


_RETRY_SECONDS = 5.0
_failed_at: float | None = None


def store() -> Store | None:
    """The store, or None when it cannot be opened (the page says so). A failed opening is tried
    again when asked for after a few seconds: a store busy while the page started is not lost to
    the page for good."""
    global _failed_at
    if _failed_at is not None and time.monotonic() - _failed_at < _RETRY_SECONDS:
        return None
    try:
        opened = default_store()
    except CasecoachError:
        _failed_at = time.monotonic()
        return None
    _failed_at = None
    return opened


class ProcessStore:
    """A view's `store` attribute: the store it was given, else the process's store, asked for
    each time (so a page whose store could not be opened when it started can save once it can)."""

    def __set_name__(self, owner, name: str) -> None:
        self._slot = f"_given_{name}"

    def __get__(self, view, kind=None):
        if view is None:
            return self
        given = view.__dict__.get(self._slot)
        return given if given is not None else store()

    def __set__(self, view, value: Store | None) -> None:
        view.__dict__[self._slot] = value


class Debounce:
    """Runs `action` once changes pause for `seconds`; at once when there is no event loop (plain
    Python, tests) or no delay. A new change, or `cancel`, drops the one waiting."""

    def __init__(self, action) -> None:
        self._action = action
        self._pending: asyncio.TimerHandle | None = None

    def __call__(self, seconds: float, now: bool = False) -> None:
        self.cancel()
        loop = running_loop()
        if now or loop is None or seconds <= 0:
            self._action()
        else:
            self._pending = loop.call_later(seconds, self._fire)

    def cancel(self) -> None:
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None

    def _fire(self) -> None:
        self._pending = None
        self._action()


class Recorder:
    """Notes a trainee's progress through one module in the store; silent when there is none.

    The trainee is the one given, else the page's visit (widgets.page.page_visit), looked up when
    something is recorded: a preheated page learns who is visiting only once it is opened."""

    def __init__(self, module: str, owner: str = "", cohort: str = "",
                 store_: Store | None = None) -> None:
        self.module, self.owner, self.cohort = module, owner, cohort
        self._store = store_
        self._started = False

    def attempt(self, n: int = 1) -> None:
        self._record(attempts=n)

    def start(self) -> None:
        if not self._started:
            self._record()

    def complete(self, score: int | None = None) -> None:
        self._record(score=score, completed=True)

    def note(self, what: str, score: int | None = None, out_of: int | None = None,
             slot: str = "main", in_progress: bool = True, **params: str) -> None:
        """Keep what the trainee has in progress here (the start page links straight back to it,
        with `params` in the link), and the last score with what it is out of."""
        owner, _cohort = self._visit()
        target = self._store if self._store is not None else store()
        if target is None or not owner:
            return
        try:
            save_note(target, owner, Note(self.module, what, params, score, out_of, slot,
                                         in_progress))
        except CasecoachError:
            pass  # a convenience, like progress

    def _visit(self) -> tuple[str, str]:
        from widgets.page import current_visit

        return (self.owner, self.cohort) if self.owner else current_visit()

    def _record(self, **values) -> None:
        owner, cohort = self._visit()
        target = self._store if self._store is not None else store()
        if target is None or not owner:
            return
        try:
            target.record_progress(owner, self.module, cohort=cohort, **values)
            self._started = True
        except CasecoachError:
            pass  # progress is a convenience; the page keeps working without it
