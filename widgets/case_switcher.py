"""A case picker over one view per case: the shared frame of the practice modules."""

from __future__ import annotations

from typing import Sequence

import ipywidgets as w
import traitlets

from casecoach.scenarios import Scenario, get_scenario, scenario_ids


class CaseSwitcher(w.VBox):
    """Pick a case; each case's view is made on first use and kept, so work survives switching."""

    selected = traitlets.Unicode(help="Id of the case whose view is shown.")

    def __init__(self, ids: Sequence[str] | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        ids = list(ids or scenario_ids())
        self.scenarios = {i: get_scenario(i) for i in ids}
        self._views: dict[str, w.Widget] = {}
        self._picker = w.Dropdown(options=[(s.title, i) for i, s in self.scenarios.items()],
                                  description="Case", style={"description_width": "initial"},
                                  layout=w.Layout(width="100%"))
        self._picker.add_class("cc-case-picker")
        self._slot = w.Box(layout=w.Layout(width="100%"))
        self.children = [self._picker, self._slot]
        w.link((self._picker, "value"), (self, "selected"))
        self.observe(lambda change: self._show(change["new"]), names="selected")
        self.selected = ids[0]
        self._show(ids[0])

    def follow(self, owner: str, cohort: str = "", case: str = "") -> None:
        """Work as this trainee; `case` (a case id from the page's address) is shown if known.
        Subclasses whose views keep drafts take up the trainee's drafts first."""
        if case in self.scenarios:
            self.selected = case

    def view(self, scenario_id: str | None = None) -> w.Widget:
        scenario_id = scenario_id or self.selected
        if scenario_id not in self._views:
            self._views[scenario_id] = self.make(self.scenarios[scenario_id])
        return self._views[scenario_id]

    def make(self, scenario: Scenario) -> w.Widget:
        """The view of one case; subclasses say which."""
        raise TypeError(f"{type(self).__name__} must define make()")

    def _show(self, scenario_id: str) -> None:
        self._slot.children = [self.view(scenario_id)]
