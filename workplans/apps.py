from django.apps import AppConfig


class WorkplansConfig(AppConfig):
    """Workplans, milestones, budgets, claims and payments (issue 6 builds them)."""

    name = "workplans"
