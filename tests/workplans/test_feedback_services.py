"""Feedback services: keyword suggestions (a pure function), recording and tagging, scoped."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone
from wagtail.models import ModelLogEntry

from workplans.enums import FeedbackSource, ServiceArea
from workplans.feedback_demo import seed_feedback
from workplans.models import FeedbackItem, FeedbackTheme, YouSaidWeDid
from workplans.services.feedback import record_feedback, suggest_themes, tag_feedback

from .feedback_factories import FeedbackItemFactory, FeedbackThemeFactory

TODAY = timezone.localdate()


def theme(name, keywords, active=True, pk=None):
    # Unsaved: suggest_themes reads only the objects it is given.
    return FeedbackTheme(pk=pk, name=name, keywords="\n".join(keywords), active=active)


class TestSuggestThemes:
    WAITING = theme("Waiting", ["waited", "delay"], pk=1)
    PAIN = theme("Pain relief", ["pain relief", "Epidural"], pk=2)
    WARD = theme("Ward", ["ward"], pk=3)
    RETIRED = theme("Old", ["ward"], active=False, pk=4)
    THEMES = [WAITING, PAIN, WARD, RETIRED]

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("We WAITED ages", ["Waiting"]),
            ("The epidural was quick", ["Pain relief"]),
            ("no pain   relief for hours", ["Pain relief"]),  # a phrase across any spacing
            ("Pain, relief came later", []),  # punctuation breaks a phrase
            ("The wards were full", []),  # whole words only: "ward" is not "wards"
            ("On the ward, after a delay", ["Waiting", "Ward"]),  # order of the themes given
            ("", []),
            ("Nothing to see", []),
        ],
    )
    def test_matches_whole_words_and_phrases_in_any_case(self, text, expected):
        assert [t.name for t in suggest_themes(text, self.THEMES)] == expected

    def test_a_theme_no_longer_in_use_is_never_suggested(self):
        assert suggest_themes("the ward", [self.RETIRED]) == []

    def test_it_is_pure(self):
        # No database: it runs outside a django_db test.
        assert suggest_themes("delay", [self.WAITING]) == [self.WAITING]


@pytest.mark.django_db
class TestRecordFeedback:
    def record(self, user, partnership, **kwargs):
        return record_feedback(
            partnership=partnership,
            received_on=TODAY,
            source=FeedbackSource.OUTREACH,
            service_area=ServiceArea.POSTNATAL,
            text=kwargs.pop("text", "The night staff were kind."),
            acting_user=user,
            **kwargs,
        )

    def test_a_lead_records_feedback_for_their_own_mnvp(self, north, north_lead):
        item = self.record(north_lead, north)
        assert item.created_by == north_lead
        assert FeedbackItem.objects.get().text == "The night staff were kind."

    def test_a_lead_may_not_record_for_another_mnvp(self, south, north_lead):
        with pytest.raises(PermissionDenied):
            self.record(north_lead, south)
        assert not FeedbackItem.objects.exists()

    @pytest.mark.parametrize("user_fixture", ["north_commissioner", "no_role_user"])
    def test_oversight_and_no_role_may_not_record(self, request, north, user_fixture):
        with pytest.raises(PermissionDenied):
            self.record(request.getfixturevalue(user_fixture), north)

    def test_the_text_is_stored_encrypted(self, north, host_staff):
        item = self.record(host_staff, north, text="A very identifiable story")
        with connection.cursor() as cursor:
            cursor.execute("SELECT text FROM workplans_feedbackitem WHERE id = %s", [item.pk])
            (stored,) = cursor.fetchone()
        assert "identifiable" not in stored
        assert stored.startswith("fernet:")


@pytest.mark.django_db
class TestTagFeedback:
    def test_tagging_sets_the_themes_and_logs_the_change(self, north, north_lead):
        item = FeedbackItemFactory(partnership=north)
        waiting, ward = FeedbackThemeFactory(name="Waiting"), FeedbackThemeFactory(name="Ward")
        tag_feedback(item=item, themes=[waiting, ward], acting_user=north_lead)
        assert set(item.themes.all()) == {waiting, ward}
        tag_feedback(item=item, themes=[ward], acting_user=north_lead)
        assert list(item.themes.all()) == [ward]
        entries = ModelLogEntry.objects.filter(action="workplans.feedback_tagged", object_id=str(item.pk))
        assert entries.count() == 2

    def test_adding_keeps_the_themes_the_item_has(self, north, host_staff):
        waiting, ward = FeedbackThemeFactory(name="Waiting"), FeedbackThemeFactory(name="Ward")
        item = FeedbackItemFactory(partnership=north, themes=[waiting])
        tag_feedback(item=item, themes=[ward], acting_user=host_staff, replace=False)
        assert set(item.themes.all()) == {waiting, ward}

    def test_another_mnvps_item_may_not_be_tagged(self, south, north_lead):
        item = FeedbackItemFactory(partnership=south)
        with pytest.raises(PermissionDenied):
            tag_feedback(item=item, themes=[FeedbackThemeFactory()], acting_user=north_lead)
        assert not item.themes.exists()

    def test_a_theme_no_longer_in_use_may_not_be_added(self, north, host_staff):
        item = FeedbackItemFactory(partnership=north)
        with pytest.raises(ValidationError):
            tag_feedback(item=item, themes=[FeedbackThemeFactory(active=False)], acting_user=host_staff)


@pytest.mark.django_db
def test_seed_feedback_is_idempotent_and_tags_by_keyword(north, south):
    today = datetime.date(2026, 3, 1)
    added = seed_feedback(today=today)
    assert added == 2 * 120
    assert FeedbackTheme.objects.filter(parent__isnull=True).count() == 6
    assert FeedbackTheme.objects.filter(parent__isnull=False).count() >= 15
    assert FeedbackItem.themes.through.objects.count() > added  # most items carry a theme or two
    assert YouSaidWeDid.objects.filter(feedback_theme__isnull=False, public=True).count() == 2 * 3
    assert seed_feedback(today=today) == 0
    assert FeedbackItem.objects.count() == added
