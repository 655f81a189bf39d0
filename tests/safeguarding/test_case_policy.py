"""The cases' permission policy answers "view" and "change" on some case in one query per request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.permission_policies import ModelPermissionPolicy

from members.enums import Role
from safeguarding.case_policy import CasePermissionPolicy
from safeguarding.models import Case
from safeguarding.permissions import cases_for
from tests.factories import CaseFactory, UserFactory, handled_by

pytestmark = pytest.mark.django_db


@pytest.fixture
def grievance_manager(db):
    return UserFactory(username="grievance", role=Role.GRIEVANCE_MANAGER)


def test_view_and_change_on_some_case_are_answered_by_one_query(north, case_handler):
    handled_by(CaseFactory(partnership=north), case_handler)
    policy = CasePermissionPolicy(Case)
    with CaptureQueriesContext(connection) as queries:
        answers = [policy.user_has_permission(case_handler, action) for action in ("view", "change", "view")]
    assert answers == [True, True, True]
    reads_of_cases = [query["sql"] for query in queries if "safeguarding_case" in query["sql"]]
    assert len(reads_of_cases) == 1, reads_of_cases


@pytest.mark.parametrize(
    "user", ["case_handler", "no_role_user", "host_staff", "north_lead", "grievance_manager"]
)
def test_the_answers_are_whether_cases_for_finds_a_case(request, north, user):
    user = request.getfixturevalue(user)
    handled_by(CaseFactory(partnership=north), request.getfixturevalue("case_handler"))
    CaseFactory(partnership=north, complaint_against=True, subject_user=request.getfixturevalue("north_lead"))
    policy = CasePermissionPolicy(Case)
    for action in ("view", "change"):
        expected = ModelPermissionPolicy(Case).user_has_permission(user, action) or (
            user.is_active and cases_for(user, action).exists()
        )
        assert policy.user_has_permission(user, action) == expected, action
