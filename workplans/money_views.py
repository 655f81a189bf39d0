"""Money screens beyond Wagtail's generic ones: claim and payment actions, receipts, reports.

Each action view finds its record through the user's scope (another MNVP's record
answers 404, so its existence does not leak), refuses a user whose role lacks the
action's permission (Wagtail's usual denial), then calls a service, which enforces
the rules again. Nothing is decided here.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permissions import policy_registry

from cms.audit import AuditedActionMixin
from cms.forms import add_service_errors
from members.admin_views import FormulaSafeExportMixin
from members.report_views import MNVPReportView, ReportPartnershipFilterSet
from members.scoping import user_can

from .models import ExpenseClaim, ExpenseItem, InvolvementPayment
from .models.plans import financial_year_label, financial_year_of
from .money import tax_year_label, tax_year_of
from .money_forms import ConfirmForm, ExpenseItemForm, MarkPaidForm, PaymentPaidForm, RejectClaimForm
from .services import claims as claim_services
from .services import payments as payment_services
from .services.budgets import budget_summary

BUDGET_PERMISSION = "workplans.view_budgetline"
TAX_YEAR_PERMISSION = "workplans.pay_involvementpayment"


class ScopedRecordActionView(AuditedActionMixin, WagtailAdminTemplateMixin, FormView):
    """An action on one MNVP record: found in the user's view scope, acted on in their change scope."""

    model = ExpenseClaim
    permission = ""  # the role's permission this action needs
    template_name = "wagtailadmin/generic/form.html"
    form_class = ConfirmForm
    submit_button_label = "Confirm"
    success_message = ""
    header_icon = "form"

    def dispatch(self, request, *args, **kwargs):
        policy = policy_registry.get_by_type(self.model)
        visible = policy.instances_user_has_permission_for(request.user, "view")
        self.object = get_object_or_404(self.get_queryset(visible), pk=kwargs["pk"])
        if not request.user.has_perm(self.permission) or not user_can(request.user, "change", self.object):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self, visible):
        return visible

    def get_page_subtitle(self):
        return str(self.object)

    def get_success_url(self):
        return reverse(f"{self.url_namespace}:inspect", args=[self.object.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=self.request.path,
            object=self.object,
            submit_button_label=self.submit_button_label,
            **kwargs,
        )

    def act(self, data):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.act(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())

    def form_invalid(self, form):
        for error in form.non_field_errors():
            messages.error(self.request, error)
        return super().form_invalid(form)


# Expense claims ---------------------------------------------------------------------------


class ClaimActionView(ScopedRecordActionView):
    model = ExpenseClaim
    url_namespace = "expense_claims"
    header_icon = "doc-full"

    def get_queryset(self, visible):
        return visible.select_related("claimant", "partnership")


class SubmitClaimView(ClaimActionView):
    permission = claim_services.CHANGE_PERMISSION
    page_title = "Submit the claim"
    submit_button_label = "Submit for approval"
    success_message = "Claim submitted for approval."

    def act(self, data):
        claim_services.submit_claim(claim=self.object, acting_user=self.request.user)


class ApproveClaimView(ClaimActionView):
    permission = claim_services.APPROVE_PERMISSION
    page_title = "Approve the claim"
    submit_button_label = "Approve"
    success_message = "Claim approved: the host team will pay it."

    def act(self, data):
        claim_services.approve_claim(claim=self.object, acting_user=self.request.user)


class RejectClaimView(ClaimActionView):
    permission = claim_services.APPROVE_PERMISSION
    form_class = RejectClaimForm
    page_title = "Reject the claim"
    submit_button_label = "Reject"
    success_message = "Claim rejected."

    def act(self, data):
        claim_services.reject_claim(claim=self.object, acting_user=self.request.user, reason=data["reason"])


class MarkClaimPaidView(ClaimActionView):
    permission = claim_services.PAY_PERMISSION
    form_class = MarkPaidForm
    page_title = "Record the payment"
    submit_button_label = "Record as paid"
    success_message = "Claim recorded as paid."

    def act(self, data):
        claim_services.mark_claim_paid(
            claim=self.object,
            acting_user=self.request.user,
            paid_on=data["paid_on"],
            reference=data["reference"],
        )


class AddExpenseItemView(ClaimActionView):
    permission = claim_services.CHANGE_PERMISSION
    form_class = ExpenseItemForm
    page_title = "Add an item"
    submit_button_label = "Add the item"
    success_message = "Item added."

    def get_context_data(self, **kwargs):
        return super().get_context_data(form_is_multipart=True, **kwargs)

    def act(self, data):
        claim_services.add_expense_item(
            claim=self.object,
            kind=data["kind"],
            spent_on=data["spent_on"],
            description=data["description"],
            miles=data.get("miles"),
            amount=data.get("amount"),
            receipt=data.get("receipt"),
            acting_user=self.request.user,
        )


class RemoveExpenseItemView(ClaimActionView):
    permission = claim_services.CHANGE_PERMISSION
    page_title = "Remove an item"
    submit_button_label = "Remove the item"
    success_message = "Item removed."

    def dispatch(self, request, *args, **kwargs):
        self.item_pk = kwargs["item_pk"]
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def item(self):
        return get_object_or_404(ExpenseItem, pk=self.item_pk, claim=self.object)

    def get_page_subtitle(self):
        return f"{self.item} on {self.item.spent_on:%d %b %Y}"

    def act(self, data):
        claim_services.remove_expense_item(item=self.item, acting_user=self.request.user)


class ReceiptDownloadView(View):
    """A receipt, served only through the claim's scope (private storage has no public URL)."""

    def get(self, request, pk, item_pk):
        policy = policy_registry.get_by_type(ExpenseClaim)
        if not policy.user_has_permission(request.user, "view"):
            raise PermissionDenied
        claims = policy.instances_user_has_permission_for(request.user, "view")
        item = get_object_or_404(ExpenseItem.objects.filter(claim__in=claims), pk=item_pk, claim_id=pk)
        if not item.receipt:
            raise Http404
        extension = item.receipt.name.rsplit(".", 1)[-1]
        name = f"receipt-claim-{pk}-item-{item.pk}.{extension}"
        return FileResponse(item.receipt.open("rb"), as_attachment=True, filename=name)


# Involvement payments -----------------------------------------------------------------------


class PaymentActionView(ScopedRecordActionView):
    model = InvolvementPayment
    url_namespace = "involvement_payments"
    header_icon = "pick"

    def get_queryset(self, visible):
        return visible.select_related("person", "partnership")


class MarkPaymentPaidView(PaymentActionView):
    permission = payment_services.PAY_PERMISSION
    form_class = PaymentPaidForm
    page_title = "Record the payment"
    submit_button_label = "Record as paid"
    success_message = "Payment recorded as paid."

    def act(self, data):
        payment_services.mark_payment_paid(
            payment=self.object,
            acting_user=self.request.user,
            paid_on=data["paid_on"],
            reference=data["reference"],
        )


class CancelPaymentView(PaymentActionView):
    permission = payment_services.CHANGE_PERMISSION
    page_title = "Cancel the payment"
    submit_button_label = "Cancel the payment"
    success_message = "Payment cancelled."

    def act(self, data):
        payment_services.cancel_payment(payment=self.object, acting_user=self.request.user)


# Reports ------------------------------------------------------------------------------------


class BudgetFilterSet(ReportPartnershipFilterSet):
    year = django_filters.NumberFilter(
        label="Financial year starting",
        method="keep_all",
        widget=forms.NumberInput(attrs={"min": 2020, "max": 2100}),
        help_text="2026 for 2026/27. Empty: the current financial year.",
    )


class BudgetReportView(FormulaSafeExportMixin, MNVPReportView):
    """Planned against actual per budget line, per MNVP and for the host, as bars and tables."""

    page_title = "Budget: planned and actual"
    header_icon = "pick"
    template_name = "workplans/admin/reports/budget.html"
    results_template_name = "workplans/admin/reports/budget_results.html"
    index_url_name = "workplans_money:budget"
    index_results_url_name = "workplans_money:budget_results"
    filterset_class = BudgetFilterSet
    permission_name = BUDGET_PERMISSION
    export_filename = "budget"
    list_export = ["mnvp", "year", "line", "agreed", "committed", "spent", "remaining", "awaiting"]
    export_headings = {
        "mnvp": "MNVP",
        "year": "Financial year",
        "line": "Budget line",
        "agreed": "Agreed (£)",
        "committed": "Committed (£)",
        "spent": "Spent (£)",
        "remaining": "Remaining (£)",
        "awaiting": "Claims awaiting approval (£)",
    }

    @cached_property
    def year(self) -> int:
        return self.filter_value("year") or financial_year_of(timezone.localdate())

    def build_report(self):
        partnership = self.filter_value("partnership")
        return budget_summary(
            user=self.request.user, partnerships=[partnership] if partnership else None, year=self.year
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(year_label=financial_year_label(self.year), **kwargs)

    def export_rows(self):
        return [
            {
                "mnvp": str(budget.partnership),
                "year": budget.workplan.year_label,
                "line": line.label,
                "agreed": line.agreed,
                "committed": line.committed,
                "spent": line.spent,
                "remaining": line.remaining,
                "awaiting": line.awaiting,
            }
            for budget in self.report.workplans
            for line in budget.lines
        ]


class TaxYearFilterSet(ReportPartnershipFilterSet):
    tax_year = django_filters.NumberFilter(
        label="Tax year starting",
        method="keep_all",
        help_text="2026 for 6 April 2026 to 5 April 2027. Empty: the current tax year.",
    )


class TaxYearTotalsView(FormulaSafeExportMixin, MNVPReportView):
    """Involvement payments paid to each person in a tax year: earnings, for payroll and HMRC."""

    page_title = "Involvement payments by tax year"
    header_icon = "pick"
    template_name = "workplans/admin/reports/tax_year.html"
    results_template_name = "workplans/admin/reports/tax_year_results.html"
    index_url_name = "workplans_money:tax_year"
    index_results_url_name = "workplans_money:tax_year_results"
    filterset_class = TaxYearFilterSet
    permission_name = TAX_YEAR_PERMISSION
    export_filename = "involvement-payments-by-tax-year"
    list_export = ["email", "name", "tax_year_label", "payments", "total"]
    export_headings = {
        "email": "Email",
        "name": "Name",
        "tax_year_label": "Tax year",
        "payments": "Payments",
        "total": "Total paid (£)",
    }

    def dispatch(self, request, *args, **kwargs):
        if request.GET.get("export") and not request.user.has_perm("workplans.export_involvementpayment"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def tax_year(self) -> int:
        return self.filter_value("tax_year") or tax_year_of(timezone.localdate())

    def build_report(self):
        payments = InvolvementPayment.objects.for_user(self.request.user)
        partnership = self.filter_value("partnership")
        if partnership:
            payments = payments.filter(partnership=partnership)
        return payment_services.tax_year_totals(payments, tax_year=self.tax_year)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tax_year_label=tax_year_label(self.tax_year), **kwargs)

    def export_rows(self):
        return [vars(row) | {"tax_year_label": row.tax_year_label} for row in self.report]
