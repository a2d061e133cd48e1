"""ipywidgets views over casecoach: state in traitlets, no domain rules.

Views are imported on first use, so a page loads only what it shows: a trainee's exercise page
does not pay for pandas, the chart or the PDF export (see bench/kernel_memory.py).
"""

from importlib import import_module

_WHERE = {
    "AssessmentChart": "assessment_chart", "AssessmentModule": "assessment_chart",
    "ChartRowEditor": "assessment_chart",
    "GoalCoach": "goal_coach", "GoalDrill": "goal_coach", "GoalPractice": "goal_coach",
    "PlanBuilder": "plan_builder", "PlanModule": "plan_builder", "PriorityModule": "plan_builder",
    "PriorityPicker": "plan_builder", "Workspace": "plan_builder",
    "ProgressDashboard": "group", "StartPage": "group", "SupervisorWall": "group",
    "TraineeExercise": "group",
    "FollowUpCase": "follow_ups", "FollowUpModule": "follow_ups",
    "CourseHeader": "page", "page_user": "page", "page_visit": "page", "visit_param": "page",
    "theme": "_theme",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'widgets' has no attribute {name!r}")
    return getattr(import_module(f"widgets.{_WHERE[name]}"), name)


def __dir__() -> list[str]:
    return __all__
