"""Reference figures the host enters, to compare members' equality answers against."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from ..enums import EQUALITY_CATEGORY_GROUPED_CHOICES, EQUALITY_QUESTION_CHOICES, EqualityQuestion
from .partnerships import Partnership, ScopedQuerySet


class ReferencePopulationQuerySet(ScopedQuerySet):
    def host_wide(self):
        """Rows that apply to every MNVP without a figure of its own."""
        return self.filter(partnership__isnull=True)

    def for_question(self, question: str):
        return self.filter(question=question)


class ReferencePopulation(models.Model):
    """The share of a reference population (say, the ICB area at Census 2021) in one category.

    A row without an MNVP is host-wide: it applies to every MNVP that has no row of
    its own for that question and category. Scoped by partnership like any MNVP record;
    a host-wide row lies outside every lead's scope (``NULL IN (...)`` is never true).
    """

    partnership_scope_path = "partnership"

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reference_populations",
        verbose_name="MNVP",
        help_text="Leave blank for a host-wide figure that applies to every MNVP without its own.",
    )
    question = models.CharField(max_length=40, choices=EqualityQuestion.choices)
    category = models.CharField(
        max_length=40,
        choices=EQUALITY_CATEGORY_GROUPED_CHOICES,
        help_text="One of the answers to the question above (the groups name the questions).",
    )
    percentage = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="Share of the reference population in this category, 0 to 100.",
    )
    source = models.CharField(
        max_length=200,
        blank=True,
        help_text="Where the figure comes from, e.g. 'Census 2021, Northshire ICB area'.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReferencePopulationQuerySet.as_manager()

    class Meta:
        ordering = ["partnership__name", "question", "category"]
        verbose_name = "reference population figure"
        verbose_name_plural = "reference population figures"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "question", "category"],
                name="referencepopulation_one_per_mnvp_question_category",
                violation_error_message="There is already a figure for this MNVP, question and category.",
            ),
            # NULLs are distinct in a unique constraint, so host-wide rows need their own.
            models.UniqueConstraint(
                fields=["question", "category"],
                condition=Q(partnership__isnull=True),
                name="referencepopulation_one_host_wide_per_question_category",
                violation_error_message="There is already a host-wide figure for this question and category.",
            ),
            models.CheckConstraint(
                condition=Q(percentage__gte=0) & Q(percentage__lte=100),
                name="referencepopulation_percentage_0_to_100",
                violation_error_message="A percentage lies between 0 and 100.",
            ),
        ]

    def __str__(self):
        where = self.partnership.name if self.partnership_id else "All MNVPs"
        return f"{where}: {self.get_question_display()}, {self.category_label} {self.percentage}%"

    @property
    def category_label(self) -> str:
        """The category's label within its own question (values such as "other" repeat)."""
        enum = EQUALITY_QUESTION_CHOICES.get(self.question)
        labels = dict(enum.choices) if enum else {}
        return str(labels.get(self.category, self.category))

    def clean(self):
        super().clean()
        enum = EQUALITY_QUESTION_CHOICES.get(self.question)
        if enum is not None and self.category and self.category not in enum.values:
            raise ValidationError(
                {"category": f"'{self.category}' is not an answer to “{self.get_question_display()}”."}
            )
