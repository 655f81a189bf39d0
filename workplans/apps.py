from django.apps import AppConfig


class WorkplansConfig(AppConfig):
    """Workplans, milestones, budgets, claims and payments (issue 6 builds them)."""

    name = "workplans"

    def ready(self):
        # Feedback comes in through the members import flow; members may not import us,
        # so we register with it (here rather than in wagtail_hooks: Celery workers run this too).
        from members.enums import ImportKind
        from members.services.imports import register_import

        from .feedback_resources import FeedbackItemResource
        from .models import FeedbackItem

        register_import(ImportKind.FEEDBACK, FeedbackItemResource, FeedbackItem)
