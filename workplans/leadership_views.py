"""The benefits letter (PDF) and the funding request (on screen, PDF, XLSX).

Benefits letter: host work. It needs ``view_benefitsadvicerecord`` (host staff
only) and the person inside the user's scope (404 outside it). A person who does not
claim benefits or has no payments, or a template the host broke, gives a message on
the benefits advice record, not a file and not a server error.

Funding request: whoever may view budget lines (host staff, the MNVP's lead, its ICB
commissioner) for the MNVPs in their scope; another MNVP answers 404. Leads may see
and download their own MNVP's: the template is one the MNVP completes with the host
before the year (the reference resource, appendix 2), and it shows nothing a lead
cannot already see on the budget lines.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from members.models import Partnership, Person
from members.scoping import scope_queryset

from .annual_report_views import EARLIEST_YEAR, MNVPYearAccessMixin, _pdf_response
from .benefits_letter import benefits_letter, benefits_letter_pdf
from .funding_request import funding_request
from .funding_request_exports import funding_request_pdf, funding_request_xlsx
from .models import BenefitsAdviceRecord, Workplan
from .models.plans import financial_year_label, financial_year_of

LETTER_PERMISSION = "workplans.view_benefitsadvicerecord"
FUNDING_PERMISSION = "workplans.view_budgetline"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class BenefitsLetterView(View):
    """The letter of the person on one benefits advice record, as a PDF download."""

    def get(self, request, pk):
        if not request.user.has_perm(LETTER_PERMISSION):
            raise PermissionDenied
        people = scope_queryset(Person.objects.all(), request.user, "view")
        record = get_object_or_404(
            BenefitsAdviceRecord.objects.filter(person__in=people.values("pk")).select_related("person"),
            pk=pk,
        )
        try:
            letter = benefits_letter(person=record.person)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("benefits_advice:inspect", pk)
        filename = f"benefits-letter-{record.person.pk}-{timezone.localdate():%Y-%m-%d}.pdf"
        return _pdf_response(benefits_letter_pdf(letter), filename)


class FundingAccessMixin(MNVPYearAccessMixin):
    permission = FUNDING_PERMISSION

    def get_request(self):
        return funding_request(partnership=self.partnership, year=self.year)

    def filename(self, extension: str) -> str:
        return f"{self.partnership.slug}-funding-request-{self.year}-{str(self.year + 1)[-2:]}.{extension}"


class FundingRequestIndexView(FundingAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    """The user's MNVPs, each with the years it has a workplan for, this year's and next year's."""

    template_name = "workplans/admin/funding_request_index.html"
    page_title = "Funding requests"
    header_icon = "pick"

    def get_context_data(self, **kwargs):
        partnerships = list(Partnership.objects.for_user(self.request.user, "view").order_by("name"))
        coming = financial_year_of(timezone.localdate()) + 1
        years: dict[int, set[int]] = {p.pk: {coming - 1, coming} for p in partnerships}
        for partnership_id, year in Workplan.objects.filter(
            partnership__in=[p.pk for p in partnerships]
        ).values_list("partnership", "year"):
            years[partnership_id].add(year)
        rows = [
            (
                partnership,
                [
                    (
                        financial_year_label(year),
                        reverse("funding_requests:request", args=[partnership.pk, year]),
                    )
                    for year in sorted(years[partnership.pk], reverse=True)
                    if EARLIEST_YEAR <= year <= coming
                ],
            )
            for partnership in partnerships
        ]
        return super().get_context_data(rows=rows, **kwargs)


class FundingRequestView(FundingAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "workplans/admin/funding_request.html"
    header_icon = "pick"

    def get_page_title(self):
        return f"Funding request {financial_year_label(self.year)}"

    def get_page_subtitle(self):
        return self.partnership.name

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("funding_requests:index"), "label": "Funding requests"},
            {"url": "", "label": f"{self.partnership.name} {financial_year_label(self.year)}"},
        ]

    def get_context_data(self, **kwargs):
        args = [self.partnership.pk, self.year]
        return super().get_context_data(
            funding=self.get_request(),
            pdf_url=reverse("funding_requests:pdf", args=args),
            xlsx_url=reverse("funding_requests:xlsx", args=args),
            **kwargs,
        )


class FundingRequestPDFView(FundingAccessMixin, View):
    def get(self, request, *args, **kwargs):
        return _pdf_response(funding_request_pdf(self.get_request()), self.filename("pdf"))


class FundingRequestXLSXView(FundingAccessMixin, View):
    def get(self, request, *args, **kwargs):
        response = HttpResponse(funding_request_xlsx(self.get_request()), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{self.filename("xlsx")}"'
        response["Cache-Control"] = "private, no-store"
        return response
