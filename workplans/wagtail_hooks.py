"""Admin registration for workplans: policies first, then the viewsets, reports and log actions."""

from django.urls import reverse
from wagtail import hooks

from members.permissions import register_scoped_policy

# --- Money: budgets, expense claims, involvement payments, rates, benefits advice ---
from .models import BudgetLine, ExpenseClaim, InvolvementPayment

for model in (BudgetLine, ExpenseClaim, InvolvementPayment):
    register_scoped_policy(model)


@hooks.register("register_admin_viewset")
def register_money_viewsets():
    # A menu group of its own: the finance team's daily work, beside the workplans.
    from .viewsets.money import MoneyViewSetGroup

    return MoneyViewSetGroup()


@hooks.register("register_admin_urls")
def register_money_report_urls():
    from django.urls import include, path

    from .money_views import BudgetReportView, TaxYearTotalsView

    urls = [
        path("budget/", BudgetReportView.as_view(), name="budget"),
        path("budget/results/", BudgetReportView.as_view(results_only=True), name="budget_results"),
        path("tax-year/", TaxYearTotalsView.as_view(), name="tax_year"),
        path("tax-year/results/", TaxYearTotalsView.as_view(results_only=True), name="tax_year_results"),
    ]
    return [path("money-reports/", include((urls, "workplans_money"), namespace="workplans_money"))]


@hooks.register("register_reports_menu_item")
def register_budget_report_menu_item():
    from members.wagtail_hooks import PermissionMenuItem

    from .money_views import BUDGET_PERMISSION

    return PermissionMenuItem(
        "Budget: planned and actual",
        reverse("workplans_money:budget"),
        name="budget",
        icon_name="pick",
        order=210,
        permission=BUDGET_PERMISSION,
    )
