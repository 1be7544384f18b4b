"""What a learner sees and does: joining with a code, and their deadline."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from cohorts.models import CohortMembership
from cohorts.reads import deadlines_for
from cohorts.services import join_cohort
from courses.models import Enrolment

pytestmark = pytest.mark.django_db


def test_joining_with_the_code_enrols_in_the_cohorts_courses(
    client, make_cohort, make_learner
):
    cohort = make_cohort(join_code="NTTP-LHR")
    learner = make_learner()
    client.force_login(learner)
    url = reverse("cohorts:join_with_code", args=["nttp-lhr"])
    assert client.get(url).status_code == 200
    assert not CohortMembership.objects.exists()  # GET never joins
    response = client.post(reverse("cohorts:join"), {"code": " nttp-lhr "})
    assert response.status_code == 302
    assert CohortMembership.objects.filter(cohort=cohort, user=learner).exists()
    assert Enrolment.objects.filter(
        user=learner, course=cohort.courses.first()
    ).exists()
    client.post(reverse("cohorts:join"), {"code": "NTTP-LHR"})
    assert CohortMembership.objects.count() == 1


def test_a_wrong_code_says_so_and_joins_nothing(client, make_cohort, make_learner):
    make_cohort(join_code="RIGHT")
    client.force_login(make_learner())
    response = client.post(reverse("cohorts:join"), {"code": "WRONG"})
    assert response.status_code == 200
    assert "No cohort has this code" in response.content.decode()
    assert not CohortMembership.objects.exists()


def test_joining_needs_signing_in(client, make_cohort):
    make_cohort(join_code="RIGHT")
    response = client.post(reverse("cohorts:join"), {"code": "RIGHT"})
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert not CohortMembership.objects.exists()


def test_joining_is_rate_limited(client, make_cohort, make_learner, set_limit):
    set_limit("cohort_join", learner=(2, 3600), address=(100, 3600))
    client.force_login(make_learner())
    for _ in range(2):
        client.post(reverse("cohorts:join"), {"code": "GUESS"})
    assert client.post(reverse("cohorts:join"), {"code": "GUESS"}).status_code == 429


def test_relative_deadline_counts_from_joining(make_cohort, make_learner):
    cohort = make_cohort(deadline_days=42, starts_on=datetime.date(2026, 1, 1))
    learner = make_learner()
    membership, _ = join_cohort(learner, cohort)
    moment = datetime.datetime(2026, 2, 1, 10, tzinfo=datetime.UTC)
    CohortMembership.objects.filter(pk=membership.pk).update(joined_at=moment)
    (deadline,) = deadlines_for(learner, today=datetime.date(2026, 3, 1))
    assert deadline.deadline == datetime.date(2026, 3, 15)
    assert deadline.days_left == 14


def test_the_deadline_shows_on_the_dashboard_and_course_page_in_urdu(
    client, make_cohort, make_learner
):
    cohort = make_cohort(
        ends_on=datetime.date(2030, 6, 30),
        name_en="Lahore spring",
        name_ur="لاہور بہار",
    )
    learner = make_learner()
    join_cohort(learner, cohort)
    client.force_login(learner)
    dashboard = client.get(reverse("courses:dashboard")).content.decode()
    assert "Finish by 30 June 2030" in dashboard
    assert "Lahore spring" in dashboard
    course = cohort.courses.first()
    assert "Finish by 30 June 2030" in client.get(course.url).content.decode()
    urdu = client.get("/ur" + reverse("courses:dashboard")).content.decode()
    assert "۳۰ جون ۲۰۳۰ تک مکمل کریں" in urdu
    assert "لاہور بہار" in urdu


def test_a_finished_course_shows_no_deadline(client, make_cohort, make_learner):
    from courses import services as courses

    cohort = make_cohort(ends_on=datetime.date(2030, 6, 30))
    learner = make_learner()
    join_cohort(learner, cohort)
    for lesson in cohort.courses.first().lessons():
        courses.record_lesson_complete(learner, lesson.pk)
    assert deadlines_for(learner) == []


def test_relative_deadline_counts_from_the_day_joined_in_pakistan(
    make_cohort, make_learner
):
    """Joined at 02:00 in Karachi (21:00 UTC the day before): the deadline counts
    from the Karachi date, as the reminders do."""
    cohort = make_cohort(deadline_days=42, starts_on=datetime.date(2026, 1, 1))
    learner = make_learner()
    membership, _ = join_cohort(learner, cohort)
    moment = datetime.datetime(2026, 1, 31, 21, tzinfo=datetime.UTC)
    CohortMembership.objects.filter(pk=membership.pk).update(joined_at=moment)
    (deadline,) = deadlines_for(learner, today=datetime.date(2026, 3, 1))
    assert deadline.deadline == datetime.date(2026, 3, 15)


@pytest.mark.parametrize(
    ("code", "refused"), [("LHR", True), ("NTTP-LH", True), ("NTTP-LHR", False)]
)
def test_a_join_code_shorter_than_eight_characters_is_refused(
    make_cohort, code, refused
):
    from django.core.exceptions import ValidationError

    cohort = make_cohort()
    cohort.join_code = f" {code.lower()} "
    if refused:
        with pytest.raises(ValidationError) as error:
            cohort.full_clean()
        assert "at least 8" in str(error.value.message_dict["join_code"])
    else:
        cohort.full_clean()
        assert cohort.join_code == code
