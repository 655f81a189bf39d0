"""Finding a person by email: any case, and through the unique index, not a scan of everyone."""

import pytest
from django.db import connection

from members.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_person_is_found_by_their_email_in_any_case_and_with_spaces_around_it():
    amina = PersonFactory(email="amina.khan@example.org")
    PersonFactory(email="someone.else@example.org")

    assert list(Person.objects.with_email("  Amina.KHAN@Example.org ")) == [amina]
    assert not Person.objects.with_email("amina@example.org").exists()
    assert not Person.objects.with_email("").exists()


def test_the_email_is_looked_up_through_the_lower_email_unique_index():
    queryset = Person.objects.with_email("Amina@example.org")
    sql, params = queryset.query.sql_with_params()

    assert "LOWER(" in sql.upper()
    assert "LIKE" not in sql.upper()
    assert "amina@example.org" in params
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert "person_email_ci_unique" in plan
