"""ipywidgets views over casecoach: state in traitlets, no domain rules."""

from widgets.assessment_chart import AssessmentChart, AssessmentModule
from widgets.goal_coach import GoalCoach, GoalDrill, GoalPractice
from widgets.page import page_user
from widgets.theme import theme

__all__ = ["AssessmentChart", "AssessmentModule", "GoalCoach", "GoalDrill", "GoalPractice", "page_user",
           "theme"]
