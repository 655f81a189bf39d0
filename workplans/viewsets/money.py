"""Admin screens for budgets, expense claims, involvement payments, rates and benefits advice.

Every MNVP record goes through :class:`members.admin_views.ScopedModelViewSet`, so
listings, object views and exports are narrowed to the user's MNVPs (another MNVP's
record answers 404). Creating and changing go through the services in
:mod:`workplans.services.claims` and :mod:`workplans.services.payments`, which
enforce the money rules whatever the screen.

The two finance exports are separate listings with separate permissions: the
expenses export (``export_expenseclaim``) and the payroll export of involvement
payments (``export_involvementpayment``). Both hold approved and paid items only,
for the date range the listing's filters give.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminDateInput, HeaderButton

from cms.forms import add_service_errors
from members.admin_views import (
    CalendarDateColumn,
    FormulaSafeExportMixin,
    ScopedAdminModelForm,
    ScopedDeleteView,
    ScopedEditView,
    ScopedIndexView,
    ScopedInspectView,
    ScopedModelViewSet,
)
from members.filters import partnerships_for_request
from members.models import Person
from members.scoping import scope_queryset, user_can

from ..enums import BudgetCategory, ClaimStatus, PaymentStatus
from ..models import (
    BenefitsAdviceRecord,
    BudgetLine,
    ExpenseClaim,
    InvolvementPayment,
    InvolvementRate,
    MileageRate,
)
from ..money import tax_year_label
from ..money_views import (
    AddExpenseItemView,
    ApproveClaimView,
    CancelPaymentView,
    MarkClaimPaidView,
    MarkPaymentPaidView,
    ReceiptDownloadView,
    RejectClaimView,
    RemoveExpenseItemView,
    SubmitClaimView,
)
from ..services import claims as claim_services
from ..services import payments as payment_services

EXPORTED_CLAIM_STATES = (ClaimStatus.APPROVED, ClaimStatus.PAID)
EXPORTED_PAYMENT_STATES = (PaymentStatus.APPROVED, PaymentStatus.PAID)


def person_chooser_widget():
    # Looked up when the form is built: members' viewsets import their own choosers lazily too.
    from members.viewsets.training import person_chooser_viewset

    return person_chooser_viewset.widget_class


def edit_form_kwargs(model, fields: list[str]) -> dict:
    """An edit form of ``fields`` only: the rest of the record is fixed once created."""
    handler = ObjectList([FieldPanel(name) for name in fields], base_form_class=ScopedAdminModelForm)
    handler = handler.bind_to_model(model)
    return {"panel": handler, "form_class": handler.get_form_class()}


class ServiceFormMixin:
    """Save through a service; its ValidationError becomes form errors, not a server error."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            add_service_errors(form, error)
            self.produced_error_message = " ".join(form.non_field_errors()) or None
            return self.form_invalid(form)


# Budget lines ---------------------------------------------------------------------------------


class BudgetLineFilterSet(WagtailFilterSet):
    partnership = django_filters.ModelChoiceFilter(
        label="MNVP", queryset=partnerships_for_request, field_name="workplan__partnership"
    )
    year = django_filters.NumberFilter(label="Financial year starting", field_name="workplan__year")
    category = django_filters.ChoiceFilter(choices=BudgetCategory.choices)

    class Meta:
        model = BudgetLine
        fields = ["partnership", "year", "category"]


class BudgetLineIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("workplan__partnership")

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        buttons.append(
            HeaderButton("Planned and actual", url=reverse("workplans_money:budget"), icon_name="pick")
        )
        return buttons


class BudgetLineViewSet(ScopedModelViewSet):
    model = BudgetLine
    icon = "list-ul"
    menu_label = "Budget lines"
    index_view_class = BudgetLineIndexView
    list_display = ["__str__", "workplan", "amount_agreed"]
    filterset_class = BudgetLineFilterSet
    ordering = ["workplan__partnership__name", "-workplan__year", "category"]
    list_export = ["workplan", "category", "description", "amount_agreed"]
    export_headings = {"amount_agreed": "Amount agreed (£)"}
    export_filename = "budget-lines"
    panels = [
        FieldPanel("workplan"),
        FieldRowPanel([FieldPanel("category"), FieldPanel("amount_agreed")]),
        FieldPanel("description", help_text="To tell apart two lines of one category."),
    ]


# Expense claims -------------------------------------------------------------------------------


SENT_ONLINE = "Sent online by the claimant"


class ClaimFilterSet(WagtailFilterSet):
    partnership = django_filters.ModelChoiceFilter(
        label="MNVP", queryset=partnerships_for_request, field_name="partnership"
    )
    status = django_filters.ChoiceFilter(choices=ClaimStatus.choices)
    submitted_from = django_filters.DateFilter(
        label="Submitted on or after",
        field_name="submitted_at__date",
        lookup_expr="gte",
        widget=AdminDateInput,
    )
    submitted_to = django_filters.DateFilter(
        label="Submitted on or before",
        field_name="submitted_at__date",
        lookup_expr="lte",
        widget=AdminDateInput,
    )
    paid_from = django_filters.DateFilter(
        label="Paid on or after", field_name="paid_on", lookup_expr="gte", widget=AdminDateInput
    )
    paid_to = django_filters.DateFilter(
        label="Paid on or before", field_name="paid_on", lookup_expr="lte", widget=AdminDateInput
    )
    submitted_online = django_filters.BooleanFilter(
        label="How it came",
        widget=forms.Select(choices=[("", "Any"), ("true", SENT_ONLINE), ("false", "Entered in the admin")]),
    )

    class Meta:
        model = ExpenseClaim
        fields = [
            "partnership",
            "status",
            "submitted_from",
            "submitted_to",
            "paid_from",
            "paid_to",
            "submitted_online",
        ]


class WaitingColumn(Column):
    """How long the claim has waited since it was submitted (until paid or rejected)."""

    def get_value(self, instance):
        days = claim_services.waiting_days(instance)
        if days is None:
            return "—"
        return f"{days} day{'s' if days != 1 else ''}"


class SentOnlineColumn(Column):
    """Marks a claim the claimant sent from the volunteer area (nobody entered it in the admin)."""

    def get_value(self, instance):
        return SENT_ONLINE if instance.submitted_online else "Entered in the admin"


class ClaimIndexView(ScopedIndexView):
    """The claims listing; its export (the expenses file) holds approved and paid claims only."""

    def get_base_queryset(self):
        queryset = super().get_base_queryset().select_related("claimant", "partnership")
        if self.is_export:
            queryset = queryset.filter(status__in=EXPORTED_CLAIM_STATES)
        return queryset


class ClaimCreateView(ServiceFormMixin, generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return claim_services.create_claim(
            partnership=data["partnership"],
            claimant=data["claimant"],
            purpose=data["purpose"],
            budget_line=data.get("budget_line"),
            acting_user=self.request.user,
        )

    def get_success_url(self):
        return reverse("expense_claims:inspect", args=[self.object.pk])


class ClaimEditView(ServiceFormMixin, ScopedEditView):
    def get_object(self, queryset=None):
        claim = super().get_object(queryset)
        if claim.status != ClaimStatus.DRAFT:
            raise PermissionDenied  # a submitted claim is decided, not edited
        return claim

    def save_instance(self):
        data = self.form.cleaned_data
        return claim_services.update_claim(
            claim=self.object,
            purpose=data["purpose"],
            budget_line=data.get("budget_line"),
            acting_user=self.request.user,
        )

    def get_success_url(self):
        return reverse("expense_claims:inspect", args=[self.object.pk])


class ClaimDeleteView(ScopedDeleteView):
    def get_object(self, queryset=None):
        claim = super().get_object(queryset)
        if claim.status != ClaimStatus.DRAFT:
            raise PermissionDenied  # money records are kept; only an unsent draft goes
        return claim


class ClaimInspectView(ScopedInspectView):
    template_name = "workplans/admin/claim_inspect.html"

    def get_fields(self):
        return [
            "partnership",
            "claimant",
            "purpose",
            "budget_line",
            "status",
            "total",
            "created_by",
            "created_at",
            "submitted_at",
            "decided_by",
            "decided_at",
            "rejection_reason",
            "paid_on",
            "payment_reference",
        ]

    def get_context_data(self, **kwargs):
        claim, user = self.object, self.request.user
        in_scope = user_can(user, "change", claim)
        draft = claim.status == ClaimStatus.DRAFT
        submitted = claim.status == ClaimStatus.SUBMITTED
        may_change = in_scope and draft and user.has_perm(claim_services.CHANGE_PERMISSION)
        may_decide = in_scope and submitted and user.has_perm(claim_services.APPROVE_PERMISSION)
        return super().get_context_data(
            items=list(claim.items.all()),
            waited=claim_services.waiting_days(claim),
            sent_online_label=SENT_ONLINE,
            may_change=may_change,
            may_decide=may_decide,
            approval_refusal=claim_services.approval_refusal(user, claim) if may_decide else None,
            may_pay=in_scope
            and claim.status == ClaimStatus.APPROVED
            and user.has_perm(claim_services.PAY_PERMISSION),
            **kwargs,
        )


class ExpenseClaimViewSet(ScopedModelViewSet):
    model = ExpenseClaim
    icon = "doc-full"
    menu_label = "Expense claims"
    index_view_class = ClaimIndexView
    add_view_class = ClaimCreateView
    edit_view_class = ClaimEditView
    delete_view_class = ClaimDeleteView
    inspect_view_class = ClaimInspectView
    list_display = [
        Column("pk", label="Claim"),
        "claimant",
        "partnership",
        "purpose",
        "status",
        Column("total", label="Total (£)"),
        DateColumn("submitted_at", label="Submitted"),
        WaitingColumn("waited", label="Waited"),
        SentOnlineColumn("submitted_online", label="How it came"),
    ]
    filterset_class = ClaimFilterSet
    search_fields = ["claimant__first_name", "claimant__last_name", "claimant__email", "purpose"]
    search_backend_name = None
    ordering = ["-created_at"]
    list_export = [
        "pk",
        "claimant.email",
        "claimant",
        "partnership",
        "purpose",
        "budget_line",
        "status",
        "submitted_at",
        "decided_at",
        "paid_on",
        "payment_reference",
        "total",
    ]
    export_headings = {
        "pk": "Claim",
        "claimant.email": "Email",
        "claimant": "Claimant",
        "partnership": "MNVP",
        "submitted_at": "Submitted at",
        "decided_at": "Approved at",
        "paid_on": "Paid on",
        "payment_reference": "Payment reference",
        "total": "Total (£)",
    }
    export_filename = "expense-claims"

    @property
    def panels(self):
        return [
            FieldPanel("partnership"),
            FieldPanel("claimant", widget=person_chooser_widget()),
            FieldPanel("purpose"),
            FieldPanel("budget_line", help_text="Usually the MNVP's member expenses line."),
        ]

    def get_edit_view_kwargs(self, **kwargs):
        # Editing a draft: the purpose and the budget line; who and which MNVP are fixed.
        return super().get_edit_view_kwargs(
            **edit_form_kwargs(self.model, ["purpose", "budget_line"]), **kwargs
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/submit/", SubmitClaimView.as_view(), name="submit"),
            path("<int:pk>/approve/", ApproveClaimView.as_view(), name="approve"),
            path("<int:pk>/reject/", RejectClaimView.as_view(), name="reject"),
            path("<int:pk>/paid/", MarkClaimPaidView.as_view(), name="mark_paid"),
            path("<int:pk>/items/add/", AddExpenseItemView.as_view(), name="add_item"),
            path("<int:pk>/items/<int:item_pk>/remove/", RemoveExpenseItemView.as_view(), name="remove_item"),
            path("<int:pk>/items/<int:item_pk>/receipt/", ReceiptDownloadView.as_view(), name="receipt"),
        ]


# Involvement payments -------------------------------------------------------------------------


class PaymentFilterSet(WagtailFilterSet):
    partnership = django_filters.ModelChoiceFilter(
        label="MNVP", queryset=partnerships_for_request, field_name="partnership"
    )
    status = django_filters.ChoiceFilter(choices=PaymentStatus.choices)
    activity_from = django_filters.DateFilter(
        label="Activity on or after", field_name="activity_on", lookup_expr="gte", widget=AdminDateInput
    )
    activity_to = django_filters.DateFilter(
        label="Activity on or before", field_name="activity_on", lookup_expr="lte", widget=AdminDateInput
    )
    paid_from = django_filters.DateFilter(
        label="Paid on or after", field_name="paid_on", lookup_expr="gte", widget=AdminDateInput
    )
    paid_to = django_filters.DateFilter(
        label="Paid on or before", field_name="paid_on", lookup_expr="lte", widget=AdminDateInput
    )

    class Meta:
        model = InvolvementPayment
        fields = ["partnership", "status", "activity_from", "activity_to", "paid_from", "paid_to"]


class PaymentIndexView(ScopedIndexView):
    """The payments listing; its export (the payroll file) holds approved and paid payments only."""

    def get_base_queryset(self):
        queryset = super().get_base_queryset().select_related("person", "partnership", "rate")
        if self.is_export:
            queryset = queryset.filter(status__in=EXPORTED_PAYMENT_STATES).annotate(
                tax_year=payment_services.tax_year_expression("paid_on")
            )
        return queryset

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        if "tax_year" in row:
            row["tax_year"] = tax_year_label(row["tax_year"]) if row["tax_year"] else ""
        return row

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm(payment_services.PAY_PERMISSION):
            url = reverse("workplans_money:tax_year")
            buttons.append(HeaderButton("Totals by tax year", url=url, icon_name="table"))
        return buttons


class PaymentCreateView(ServiceFormMixin, generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return payment_services.record_involvement_payment(
            person=data["person"],
            partnership=data["partnership"],
            activity=data["activity"],
            activity_on=data["activity_on"],
            length=data["length"],
            budget_line=data.get("budget_line"),
            acting_user=self.request.user,
        )


class PaymentEditView(ServiceFormMixin, ScopedEditView):
    """Only the description and the budget line change; who, when, how long and the rate are fixed."""

    def save_instance(self):
        data = self.form.cleaned_data
        return payment_services.update_payment(
            payment=self.object,
            activity=data["activity"],
            budget_line=data.get("budget_line"),
            acting_user=self.request.user,
        )


class PaymentDeleteView(ScopedDeleteView):
    def get_object(self, queryset=None):
        raise PermissionDenied  # payments are earnings records: cancel one, never delete it


class PaymentInspectView(ScopedInspectView):
    template_name = "workplans/admin/payment_inspect.html"

    def get_fields(self):
        return [
            "person",
            "partnership",
            "activity",
            "activity_on",
            "length",
            "rate",
            "amount",
            "budget_line",
            "status",
            "approved_by",
            "approved_at",
            "paid_on",
            "payment_reference",
        ]

    def get_context_data(self, **kwargs):
        payment, user = self.object, self.request.user
        approved = payment.status == PaymentStatus.APPROVED and user_can(user, "change", payment)
        return super().get_context_data(
            may_pay=approved and user.has_perm(payment_services.PAY_PERMISSION),
            may_cancel=approved and user.has_perm(payment_services.CHANGE_PERMISSION),
            **kwargs,
        )


class InvolvementPaymentViewSet(ScopedModelViewSet):
    model = InvolvementPayment
    icon = "pick"
    menu_label = "Involvement payments"
    index_view_class = PaymentIndexView
    add_view_class = PaymentCreateView
    edit_view_class = PaymentEditView
    delete_view_class = PaymentDeleteView
    inspect_view_class = PaymentInspectView
    list_display = [
        "person",
        "partnership",
        "activity",
        CalendarDateColumn("activity_on", label="Activity on"),
        "length",
        Column("amount", label="Amount (£)"),
        "status",
        CalendarDateColumn("paid_on", label="Paid on"),
    ]
    filterset_class = PaymentFilterSet
    search_fields = ["person__first_name", "person__last_name", "person__email", "activity"]
    search_backend_name = None
    ordering = ["-activity_on"]
    # The payroll file: earnings, one row per payment, separate from the expenses export.
    list_export = [
        "person.email",
        "person.first_name",
        "person.last_name",
        "partnership",
        "activity",
        "activity_on",
        "length",
        "amount",
        "status",
        "paid_on",
        "payment_reference",
        "tax_year",
    ]
    export_headings = {
        "person.email": "Email",
        "person.first_name": "First name",
        "person.last_name": "Last name",
        "partnership": "MNVP",
        "activity_on": "Activity on",
        "amount": "Amount (£)",
        "paid_on": "Paid on",
        "payment_reference": "Payroll reference",
        "tax_year": "Tax year paid",
    }
    export_filename = "involvement-payments-payroll"

    @property
    def panels(self):
        return [
            FieldPanel("person", widget=person_chooser_widget()),
            FieldPanel("partnership"),
            FieldPanel("activity"),
            FieldRowPanel([FieldPanel("activity_on"), FieldPanel("length")]),
            FieldPanel("budget_line", help_text="Usually the MNVP's LMNS meeting involvement line."),
        ]

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(
            **edit_form_kwargs(self.model, ["activity", "budget_line"]), **kwargs
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/paid/", MarkPaymentPaidView.as_view(), name="mark_paid"),
            path("<int:pk>/cancel/", CancelPaymentView.as_view(), name="cancel"),
        ]


# Rates (host-wide data) -----------------------------------------------------------------------


class RateIndexView(FormulaSafeExportMixin, generic.IndexView):
    """Host-wide rates, not an MNVP's: model permissions (host staff) decide who sees them."""


class MileageRateViewSet(ModelViewSet):
    model = MileageRate
    icon = "site"
    menu_label = "Mileage rates"
    index_view_class = RateIndexView
    list_display = ["effective_from", "pence_per_mile"]
    panels = [FieldPanel("effective_from"), FieldPanel("pence_per_mile", heading="Pence a mile")]


class InvolvementRateViewSet(ModelViewSet):
    model = InvolvementRate
    icon = "pick"
    menu_label = "Involvement rates"
    index_view_class = RateIndexView
    list_display = ["effective_from", "half_day", "full_day"]
    panels = [FieldPanel("effective_from"), FieldRowPanel([FieldPanel("half_day"), FieldPanel("full_day")])]


# Benefits advice ------------------------------------------------------------------------------


class PersonScopedMixin:
    """A record of a person (who may belong to several MNVPs): visible if the person is."""

    def scoped(self, queryset):
        people = scope_queryset(Person.objects.all(), self.request.user, "view")
        return queryset.filter(person__in=people.values("pk"))


class BenefitsAdviceIndexView(PersonScopedMixin, RateIndexView):
    def get_base_queryset(self):
        return self.scoped(super().get_base_queryset()).select_related("person")


class PersonScopedObjectMixin(PersonScopedMixin):
    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not self.scoped(BenefitsAdviceRecord.objects.filter(pk=obj.pk)).exists():
            raise Http404
        return obj


class BenefitsAdviceCreateView(ServiceFormMixin, generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return payment_services.record_benefits_advice(
            person=data["person"],
            told_on=data["told_on"],
            note=data.get("note", ""),
            claims_benefits=data.get("claims_benefits", False),
            acting_user=self.request.user,
        )


class BenefitsAdviceEditView(ServiceFormMixin, PersonScopedObjectMixin, generic.EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return payment_services.record_benefits_advice(
            person=self.object.person,
            told_on=data["told_on"],
            note=data.get("note", ""),
            claims_benefits=data.get("claims_benefits", False),
            acting_user=self.request.user,
        )


class BenefitsAdviceInspectView(PersonScopedObjectMixin, generic.InspectView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.object.claims_benefits:
            url = reverse("benefits_advice:letter", args=[self.object.pk])
            buttons.append(HeaderButton("Benefits letter (PDF)", url=url, icon_name="download"))
        return buttons


class BenefitsAdviceDeleteView(PersonScopedObjectMixin, generic.DeleteView):
    pass


class BenefitsAdviceViewSet(ModelViewSet):
    model = BenefitsAdviceRecord
    icon = "help"
    menu_label = "Benefits advice"
    index_view_class = BenefitsAdviceIndexView
    add_view_class = BenefitsAdviceCreateView
    edit_view_class = BenefitsAdviceEditView
    inspect_view_class = BenefitsAdviceInspectView
    delete_view_class = BenefitsAdviceDeleteView
    inspect_view_enabled = True
    list_display = [
        "person",
        CalendarDateColumn("told_on", label="Told on"),
        "claims_benefits",
        "recorded_by",
    ]
    search_fields = ["person__first_name", "person__last_name", "person__email"]
    search_backend_name = None
    ordering = ["person__last_name", "person__first_name"]

    @property
    def panels(self):
        return [
            FieldPanel("person", widget=person_chooser_widget()),
            FieldPanel(
                "told_on",
                help_text="When they were told to seek advice on how payments may affect "
                "their state benefits.",
            ),
            FieldPanel("note"),
            FieldPanel("claims_benefits"),
        ]

    def get_urlpatterns(self):
        from ..leadership_views import BenefitsLetterView

        return [
            *super().get_urlpatterns(),
            path("<int:pk>/letter/", BenefitsLetterView.as_view(), name="letter"),
        ]


class MoneyViewSetGroup(ViewSetGroup):
    menu_label = "Money"
    menu_icon = "pick"
    menu_order = 310
    items = (
        ExpenseClaimViewSet("expense_claims"),
        InvolvementPaymentViewSet("involvement_payments"),
        BudgetLineViewSet("budget_lines"),
        BenefitsAdviceViewSet("benefits_advice"),
        MileageRateViewSet("mileage_rates"),
        InvolvementRateViewSet("involvement_rates"),
    )
