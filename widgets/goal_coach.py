"""The goal coach: rewrite a referral goal and see SMART(S) feedback as you type."""

from __future__ import annotations

from datetime import datetime, timezone
from html import escape
from typing import Sequence

import ipywidgets as w
import traitlets

from casecoach._data import section
from casecoach.course import wording
from casecoach.errors import CasecoachError
from casecoach.goals import GoalReview, review_goal
from casecoach.practice import (GoalItem, add_to_history, debounce_seconds, draw, goal_bank,
                                history_entry, merge_coach_draft, not_checked, summarise_drill)
from casecoach.store import Store
from widgets import _render
from widgets._a11y import captioned, live
from widgets._services import Debounce, ProcessStore, Recorder

MODULE = "01-smart-goals"
# Drafts: one per trainee and referral goal (the rewrite, attempts, history); one drill per trainee.
COACH_KIND, DRILL_KIND, DRILL_ITEM = "goal-coach", "goal-drill", "current"


_WORD_ENDS = set(" \n\t.,;:!?)")


class GoalCoach(w.VBox):
    """One referral goal of one case: the trainee's rewrite, its review, the model after a try."""

    value = traitlets.Unicode("", help="The trainee's rewrite of the referral goal.")
    attempts = traitlets.Int(0, help="How many times the trainee pressed Check on a real attempt.")
    models_visible = traitlets.Bool(False, help="Whether the model rewrites are shown.")
    history = traitlets.List(help="The trainee's checked rewrites of this goal, newest first: "
                                  "text, when, verdict.")
    debounce = traitlets.Float(help="Seconds to wait after the last keystroke before reviewing; "
                                    "0 reviews on every change.")

    @traitlets.default("debounce")
    def _default_debounce(self) -> float:
        return debounce_seconds()

    def __init__(self, item: GoalItem, models: bool = True, on_attempt=None,
                 actions: Sequence[w.Widget] = (), **kwargs) -> None:
        """`actions` are more buttons beside Check (above the feedback, so a review that grows
        while the trainee clicks cannot move them)."""
        super().__init__(**kwargs)
        self.item = item
        self._show_models_after_attempt = models
        self._on_attempt = on_attempt
        self.review: GoalReview | None = None
        self._context = item.scenario.context()
        self._later = Debounce(self._refresh)

        original = review_goal(item.goal.text, self._context)
        self._referral = w.HTML(_render.referral_html(item.scenario, item.goal.text, original))
        self._input = w.Textarea(
            placeholder=f"Rewrite it here, e.g. “Within 30 days, {item.scenario.first_name} "
                        f"will … using …”",
            continuous_update=True, layout=w.Layout(width="100%", height="5.5em"))
        self._input.add_class("cc-goal-input")
        captioned(self._input, "Your SMART(S) rewrite")
        self._check = w.Button(description="Check my goal", button_style="primary",
                               tooltip="Review the goal now and count it as an attempt")
        self._check.add_class("cc-check")
        self._count = w.HTML(self._count_text())
        self._count.add_class("cc-attempts")
        self._why = w.HTML()
        self._why.add_class("cc-not-checked")
        self._history = w.HTML()
        self._history.add_class("cc-history")
        self._feedback = w.HTML(_render.review_html("", None))
        self._feedback.add_class("cc-feedback")
        # Read out: the verdict and the summary line, only when they change (not the checklist).
        self._announce = live(w.HTML())
        self._announce.add_class("cc-sr-only")
        self._models = w.HTML("", layout=w.Layout(display="none"))
        self._models.add_class("cc-models-box")
        client = w.HTML(_render.client_html(item.scenario))
        client.add_class("cc-side")

        main = w.VBox([self._referral,
                       self._input, w.HBox([self._check, *actions, self._count]),
                       self._why, self._announce, self._feedback, self._models, self._history])
        main.add_class("cc-main")
        row = w.Box([main, client])
        row.add_class("cc-row")
        self.children = [row]
        self.add_class("cc-coach")

        w.link((self._input, "value"), (self, "value"))
        self.observe(self._typed, names="value")
        self.observe(self._show_models, names="models_visible")
        self.observe(lambda _c: self._draw_counts(), names=["attempts", "history"])
        self._check.on_click(self._checked)

    @traitlets.validate("attempts", "debounce")
    def _non_negative(self, proposal):
        if proposal["value"] < 0:
            raise traitlets.TraitError(f"{proposal['trait'].name} cannot be negative")
        return proposal["value"]

    @property
    def not_checked(self) -> str | None:
        """Why the rewrite as it stands is not an attempt (too short, unchanged), or None."""
        return not_checked(self.item.goal.text, self.value)

    def check(self) -> GoalReview | None:
        """Review now, as the Check button does, and count a real attempt (with its verdict in
        the history); a rewrite that is not one says why it was not checked."""
        self._later.cancel()
        review = self._refresh()
        why = self.not_checked
        self._why.value = (f'<span class="cc-warning" role="alert">{escape(why)}</span>' if why
                           else "")
        if review is not None and why is None:
            now = datetime.now(timezone.utc).isoformat(timespec="seconds")
            self.attempts += 1
            self.history = add_to_history(self.history,
                                          history_entry(self.value.strip(), review, now))
            self.models_visible = self._show_models_after_attempt
            if self._on_attempt is not None:
                self._on_attempt(review)
        return review

    def restore(self, body: dict) -> None:
        """Take up a saved draft (state()): the rewrite, the attempts and the history."""
        self.value = str(body.get("text", ""))
        self.history = [h for h in body.get("history", []) if isinstance(h, dict)]
        self.attempts = max(0, int(body.get("attempts", len(self.history))))
        if self.attempts:
            self.models_visible = self._show_models_after_attempt
        self._later.cancel()
        self._refresh()

    def state(self) -> dict:
        """What a draft keeps of this goal: the rewrite, the attempts and the history."""
        return {"text": self.value, "attempts": self.attempts, "history": list(self.history)}

    def _typed(self, change) -> None:
        # A finished word (the text ends in a space or punctuation) is reviewed at once; a word
        # still being typed waits for a pause, so the checklist never judges half a word.
        self._later(self.debounce, now=change["new"][-1:] in _WORD_ENDS)

    def _refresh(self) -> GoalReview | None:
        text = self.value.strip()
        try:
            self.review = review_goal(text, self._context) if text else None
        except CasecoachError as exc:  # too long, or not text: say so, and keep reviewing
            self.review = None
            self._feedback.value = _render.notice_html(
                section("messages.yaml", "plan")["review_unreadable"].format(error=exc.message),
                alert=True)
            return None
        self._feedback.value = _render.review_html(text, self.review)
        self._announce.value = escape(_render.review_summary_text(self.review))
        return self.review

    def _checked(self, _button) -> None:
        self.check()

    def _draw_counts(self) -> None:
        self._count.value = self._count_text()
        self._history.value = _render.history_html(self.history)

    def _count_text(self) -> str:
        if not self.attempts:
            return '<span class="cc-count">No attempts yet</span>'
        plural = "s" if self.attempts != 1 else ""
        return f'<span class="cc-count">{self.attempts} attempt{plural}</span>'

    def _show_models(self, change) -> None:
        if change["new"]:
            self._models.value = _render.models_html(self.item.scenario, self.item.goal.id)
            self._models.layout.display = "block"
        else:
            self._models.layout.display = "none"


class _Drafts:
    """Where a trainee's goal-module work is kept: the store, under the trainee (their name with
    this browser's id, widgets.page.person)."""

    store = ProcessStore()

    def __init__(self, store: Store | None, owner: str) -> None:
        self.store, self.owner = store, owner

    def who(self) -> str:
        from widgets.page import current_visit, person

        try:
            return person(self.owner or current_visit()[0])
        except CasecoachError:
            return ""  # a name that cannot be kept: no draft

    def load(self, kind: str, item: str) -> dict | None:
        if self.store is None or not self.who():
            return None
        try:
            body = self.store.load_draft(self.who(), kind, item)
        except CasecoachError:
            return None
        return body if isinstance(body, dict) else None

    def save(self, kind: str, item: str, body: dict) -> None:
        if self.store is None or not self.who():
            return
        try:
            self.store.save_draft(self.who(), kind, item, body)
        except CasecoachError:
            pass  # the page keeps working; the next change tries again


class GoalPractice(w.VBox):
    """Pick any referral goal of the given cases and rewrite it with the goal coach; each goal's
    rewrite, attempts and history are a draft of the trainee's, restored on the next visit."""

    selected = traitlets.Unicode(help="Key (case/goal) of the referral goal being practised.")

    def __init__(self, scenario_ids: Sequence[str] | None = None, owner: str = "",
                 cohort: str = "", store: Store | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.recorder = Recorder(MODULE, owner, cohort, store)
        self._drafts = _Drafts(store, owner)
        self.bank = goal_bank(scenario_ids)
        self._coaches: dict[str, GoalCoach] = {}
        self._saves: dict[str, Debounce] = {}
        self._picker = w.Dropdown(options=[(item.label, item.key) for item in self.bank],
                                  description="Referral goal", layout=w.Layout(width="100%"),
                                  style={"description_width": "initial"})
        self._picker.add_class("cc-picker")
        self._slot = w.Box()
        self.add_class("cc-practice")
        self.children = [self._picker, self._slot]
        w.link((self._picker, "value"), (self, "selected"))
        self.observe(self._select, names="selected")
        self.selected = self.bank[0].key
        self._select({"new": self.selected})

    def follow(self, owner: str, cohort: str = "", goal: str = "") -> None:
        """Work as this trainee from now on: their drafts fill the goals opened so far (and later
        ones); `goal` (a case/goal key, e.g. from the start page's link) is opened."""
        self._drafts.owner = owner
        self.recorder.owner, self.recorder.cohort = owner, cohort
        for key, coach in self._coaches.items():
            self._restore(key, coach)
        if goal in {i.key for i in self.bank}:
            self.selected = goal

    def coach(self, key: str | None = None) -> GoalCoach:
        """The goal coach of one item, made on first use so a trainee's text survives switching."""
        key = key or self.selected
        if key not in self._coaches:
            item = next(i for i in self.bank if i.key == key)
            coach = GoalCoach(item, on_attempt=lambda _r: self.recorder.attempt())
            self._coaches[key] = coach
            self._restore(key, coach)
            # Typing is saved at once, like the chart: a closed page frees its kernel at once,
            # so a save waiting for the typing to pause would be lost with it.
            self._saves[key] = Debounce(lambda: self._save(key))
            coach.observe(lambda _c: self._saves[key](0, now=True), names="value")
            coach.observe(lambda _c: self._saves[key](0, now=True), names="history")
        return self._coaches[key]

    def _restore(self, key: str, coach: GoalCoach) -> None:
        body = self._drafts.load(COACH_KIND, key)
        if body:
            coach.restore(body)

    def _save(self, key: str) -> None:
        coach = self._coaches[key]
        # Another tab of the same trainee may have checked rewrites since this one read the draft.
        self._drafts.save(COACH_KIND, key,
                          merge_coach_draft(self._drafts.load(COACH_KIND, key), coach.state()))
        if coach.attempts or coach.value.strip():
            self.recorder.note(wording("goal", who=coach.item.scenario.first_name,
                                       goal=_short(coach.item.goal.text), n=coach.attempts),
                               slot="goal", goal=key)

    def _select(self, change) -> None:
        self._slot.children = [self.coach(change["new"])]


class GoalDrill(w.VBox):
    """A drill: n referral goals drawn at random, one at a time, then a score (the per-goal
    verdicts) and a review goal by goal. Kept as the trainee's draft, so it can be resumed."""

    position = traitlets.Int(0, help="Index of the goal being worked (n when the drill is done).")

    def __init__(self, n: int = 10, scenario_ids: Sequence[str] | None = None,
                 seed: int | None = None, owner: str = "", cohort: str = "",
                 store: Store | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.recorder = Recorder(MODULE, owner, cohort, store)
        self._drafts = _Drafts(store, owner)
        self._n, self._scenario_ids = n, scenario_ids
        self._save_later = Debounce(self._save)
        self._restoring = False
        self._progress = w.IntProgress(value=0, min=0, max=n, description="Progress")
        self._status = w.HTML()
        self._next = w.Button(description="Next goal", tooltip="Keep this rewrite and go on")
        self._next.add_class("cc-next-goal")
        self._restart = w.Button(description="New drill", layout=w.Layout(display="none"))
        self._restart.add_class("cc-new-drill")
        self._slot = w.Box()
        self._result = w.HTML()
        self._result.add_class("cc-drill-result")
        self.add_class("cc-drill")
        self.children = [w.HBox([self._progress, self._status]), self._slot,
                         w.HBox([self._next, self._restart]), self._result]
        self._next.on_click(lambda _b: self.advance())
        self._restart.on_click(lambda _b: self.new_drill())
        self.observe(self._moved, names="position")
        self._start(draw(goal_bank(scenario_ids), n, seed))

    @traitlets.validate("position")
    def _in_range(self, proposal):
        return max(0, min(proposal["value"], len(self.items)))

    def follow(self, owner: str, cohort: str = "") -> None:
        """Work as this trainee from now on: their unfinished (or last) drill comes back."""
        self._drafts.owner = owner
        self.recorder.owner, self.recorder.cohort = owner, cohort
        body = self._drafts.load(DRILL_KIND, DRILL_ITEM)
        if not body:
            return
        bank = {i.key: i for i in goal_bank(self._scenario_ids)}
        keys = [k for k in body.get("items", []) if k in bank]
        if not keys:
            return
        texts = [str(t) for t in body.get("texts", [])] + [""] * len(keys)
        self._restoring = True
        try:
            self._start([bank[k] for k in keys], texts[:len(keys)])
            position = int(body.get("position", 0))
            for coach in self.coaches[:position]:
                coach.check()
            self.position = position
            self._moved({"new": self.position})
        finally:
            self._restoring = False

    def advance(self) -> None:
        """Review the current rewrite (counting the attempt) and move to the next goal."""
        if self.position < len(self.items):
            self.coaches[self.position].check()
            self.position += 1

    def new_drill(self) -> None:
        """Draw a fresh drill, replacing the kept one."""
        self._start(draw(goal_bank(self._scenario_ids), self._n))
        self._save()

    def state(self) -> dict:
        """What the draft keeps: the goals drawn, the trainee's rewrites, where they are."""
        return {"items": [i.key for i in self.items], "texts": [c.value for c in self.coaches],
                "position": self.position}

    def _start(self, items: list[GoalItem], texts: Sequence[str] = ()) -> None:
        self.items = items
        self.coaches = [GoalCoach(item) for item in items]
        for coach, text in zip(self.coaches, texts):
            coach.value = text
        for coach in self.coaches:
            coach.observe(lambda _c: self._save_later(0, now=True), names="value")
        self._progress.max = len(items)
        self._next.layout.display = "inline-flex"
        self._restart.layout.display = "none"
        self.position = 0
        self._moved({"new": 0})

    def _moved(self, change) -> None:
        index, record = change["new"], not self._restoring
        self._progress.value = index
        total = len(self.items)
        if index < total:
            self._status.value = f'<span class="cc-count">Goal {index + 1} of {total}</span>'
            self._slot.children = [self.coaches[index]]
            self._next.description = "Finish drill" if index == total - 1 else "Next goal"
            self._next.layout.display = "inline-flex"
            self._restart.layout.display = "none"
            self._result.value = ""
            if record:
                self._save()
                if index:
                    self.recorder.note(wording("drill", position=index + 1, n=total),
                                       slot="drill")
            return
        self._slot.children = []
        self._next.layout.display = "none"
        self._restart.layout.display = "inline-flex"
        self._status.value = '<span class="cc-count">Drill complete</span>'
        result = summarise_drill(self.checked())
        self._result.value = _render.drill_html(result, self._review_rows())
        if record:
            self._save()
            self.recorder.attempt(sum(r is not None for r in self.checked()))
            self.recorder.complete(result.passed)
            self.recorder.note(wording("drill_done", score=result.passed, n=result.total),
                               score=result.passed, out_of=result.total, slot="drill",
                               in_progress=False)

    def checked(self) -> list[GoalReview | None]:
        """Each goal's review, or None where the rewrite was not checked (too short, unchanged)."""
        return [c.review if c.not_checked is None else None for c in self.coaches]

    def _review_rows(self) -> list[tuple[GoalItem, str, GoalReview | None, str | None]]:
        return [(c.item, c.value.strip(), c.review if c.not_checked is None else None,
                 c.not_checked) for c in self.coaches]

    def _save(self) -> None:
        self._save_later.cancel()
        self._drafts.save(DRILL_KIND, DRILL_ITEM, self.state())


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
