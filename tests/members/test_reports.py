"""Report selectors: funnel counts, time in stage, conversion, equality suppression and scoping."""

import itertools
import random
import statistics
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from members.enums import ApplicationStage, EqualityQuestion
from members.models import ApplicationStageChange
from members.pipeline import OPEN_STAGES
from members.reports import SUPPRESSED_TEXT, equality_report, recruitment_funnel, suppress
from tests.factories import (
    ApplicationFactory,
    EqualityMonitoringFactory,
    MembershipFactory,
    PersonFactory,
    ReferencePopulationFactory,
)

pytestmark = pytest.mark.django_db

S = ApplicationStage


def stage_counts(funnel):
    return {stage.stage: stage.count for stage in funnel.stages if stage.count}


def stage_stat(funnel, stage):
    return next(s for s in funnel.stages if s.stage == stage)


def moved(partnership, history, now):
    """An application that went through ``history`` [(stage, days ago), ...], ending in the last."""
    stage, days = history[-1]
    application = ApplicationFactory(
        partnership=partnership, stage=stage, stage_changed_at=now - timedelta(days=days)
    )
    previous = ""
    for to_stage, days_ago in history:
        ApplicationStageChange.objects.create(
            application=application,
            from_stage=previous,
            to_stage=to_stage,
            changed_at=now - timedelta(days=days_ago),
        )
        previous = to_stage
    return application


# --- funnel -----------------------------------------------------------------------------


def test_funnel_counts_each_stage_per_mnvp_and_in_total_in_pipeline_order(host_staff, north, south):
    ApplicationFactory.create_batch(2, partnership=north, stage=S.NEW)
    ApplicationFactory(partnership=north, stage=S.CHECKS)
    ApplicationFactory(partnership=south, stage=S.NEW)
    ApplicationFactory(partnership=south, stage=S.DECLINED, decline_reason="Moved away")

    report = recruitment_funnel(host_staff)

    by_name = {funnel.name: funnel for funnel in report.funnels}
    assert stage_counts(by_name["Northshire MNVP"]) == {S.NEW: 2, S.CHECKS: 1}
    assert stage_counts(by_name["Southvale MNVP"]) == {S.NEW: 1, S.DECLINED: 1}
    assert stage_counts(report.total) == {S.NEW: 3, S.CHECKS: 1, S.DECLINED: 1}
    assert [s.stage for s in report.total.stages] == [
        S.NEW, S.CONTACTED, S.CONVERSATION, S.REFERENCES, S.CHECKS, S.INDUCTION,
        S.ACCEPTED, S.DECLINED, S.WITHDRAWN,
    ]  # fmt: skip
    assert report.total.total == 5


def test_time_in_stage_uses_history_for_finished_stays_and_now_for_the_current_one(host_staff, north):
    now = timezone.now()
    # new for 4 days, contacted for 6 days, in conversation for 2 days so far
    moved(north, [(S.NEW, 12), (S.CONTACTED, 8), (S.CONVERSATION, 2)], now)
    # new for 2 days, then contacted for 10 days so far
    moved(north, [(S.NEW, 12), (S.CONTACTED, 10)], now)

    funnel = recruitment_funnel(host_staff, now=now).funnels[0]

    assert stage_stat(funnel, S.NEW).median_days == 3.0  # 4 and 2
    assert stage_stat(funnel, S.CONTACTED).median_days == 8.0  # 6 and 10
    assert stage_stat(funnel, S.CONTACTED).mean_days == 8.0
    assert stage_stat(funnel, S.CONVERSATION).median_days == 2.0
    assert stage_stat(funnel, S.CHECKS).median_days is None
    assert stage_stat(funnel, S.CONTACTED).reached == 2
    assert stage_stat(funnel, S.CONVERSATION).reached == 1


def test_a_note_on_the_stage_does_not_split_a_stay(host_staff, north):
    now = timezone.now()
    application = moved(north, [(S.NEW, 10), (S.CONTACTED, 4)], now)
    ApplicationStageChange.objects.create(
        application=application, from_stage=S.NEW, to_stage=S.NEW, changed_at=now - timedelta(days=7)
    )

    funnel = recruitment_funnel(host_staff, now=now).funnels[0]

    assert stage_stat(funnel, S.NEW).median_days == 6.0


def test_conversion_is_accepted_over_all_closed(host_staff, north):
    ApplicationFactory(partnership=north, stage=S.ACCEPTED)
    ApplicationFactory(partnership=north, stage=S.WITHDRAWN)
    ApplicationFactory(partnership=north, stage=S.DECLINED, decline_reason="Not now")
    ApplicationFactory(partnership=north, stage=S.ACCEPTED)
    ApplicationFactory(partnership=north, stage=S.NEW)

    assert recruitment_funnel(host_staff).funnels[0].conversion == Decimal("50.0")


def test_conversion_is_none_before_anything_closed(host_staff, north):
    ApplicationFactory(partnership=north, stage=S.NEW)
    assert recruitment_funnel(host_staff).funnels[0].conversion is None


def test_since_keeps_only_applications_submitted_from_that_date(host_staff, north):
    today = timezone.localdate()
    ApplicationFactory(partnership=north, submitted_at=timezone.now() - timedelta(days=40))
    ApplicationFactory(partnership=north)
    assert recruitment_funnel(host_staff, since=today - timedelta(days=7)).total.total == 1


def test_lead_funnel_holds_only_their_mnvp(north_lead, north, south):
    ApplicationFactory(partnership=north)
    ApplicationFactory.create_batch(3, partnership=south)

    report = recruitment_funnel(north_lead)

    assert [f.partnership for f in report.funnels] == [north]
    assert report.total.total == 1


def test_lead_asking_for_another_mnvp_gets_an_empty_funnel(north_lead, north, south):
    ApplicationFactory.create_batch(3, partnership=south)

    report = recruitment_funnel(north_lead, partnership=south)

    assert report.is_empty
    assert report.total.total == 0


def test_user_without_scope_gets_nothing(no_role_user, north):
    ApplicationFactory(partnership=north)
    assert recruitment_funnel(no_role_user).is_empty


def test_funnel_runs_a_constant_number_of_queries(host_staff, north, south, django_assert_max_num_queries):
    now = timezone.now()
    for partnership in (north, south):
        for _ in range(10):
            moved(partnership, [(S.NEW, 9), (S.CONTACTED, 3)], now)
    host_staff.has_perm("members.view_application")  # warm the permission cache, as a request would
    with django_assert_max_num_queries(6):
        report = recruitment_funnel(host_staff)
        assert report.total.total == 20


def figures(funnel):
    """{stage: (median days, mean days)} for the stages that have any time in them."""
    return {s.stage: (s.median_days, s.mean_days) for s in funnel.stages if s.median_days is not None}


def test_time_in_stage_figures_per_mnvp_and_in_total_for_a_known_dataset(host_staff, north, south):
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    moved(north, [(S.NEW, 10), (S.CONTACTED, 7), (S.CONVERSATION, 1.5)], now)
    moved(north, [(S.NEW, 9), (S.CONTACTED, 8.75)], now)
    moved(north, [(S.NEW, 4)], now)
    moved(north, [(S.NEW, 20), (S.WITHDRAWN, 2)], now)  # closed: its new stay counts, the withdrawal not
    moved(south, [(S.NEW, 6), (S.CONTACTED, 5)], now)
    ApplicationFactory(
        partnership=south, stage=S.NEW, stage_changed_at=now - timedelta(days=2.5)
    )  # no history

    report = recruitment_funnel(host_staff, now=now)

    by_name = {funnel.name: funnel for funnel in report.funnels}
    # north new: 0.25, 3, 4, 18; contacted: 5.5, 8.75 (median 7.125); conversation: 1.5 so far
    assert figures(by_name["Northshire MNVP"]) == {
        S.NEW: (3.5, 6.3),
        S.CONTACTED: (7.1, 7.1),
        S.CONVERSATION: (1.5, 1.5),
    }
    # south new: 1 and 2.5 (1.75, half to even); contacted: 5 so far
    assert figures(by_name["Southvale MNVP"]) == {S.NEW: (1.8, 1.8), S.CONTACTED: (5.0, 5.0)}
    # all new: 0.25, 1, 2.5, 3, 4, 18 (median 2.75); all contacted: 5, 5.5, 8.75
    assert figures(report.total) == {
        S.NEW: (2.8, 4.8),
        S.CONTACTED: (5.5, 6.4),
        S.CONVERSATION: (1.5, 1.5),
    }


def test_a_stay_that_ends_before_it_starts_counts_as_no_time(host_staff, north):
    now = timezone.now()
    ApplicationFactory(partnership=north, stage=S.NEW, stage_changed_at=now + timedelta(days=1))
    ApplicationFactory(partnership=north, stage=S.NEW, stage_changed_at=now - timedelta(days=3))

    funnel = recruitment_funnel(host_staff, now=now).funnels[0]

    assert (stage_stat(funnel, S.NEW).median_days, stage_stat(funnel, S.NEW).mean_days) == (1.5, 1.5)


def summarised_in_python(applications, now):
    """Time in stage worked out stay by stay with datetimes and :mod:`statistics`, to compare with."""
    stays = defaultdict(list)
    for application in applications:
        changes = [c for c in application.stage_changes.order_by("changed_at") if c.to_stage != c.from_stage]
        for change, following in itertools.pairwise(changes):
            if change.to_stage in OPEN_STAGES:
                stays[change.to_stage].append(following.changed_at - change.changed_at)
        if application.stage in OPEN_STAGES:
            stays[application.stage].append(now - application.stage_changed_at)
    result = {}
    for stage, durations in stays.items():
        days = [max(d.total_seconds(), 0) / 86_400 for d in durations]
        result[stage] = (round(statistics.median(days), 1), round(statistics.fmean(days), 1))
    return result


def test_time_in_stage_agrees_with_each_stay_summarised_in_python(host_staff, north):
    rng = random.Random(7)
    now = timezone.now()
    order = [*OPEN_STAGES, S.ACCEPTED]
    for _ in range(41):
        ago = rng.uniform(60, 90)
        history = []
        for stage in order[: rng.randint(1, len(order))]:
            history.append((stage, ago))
            ago -= rng.uniform(0.01, 9)  # never two changes at once: their order would be a guess
        application = moved(north, history, now)
        if rng.random() < 0.3:  # a note on the stage: not a move
            ApplicationStageChange.objects.create(
                application=application,
                from_stage=history[0][0],
                to_stage=history[0][0],
                changed_at=now - timedelta(days=rng.uniform(0, 30), microseconds=rng.randint(0, 999_999)),
            )

    funnel = recruitment_funnel(host_staff, now=now).funnels[0]

    expected = summarised_in_python(north.applications.all(), now)
    assert len(expected) > 3
    assert figures(funnel) == expected


# --- equality ---------------------------------------------------------------------------


def members_of(partnership, count, **answers):
    people = []
    for _ in range(count):
        person = PersonFactory()
        MembershipFactory(person=person, partnership=partnership)
        if answers:
            EqualityMonitoringFactory(person=person, **answers)
        people.append(person)
    return people


def cells(report, question):
    found = next(q for q in report.questions if q.question == question)
    return {cell.category: cell for cell in found.cells}


def test_suppress_hides_small_counts_and_one_more_when_only_one_is_hidden():
    assert suppress({"a": 20, "b": 3, "c": 7, "d": 12}) == {"b", "c"}
    assert suppress({"a": 20, "b": 3, "c": 2}) == {"b", "c"}
    assert suppress({"a": 20, "b": 9}) == set()
    assert suppress({"a": 4}) == {"a"}


def test_equality_counts_and_percentages_per_answer(host_staff, north):
    members_of(north, 6, disability="no")
    members_of(north, 6, disability="yes_a_little")
    members_of(north, 8)  # members who gave no answers

    report = equality_report(host_staff)

    disability = cells(report, EqualityQuestion.DISABILITY)
    assert report.total == 20
    assert (disability["no"].count, disability["no"].percentage) == (6, Decimal("30.0"))
    assert disability[""].label == "Not answered"
    assert (disability[""].count, disability[""].percentage) == (8, Decimal("40.0"))


def test_counts_under_five_are_hidden_with_their_percentage(host_staff, north):
    members_of(north, 12, religion="none")
    members_of(north, 3, religion="christian")
    members_of(north, 6, religion="muslim")

    religion = cells(equality_report(host_staff), EqualityQuestion.RELIGION)

    christian = religion["christian"]
    assert christian.suppressed
    assert christian.count is None
    assert christian.percentage is None
    assert christian.display_count == SUPPRESSED_TEXT == "fewer than 5"
    assert religion["none"].count == 12


def test_a_lone_hidden_count_takes_the_next_smallest_with_it(host_staff, north):
    # gender identity: 15 yes, 3 no, 0 prefer not, 6 not answered. "no" and "prefer not"
    # are under 5 but two already, so nothing more is hidden...
    members_of(north, 15, gender_identity_same_as_sex="yes")
    members_of(north, 3, gender_identity_same_as_sex="no")
    members_of(north, 6, disability="no")
    gender = cells(equality_report(host_staff), EqualityQuestion.GENDER_IDENTITY_SAME_AS_SEX)
    assert {c for c, cell in gender.items() if cell.suppressed} == {"no", "prefer_not"}

    # ... but once "prefer not" is 5 or more, "no" alone would be total minus the rest.
    members_of(north, 5, gender_identity_same_as_sex="prefer_not")
    gender = cells(equality_report(host_staff), EqualityQuestion.GENDER_IDENTITY_SAME_AS_SEX)
    assert {c for c, cell in gender.items() if cell.suppressed} == {"no", "prefer_not"}
    assert gender["yes"].count == 15
    assert gender[""].count == 6


def test_a_small_total_hides_everything(host_staff, north):
    members_of(north, 3, ethnicity="white_british")
    report = equality_report(host_staff)
    assert report.total is None
    assert report.display_total == SUPPRESSED_TEXT
    assert all(cell.suppressed for q in report.questions for cell in q.cells)


def test_only_current_members_count_once_each(host_staff, north, south):
    both = members_of(north, 5, age_band="25_34")
    for person in both:
        MembershipFactory(person=person, partnership=south)
    past = PersonFactory()
    MembershipFactory(
        person=past,
        partnership=north,
        start_date=timezone.localdate() - timedelta(days=400),
        end_date=timezone.localdate() - timedelta(days=10),
    )
    EqualityMonitoringFactory(person=past, age_band="25_34")

    report = equality_report(host_staff)

    assert report.total == 5
    assert cells(report, EqualityQuestion.AGE_BAND)["25_34"].count == 5


def test_reference_uses_the_mnvps_own_figures_for_a_question_else_host_wide(host_staff, north, south):
    members_of(north, 5, ethnicity="white_british")
    ReferencePopulationFactory(
        category="white_british", percentage=Decimal("73.50"), source="Census 2021, England"
    )
    ReferencePopulationFactory(category="asian_indian", percentage=Decimal("3.30"))
    ReferencePopulationFactory(partnership=north, category="white_british", percentage=Decimal("88.00"))
    ReferencePopulationFactory(
        question=EqualityQuestion.DISABILITY, category="no", percentage=Decimal("82.70")
    )

    north_report = equality_report(host_staff, partnership=north)
    ethnicity = cells(north_report, EqualityQuestion.ETHNICITY)
    assert ethnicity["white_british"].reference_percentage == Decimal("88.00")
    assert ethnicity["asian_indian"].reference_percentage is None  # not mixed with host-wide figures
    assert cells(north_report, EqualityQuestion.DISABILITY)["no"].reference_percentage == Decimal("82.70")

    everyone = cells(equality_report(host_staff), EqualityQuestion.ETHNICITY)
    assert everyone["white_british"].reference_percentage == Decimal("73.50")


def test_lead_equality_report_holds_only_their_mnvp(north_lead, north, south):
    members_of(north, 5, disability="no")
    members_of(south, 9, disability="no")

    report = equality_report(north_lead)
    assert report.total == 5
    assert report.partnership_names == ["Northshire MNVP"]

    other = equality_report(north_lead, partnership=south)
    assert other.partnership_names == []
    assert other.total is None


def test_equality_report_runs_a_constant_number_of_queries(host_staff, north, django_assert_max_num_queries):
    members_of(north, 30, ethnicity="white_british", religion="none")
    host_staff.has_perm("members.view_equality_report")
    with django_assert_max_num_queries(4):
        equality_report(host_staff)


# --- reference population model ---------------------------------------------------------


def test_a_category_must_be_an_answer_to_its_question(north):
    figure = ReferencePopulationFactory.build(question=EqualityQuestion.AGE_BAND, category="white_british")
    with pytest.raises(ValidationError) as error:
        figure.full_clean()
    assert "category" in error.value.message_dict


def test_percentage_lies_between_0_and_100():
    figure = ReferencePopulationFactory.build(percentage=Decimal("100.01"))
    with pytest.raises(ValidationError):
        figure.full_clean()


def test_one_host_wide_figure_per_question_and_category():
    ReferencePopulationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferencePopulationFactory()


def test_demo_seed_gives_the_reports_something_to_show_and_runs_twice(host_staff):
    from members.demo import seed_partnerships, seed_recruitment

    seed_partnerships()
    seed_recruitment()
    seed_recruitment()

    report = equality_report(host_staff)
    assert report.total >= 20
    ethnicity = cells(report, EqualityQuestion.ETHNICITY)
    assert not ethnicity["white_british"].suppressed
    assert ethnicity["white_british"].reference_percentage == Decimal("74.40")
    assert recruitment_funnel(host_staff).total.total > 0
