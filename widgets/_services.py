"""What the views share: the kernel's event loop, and the directory and store when they open."""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from datetime import datetime
from html import escape

import ipywidgets as w

from casecoach._data import section
from casecoach.course import Note, save_note
from casecoach.errors import CasecoachError
from casecoach.resources import Directory, cached_directory
from casecoach.store import Store, StoreUnavailable, damaged_notice, default_store


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


_log = logging.getLogger(__name__)
_RETRY_SECONDS = 5.0
_failed_at: float | None = None
_open_problem: CasecoachError | None = None   # why the store could not be opened, last time
_watched: "weakref.WeakSet[Store]" = weakref.WeakSet()


def store() -> Store | None:
    """The store, or None when it cannot be opened (the page's store notice says why). A failed
    opening is tried again when asked for after a few seconds: a store busy while the page
    started is not lost to the page for good. A store found damaged while the page runs is opened
    again, which moves the damaged file aside."""
    global _failed_at, _open_problem
    if _failed_at is not None and time.monotonic() - _failed_at < _RETRY_SECONDS:
        return None
    try:
        opened = default_store()
        if opened.problem is not None and opened.problem.kind == "damaged":
            default_store.cache_clear()
            opened.engine.dispose()
            opened = default_store()
    except CasecoachError as exc:
        _failed_at = time.monotonic()
        if _open_problem is None or str(_open_problem) != str(exc):
            _open_problem = exc
            _store_changed()
        return None
    _failed_at = None
    if opened not in _watched:
        _watched.add(opened)
        opened.watch(lambda _problem: _store_changed())
    if _open_problem is not None:
        _open_problem = None
        _store_changed()
    return opened


def store_problem() -> CasecoachError | None:
    """What is wrong with the store now, as the page's notice shows it; None when nothing is."""
    if _open_problem is not None:
        return _open_problem
    opened = next(iter(_watched), None)
    if opened is None:
        return None
    return opened.problem or damaged_notice(opened)


def store_words(key: str, **fields) -> str:
    """The pages' wording about the store (messages.yaml, store_notice), filled in."""
    text = section("messages.yaml", "store_notice")[key]
    return text.format(**fields) if fields else text


# Views to tell when the store works again (bound methods, held weakly: a closed view goes).
_BACK: list[weakref.WeakMethod] = []
_NOTICES: "weakref.WeakSet[StoreNotice]" = weakref.WeakSet()


def when_store_back(method) -> None:
    """Call the bound `method()` each time the store works again after a problem."""
    _BACK.append(weakref.WeakMethod(method))


def _store_changed() -> None:
    for notice in list(_NOTICES):
        notice.draw()
    problem = store_problem()
    if problem is None or getattr(problem, "kind", "") == "set_aside":
        for ref in list(_BACK):
            method = ref()
            if method is None:
                _BACK.remove(ref)
                continue
            try:
                method()
            except CasecoachError:
                pass  # the view says so itself
            except Exception:  # one view's failure must not keep the others from catching up
                _log.exception("a view could not catch up with its store")


class StoreNotice(w.HTML):
    """The page's one notice about its store: what is wrong, which file or server, what to do;
    while something is, the store is tried again every few seconds, and the notice says when it
    works again. Shown in every page's header (widgets.page.CourseHeader)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.add_class("cc-store-notice")
        self._timer: asyncio.TimerHandle | None = None
        self._was_down = False
        _NOTICES.add(self)
        store()   # open it now: a page learns at once that its store is not usable
        self.draw()

    def draw(self) -> None:
        problem = store_problem()
        # The words the template's connection.js shows when the page loses its server.
        words = section("messages.yaml", "connection")
        carried = "<span hidden " + " ".join(
            f'data-cc-connection-{key}="{escape(words[key])}"'
            for key in ("lost", "back", "reload", "kernel")
        ) + "></span>"
        if problem is None:
            if self._was_down:
                self._was_down = False
                self.value = (f'<div class="cc-notice cc-store-back" role="status">'
                              f'{escape(store_words("back", at=f"{datetime.now():%H:%M:%S}"))}'
                              f'</div>{carried}')
            elif "cc-store-back" not in self.value:   # "works again" stays until the next problem
                self.value = carried
            return
        if isinstance(problem, StoreUnavailable):
            what, todo, kind = problem.what, problem.todo, problem.kind
        else:
            what, todo, kind = str(problem), store_words("other_do"), "failed"
        if kind != "set_aside":
            self._was_down = True
            self._later()
        self.value = (f'<div class="cc-notice cc-store-problem" role="alert" data-kind="{kind}">'
                      f'<strong>{escape(store_words("title"))}</strong> {escape(what)} '
                      f'{escape(todo)}</div>{carried}')

    def _later(self) -> None:
        loop = running_loop()
        if loop is None or self._timer is not None:
            return
        self._timer = loop.call_later(retry_seconds(), self._retry)

    def _retry(self) -> None:
        """Try the store again (open it, or ping it); the notice follows what it finds."""
        self._timer = None
        opened = store()
        if opened is not None and opened.problem is not None:
            try:
                opened.ping()
            except CasecoachError:
                pass
        self.draw()


def retry_seconds() -> float:
    return float(section("settings.yaml", "store")["retry_seconds"])


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
        """(owner, cohort): the person (widgets.page.person: the name with this browser's id
        outside room mode) and their cohort."""
        from widgets.page import current_visit, person

        owner, cohort = (self.owner, self.cohort) if self.owner else current_visit()
        try:
            return person(owner), cohort
        except CasecoachError:
            return "", cohort  # a name that cannot be kept: nothing is recorded

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
