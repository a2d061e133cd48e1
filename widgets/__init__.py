"""ipywidgets views over casecoach: state in traitlets, no domain rules."""

from widgets.assessment_chart import AssessmentChart, AssessmentModule
from widgets.goal_coach import GoalCoach, GoalDrill, GoalPractice
from widgets.group import (ProgressDashboard, StartPage, SupervisorWall,
                           TraineeExercise)
from widgets.page import page_user, page_visit
from widgets.plan_builder import (PlanBuilder, PlanModule, PriorityModule, PriorityPicker,
                                   Workspace)
from widgets.theme import theme

__all__ = ["AssessmentChart", "AssessmentModule", "GoalCoach", "GoalDrill", "GoalPractice",
           "PlanBuilder", "PlanModule", "PriorityModule", "PriorityPicker", "ProgressDashboard",
           "StartPage", "SupervisorWall", "TraineeExercise", "Workspace", "page_user", "page_visit",
           "theme"]
