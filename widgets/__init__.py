"""ipywidgets views over casecoach: state in traitlets, no domain rules."""

from widgets.goal_coach import GoalCoach, GoalDrill, GoalPractice
from widgets.theme import theme

__all__ = ["GoalCoach", "GoalDrill", "GoalPractice", "theme"]
