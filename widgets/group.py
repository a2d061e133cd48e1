"""Live group exercises (the supervisor's wall, the trainee's page) and progress views."""

from __future__ import annotations

import asyncio
from datetime import datetime
from html import escape

import ipywidgets as w
import traitlets

from casecoach import course, exercises, room
from casecoach._data import section
from casecoach.assessment import domains
from casecoach.errors import CasecoachError
from casecoach.practice import GoalItem
from casecoach.scenarios import get_scenario, scenario_ids
from casecoach.store import Store, StoreUnavailable
from widgets import _render
from widgets._a11y import live, named
from widgets._services import (ProcessStore, Recorder, retry_seconds, running_loop, store_words,
                                when_store_back)
from widgets.goal_coach import GoalCoach
from widgets.page import person, room_refusal

# The pages whose progress is kept and shown (the course's modules, group exercises).
MODULES = {p.key: (p.title, p.blurb) for p in course.tracked()}
JOIN_PAGE = "07-join-exercise"


class SupervisorWall(w.VBox):
    """Run an exercise: pick the item, share the code, watch the room's rewrites arrive."""

    store = ProcessStore()

    refresh_seconds = traitlets.Float(1.0, help="How often the wall looks for new submissions.")

    def __init__(self, store: Store | None = None, supervisor: str = "supervisor",
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.store = store
        self.supervisor = supervisor
        self.exercise: exercises.Exercise | None = None
        self.entries: list[exercises.WallEntry] = []
        self._seen: tuple = ()
        self._timer: asyncio.TimerHandle | None = None
        self.updated_at: datetime | None = None     # when the wall last read the room
        self._behind_since: datetime | None = None  # last up to date, while the store fails
        refused = room_refusal("06-group-exercise")
        if refused is not None:  # a trainee in room mode: no control is even built
            self.children = [refused]
            self.add_class("cc-supervisor")
            return
        self._kind = w.ToggleButtons(options=[("Rewrite a referral goal", exercises.GOAL),
                                              ("Fill in one chart row", exercises.CHART_ROW),
                                              ("Respond to a client's line",
                                               exercises.RESPONSE),
                                              ("Answer a follow-up event",
                                               exercises.FOLLOW_UP)],
                                     value=exercises.GOAL, style={"button_width": "auto"})
        self._kind.add_class("cc-exercise-kind")
        self._item = w.Dropdown(options=self._items(exercises.GOAL), description="Referral goal",
                                style={"description_width": "initial"},
                                layout=w.Layout(width="100%"))
        self._item.add_class("cc-exercise-item")
        self._kind.observe(self._kind_changed, names="value")
        start = w.Button(description="Start the exercise", button_style="primary")
        start.add_class("cc-start-exercise")
        start.on_click(lambda _b: self.start(*self._item.value.split("/"),
                                             kind=self._kind.value))
        self._resume = w.Text(placeholder="Code of a running exercise", description="Or resume",
                              style={"description_width": "initial"})
        resume = w.Button(description="Resume")
        resume.on_click(lambda _b: self.resume(self._resume.value))
        room_words = section("messages.yaml", "room")
        self._mine = w.Dropdown(options=[], value=None, description=room_words["yours"],
                                style={"description_width": "initial"},
                                layout=w.Layout(width="100%"))
        self._mine.add_class("cc-my-exercises")
        self._mine.observe(lambda c: c["new"] and self.resume(c["new"]), names="value")
        self._reopen = w.Button(description=room_words["reopen"])
        self._reopen.add_class("cc-reopen-exercise")
        self._reopen.on_click(lambda _b: self.reopen())
        self._reopen.layout.display = "none"
        self._code = w.HTML()
        self._code.add_class("cc-join-code")
        self._names = w.ToggleButton(value=False, description="Show names",
                                     tooltip="Names are hidden until you choose to show them")
        self._names.add_class("cc-show-names")
        self._spotlight = w.Dropdown(options=[("Spotlight: none", "")], value="")
        self._spotlight.add_class("cc-spotlight")
        named(self._spotlight, "Spotlight")
        self._close = w.Button(description="Close the exercise", button_style="warning")
        self._close.add_class("cc-close-exercise")
        self._export = w.Button(description="Export CSV")
        self._export.add_class("cc-export-csv")
        self._download = w.HTML()
        self._download.add_class("cc-download")
        self._summary = w.HTML()
        self._summary.add_class("cc-room-summary")
        self._wall = w.HTML()
        self._wall.add_class("cc-wall")
        self._message = live(w.HTML())
        self._names.observe(lambda c: self._set(names_shown=c["new"]), names="value")
        self._spotlight.observe(lambda c: self._set(spotlight=c["new"] or None), names="value")
        self._close.on_click(lambda _b: self._set(closed=True))
        self._export.on_click(lambda _b: self.export())
        self._controls = w.HBox([self._names, self._spotlight, self._close, self._reopen,
                                 self._export])
        self._controls.layout.display = "none"
        self.children = [self._kind, self._item, w.HBox([start, self._resume, resume]),
                         self._mine, self._message,
                         self._code, self._controls, self._download, self._summary, self._wall]
        self.add_class("cc-supervisor")
        self.list_mine()

    @staticmethod
    def _items(kind: str) -> list[tuple[str, str]]:
        """What the room can work on: every referral goal, every keyed chart row, every practice
        line or every follow-up event (in week order)."""
        cases = [get_scenario(i) for i in scenario_ids()]
        if kind == exercises.FOLLOW_UP:
            from casecoach.followups import wording

            kinds = wording()["kinds"]
            return [(f"{s.first_name}: week {e.week}, {kinds[e.kind]['label'].lower()}: "
                     f"{_short(e.text)}", f"{s.id}/{e.id}")
                    for s in cases for e in exercises.follow_up_events(s).values()]
        if kind == exercises.CHART_ROW:
            names = domains()
            return [(f"{s.first_name}: {names[d]}", f"{s.id}/{d}")
                    for s in cases for d in exercises.chart_rows(s)]
        if kind == exercises.RESPONSE:
            return [(f"{s.first_name}: “{line}”", f"{s.id}/{item}")
                    for s in cases for item, line in exercises.response_lines(s).items()]
        return [(f"{s.first_name}: {g.text}", f"{s.id}/{g.id}")
                for s in cases for g in s.referral_goals]

    def _kind_changed(self, change) -> None:
        self._item.options = self._items(change["new"])
        self._item.description = {exercises.CHART_ROW: "Chart row",
                                  exercises.RESPONSE: "Client's line",
                                  exercises.FOLLOW_UP: "Follow-up event"}.get(change["new"],
                                                                              "Referral goal")

    def start(self, scenario_id: str, item: str, kind: str = exercises.GOAL) -> None:
        """Open a new exercise on one referral goal (item: its id) or one chart row (item: the
        life domain, kind "chart_row") of a case."""
        try:
            if self.store is None:
                raise StoreUnavailable("failed", "", store_words("not_open"))
            self.exercise = exercises.create(self.store, scenario_id, item, self.supervisor,
                                             kind=kind)
        except StoreUnavailable:
            self._message.value = _render.notice_html(store_words("start_failed"), alert=True)
            return
        except CasecoachError as exc:
            self._message.value = _render.notice_html(str(exc), alert=True)
            return
        self._opened()

    def resume(self, code: str) -> None:
        """Pick a running exercise up again (after a server restart, or from another page);
        the kind and item pickers show its item."""
        try:
            self.exercise = exercises.join(self.store, code)
        except CasecoachError as exc:
            self._message.value = _render.notice_html(str(exc))
            return
        with self.hold_trait_notifications():
            self._kind.value = self.exercise.kind
            self._item.value = f"{self.exercise.scenario.id}/{self.exercise.item}"
        self._opened()

    def reopen(self) -> None:
        """Take answers again in a closed exercise (closed by mistake, or a second round)."""
        self._set(closed=False)
        self._tick()

    def list_mine(self) -> None:
        """Fill the list of this supervisor's exercises (open ones first)."""
        try:
            mine = exercises.started_by(self.store, self.supervisor) if self.store else []
        except CasecoachError:
            return  # the list is a convenience; the code box still resumes
        current = self.exercise.code if self.exercise is not None else None
        with self.hold_trait_notifications():
            self._mine.options = [(exercises.label(e), e.code) for e in mine]
            self._mine.value = current if current in {e.code for e in mine} else None

    def refresh(self) -> None:
        """Read the room's submissions and redraw the wall if anything changed."""
        if self.exercise is None:
            return
        if self.store is None:
            raise CasecoachError(store_words("not_open"))
        self.exercise = exercises.join(self.store, self.exercise.code)
        entries = exercises.wall(self.store, self.exercise)
        self.updated_at = datetime.now()
        seen = (tuple((e.trainee, e.revision) for e in entries), self.exercise.names_shown,
                self.exercise.spotlight, self.exercise.closed)
        if seen == self._seen:
            return
        self._seen, self.entries = seen, entries
        labels = self._labels()
        options = [("Spotlight: none", "")] + [(f"Spotlight: {labels[e.trainee]}", e.trainee)
                                               for e in entries]
        with self.hold_trait_notifications():
            current = self.exercise.spotlight or ""
            self._spotlight.options = options
            self._spotlight.value = current if current in {v for _l, v in options} else ""
        self._summary.value = _render.room_summary_html(
            exercises.room_summary(self.exercise, entries), len(entries))
        self._wall.value = _render.wall_html(entries, labels, self.exercise.spotlight,
                                             self.exercise.closed, kind=self.exercise.kind)
        self._code.value = _render.join_code_html(self.exercise)
        self._close.layout.display = "none" if self.exercise.closed else ""
        self._reopen.layout.display = "" if self.exercise.closed else "none"

    def export(self) -> str:
        """The exercise as CSV, every version of each answer (exercises.history), put behind
        the download link; "" (and why, in the message) when the store cannot be read."""
        try:
            if self.store is None:
                raise CasecoachError(store_words("not_open"))
            versions = exercises.history(self.store, self.exercise)
        except CasecoachError as exc:
            self._message.value = _render.notice_html(f"Not exported: {exc}", alert=True)
            return ""
        csv = exercises.export_csv(versions, names_shown=self.exercise.names_shown,
                                   exercise=self.exercise)
        self._download.value = _render.download_link(f"exercise-{self.exercise.code}.csv",
                                                      "text/csv", csv.encode("utf-8"))
        return csv

    def _labels(self) -> dict[str, str]:
        shown = self.exercise.names_shown if self.exercise else False
        return {e.trainee: (e.shown_name if shown else f"Trainee {i}")
                for i, e in enumerate(self.entries or [], start=1)}

    def _set(self, **state) -> None:
        if self.exercise is None:
            return
        try:
            if self.store is None:
                raise CasecoachError(store_words("not_open"))
            self.exercise = exercises.set_state(self.store, self.exercise, **state)
            self.refresh()
            if "names_shown" in state and self._download.value:
                self.export()  # a link made before would still hold the other choice
        except CasecoachError as exc:
            self._message.value = _render.notice_html(f"Not changed: {exc}", alert=True)

    def _opened(self) -> None:
        self._controls.layout.display = "flex"
        self.list_mine()
        self._message.value = ""
        self._names.value = self.exercise.names_shown
        self._seen = ()
        self.refresh()
        self._code.value = _render.join_code_html(self.exercise)
        self._tick()

    def _tick(self) -> None:
        loop = running_loop()
        if loop is None:
            return
        self.poll()
        if self.exercise is not None and not self.exercise.closed:
            self._timer = loop.call_later(self.refresh_seconds, self._tick)

    def poll(self) -> bool:
        """One look for new submissions, as the timer takes it: a store that fails is said, with
        when the wall was last up to date, and the wall catches up by itself when it is back.
        True when the wall is up to date."""
        try:
            self.refresh()
        except CasecoachError:
            if self._behind_since is None:
                self._behind_since = self.updated_at or datetime.now()
            self._message.value = _render.notice_html(store_words(
                "wall_behind", at=f"{self._behind_since:%H:%M:%S}"), alert=True)
            return False
        if self._behind_since is not None:
            self._message.value = _render.notice_html(store_words(
                "wall_caught_up", at=f"{self.updated_at:%H:%M:%S}",
                since=f"{self._behind_since:%H:%M:%S}"))
            self._behind_since = None
        return True


class TraineeExercise(w.VBox):
    """Join with the code, rewrite the goal with live feedback, submit and revise."""

    store = ProcessStore()

    revision = traitlets.Int(0, help="How many times this trainee has submitted.")
    pending = traitlets.Bool(False, help="True while a submission waits for the store to answer "
                                         "(it is sent again by itself).")

    def __init__(self, store: Store | None = None, trainee: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.store = store
        self.exercise: exercises.Exercise | None = None
        self.coach: GoalCoach | None = None
        self.row = None  # a ChartRowEditor in a chart-row exercise
        self._sent = None    # the answer the store last took, to tell a revision not yet sent
        self._resend: asyncio.TimerHandle | None = None
        self._name = w.Text(value="" if trainee == "local" else trainee, description="Your name",
                            style={"description_width": "initial"})
        self._name.add_class("cc-trainee-name")
        _signed_in(self._name)
        self._code = w.Text(description="Code", placeholder="From your supervisor")
        self._code.add_class("cc-join-input")
        join = w.Button(description="Join", button_style="primary")
        join.add_class("cc-join")
        join.on_click(lambda _b: self.join(self._code.value))
        self._message = live(w.HTML())  # "Submitted." is read out; errors are alerts
        self._message.add_class("cc-exercise-message")
        self._slot = w.VBox()
        self.children = [w.HBox([self._name, self._code, join]), self._message, self._slot]
        self.add_class("cc-trainee-exercise")
        self.recorder = Recorder(JOIN_PAGE, store_=self.store)

    def follow(self, trainee: str, cohort: str = "", code: str = "") -> None:
        """Work as this trainee (their name fills the box if it is empty) and join `code`, e.g.
        from the start page's link back to an exercise."""
        if trainee and trainee != course.ANONYMOUS and not self._name.value.strip():
            self._name.value = trainee
        self.recorder.cohort = cohort
        if code and self.exercise is None:
            self._code.value = code
            self.join(code)

    def join(self, code: str) -> None:
        if self.store is None:
            self._say(store_words("join_failed"), ok=False)
            return
        try:
            exercise = exercises.join(self.store, code)
        except StoreUnavailable:
            self._say(store_words("join_failed"), ok=False)
            return
        except CasecoachError as exc:
            self._say(str(exc), ok=False)
            return
        if exercise.closed:  # told at once, not after writing an answer
            self._say(section("messages.yaml", "room")["closed_on_join"].format(
                code=exercise.code), ok=False)
            return
        self.exercise = exercise
        send = w.Button(description="Submit to the wall", button_style="success")
        send.add_class("cc-submit")
        send.on_click(lambda _b: self.submit())
        if self.exercise.kind == exercises.CHART_ROW:
            from widgets.assessment_chart import ChartRowEditor  # only chart-row rooms load it

            self.coach = None
            self.row = ChartRowEditor(self.exercise.scenario, self.exercise.domain,
                                      actions=[send])
            self._slot.children = [self.row]
            self.row.observe(lambda _c: self._edited(), names="cells")
            task = "Read the intake, fill in the row, then submit"
        elif self.exercise.kind == exercises.RESPONSE:
            from widgets.first_meeting import ResponseCoach  # only response rooms load it

            self.row = None
            self.coach = ResponseCoach(self.exercise.scenario, self.exercise.client_line,
                                       actions=[send])
            self._slot.children = [self.coach]
            self.coach.observe(lambda _c: self._edited(), names="value")
            task = "Write what you would say to the client, then submit"
        elif self.exercise.kind == exercises.FOLLOW_UP:
            from widgets.follow_ups import EventAnswer  # only follow-up rooms load it

            self.row = None
            self.coach = EventAnswer(self.exercise.scenario, self.exercise.event,
                                     actions=[send])
            self._slot.children = [self.coach]
            self.coach.observe(lambda _c: self._edited(), names="value")
            task = section("messages.yaml", "group")["trainee_follow_up"]
        else:
            self.row = None
            self.coach = GoalCoach(GoalItem(self.exercise.scenario, self.exercise.goal),
                                   models=False, actions=[send])
            self._slot.children = [self.coach]
            self.coach.observe(lambda _c: self._edited(), names="value")
            task = "Rewrite the goal, then submit"
        self._say(f"Joined exercise {self.exercise.code}. {task}; you can revise and submit "
                  f"again.")

    def submit(self) -> int | None:
        if self.exercise is None or (self.coach is None and self.row is None):
            return None
        answer = self.row.cells if self.row is not None else self.coach.value
        _signed_in(self._name)  # in room mode the login, whatever the box was made to hold
        try:
            if self.store is None:
                raise StoreUnavailable("failed", "", store_words("not_open"))
            # The person: this name with this browser's id (the login in room mode).
            self.revision = exercises.submit(self.store, self.exercise,
                                             person(self._name.value), answer)
        except StoreUnavailable:
            # Not stored: the text stays on screen, and is sent again by itself (the latest
            # version then) once the store answers.
            self.pending = True
            self._say(store_words("submit_pending"), ok=False)
            self._resend_later()
            return None
        except CasecoachError as exc:
            self._say(str(exc), ok=False)
            return None
        if self.coach is not None:
            self.coach.check()
        self.recorder.owner = self._name.value.strip()
        self.recorder.attempt()
        self.recorder.note(course.wording("exercise", code=self.exercise.code, n=self.revision),
                           code=self.exercise.code)
        resent, self.pending = self.pending, False
        self._sent = dict(answer) if isinstance(answer, dict) else answer
        self._say(store_words("resent", n=self.revision) if resent else self._submitted())
        return self.revision

    def _submitted(self) -> str:
        return "Submitted." if self.revision == 1 else f"Revision {self.revision} submitted."

    def _current(self):
        return dict(self.row.cells) if self.row is not None else \
            (self.coach.value if self.coach is not None else None)

    def _edited(self) -> None:
        """After a submission, say whether what is on screen is still what the wall has: a
        revision typed but not sent must not sit under an old "Submitted."."""
        if self._sent is None or self.pending:
            return
        if self._current() == self._sent:
            self._say(self._submitted())
        else:
            self._say(store_words("changed", n=self.revision))

    def _resend_later(self) -> None:
        loop = running_loop()
        if loop is None or self._resend is not None:
            return
        self._resend = loop.call_later(retry_seconds(), self._send_again)

    def _send_again(self) -> None:
        self._resend = None
        if self.pending:
            self.submit()

    def _say(self, text: str, ok: bool = True) -> None:
        css, role = ("cc-count", "") if ok else ("cc-error", ' role="alert"')
        self._message.value = f'<span class="{css}"{role}>{escape(text)}</span>'


def _short(text: str, words: int = 14) -> str:
    """The start of a long text, for a picker's option."""
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def _signed_in(box: w.Text) -> None:
    """In room mode a name box holds the Hub login and cannot be changed: the login is who
    this is. Outside room mode the box is left as it is."""
    try:
        here = room.visitor()
    except room.NoLogin:  # page_visit says so on the page; the box stays empty and locked
        box.value, box.disabled = "", True
        return
    if here is not None:
        box.value, box.disabled = here.user, True
        box.tooltip = section("messages.yaml", "room")["signed_in"].format(user=here.user)


class StartPage(w.VBox):
    """The trainee's name and cohort, carried to every module link, and their progress."""

    store = ProcessStore()

    def __init__(self, trainee: str = "", cohort: str = "", store: Store | None = None,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.store = store
        self._name = w.Text(value="" if trainee == "local" else trainee, description="Your name",
                            placeholder="So your work is kept for you",
                            style={"description_width": "initial"})
        self._name.add_class("cc-start-name")
        _signed_in(self._name)
        self._cohort = w.Text(value=cohort, description="Cohort code (optional)",
                              style={"description_width": "initial"})
        self._cohort.add_class("cc-start-cohort")
        self._cards = w.HTML()
        self._cards.add_class("cc-start-modules")
        for part in (self._name, self._cohort):
            part.observe(lambda _c: self._draw(), names="value")
        self.children = [w.HBox([self._name, self._cohort]), self._cards]
        self._draw()
        when_store_back(self._draw)

    def _draw(self) -> None:
        name, cohort = self._name.value.strip(), self._cohort.value.strip()
        done, notes, unknown = {}, {}, ""
        if name:
            try:
                if self.store is None:
                    raise CasecoachError(store_words("not_open"))
                # This person's progress (name and browser id); rows kept under the bare name
                # before browsers had ids count until this person records their own.
                done = {r["module"]: r for r in self.store.progress_rows(name)}
                if person(name) != name:
                    done.update({r["module"]: r for r in self.store.progress_rows(person(name))})
                notes = course.load_notes(self.store, person(name))
            except CasecoachError:
                # The links still work; the cards do not claim "not started" meanwhile.
                unknown = store_words("progress_unknown")
        beside = [p for p in course.pages() if not p.in_course and not p.progress]
        self._cards.value = _render.module_cards_html(course.tracked(), name, cohort, done,
                                                      notes, beside, unknown=unknown)


class ProgressDashboard(w.VBox):
    """Cohort × module progress for a supervisor, with a CSV export."""

    store = ProcessStore()

    def __init__(self, store: Store | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.store = store
        self.table = None
        if room_refusal("06-group-exercise") is not None:
            return  # a trainee in room mode never reads anyone's progress (the wall says why)
        self._table = w.HTML()
        self._table.add_class("cc-progress-table")
        refresh = w.Button(description="Refresh")
        refresh.on_click(lambda _b: self.refresh())
        export = w.Button(description="Export CSV")
        export.on_click(lambda _b: self.export())
        self._download = w.HTML()
        self.children = [w.HBox([refresh, export]), self._download, self._table]
        self.refresh()
        when_store_back(self.refresh)

    def refresh(self):
        """Read the table again; None (and a notice in its place) while the store fails."""
        try:
            if self.store is None:
                raise CasecoachError(store_words("not_open"))
            self.table = exercises.progress_table(self.store, list(MODULES))
        except CasecoachError:
            self.table = None
            self._table.value = _render.notice_html(store_words("progress_failed"))
            return None
        self._table.value = self.table.to_html(index=False, escape=True, classes="cc-table",
                                               border=0)
        return self.table

    def export(self) -> str:
        table = self.refresh()
        if table is None:
            return ""
        csv = exercises.progress_csv(table)
        self._download.value = _render.download_link("progress.csv", "text/csv",
                                                      csv.encode("utf-8"))
        return csv
