"""An activity that does not start: the report is recorded for trainers, and a
lesson requiring it is not a dead end once a trainer waives it."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from content.models import H5PStartFailure
from content.services import record_start_failure
from courses.activities import unmet_activity_requirements

from . import h5p_builders as builders
from .test_h5p_admin import trainer  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def stuck_learner(import_activity, lesson_with_activity, make_learner):
    """(learner, lesson, activity): enrolled in a course whose lesson requires an
    activity that fails to start."""
    from courses.services import enrol

    activity = import_activity(builders.build_behaviour_package("fails-to-start"))
    course, lesson = lesson_with_activity(activity, "completed")
    learner = make_learner()
    enrol(learner, course)
    return learner, lesson, activity


def report(client, lesson, activity, body):
    return client.post(
        reverse(
            "lesson_activities:record_start_failure", args=[lesson.pk, activity.pk]
        ),
        body if isinstance(body, bytes) else json.dumps(body),
        content_type="application/json",
    )


def test_a_learners_failures_are_kept_as_one_row_that_counts_up(client, stuck_learner):
    learner, lesson, activity = stuck_learner
    client.force_login(learner)

    first = report(client, lesson, activity, {"reason": "timeout", "message": ""})
    second = report(
        client,
        lesson,
        activity,
        {"reason": "script-error", "message": "TypeError:\n  x is   undefined"},
    )

    assert first.status_code == second.status_code == 200
    failure = H5PStartFailure.objects.get()
    assert (failure.activity, failure.user) == (activity, learner)
    assert failure.times == 2
    assert failure.reason == "script-error"
    assert failure.message == "TypeError: x is undefined"
    assert failure.last_failed_at >= failure.first_failed_at


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"reason": "it broke", "message": ""}, 400),
        ({"reason": "timeout", "message": ["not", "text"]}, 400),
        (["timeout"], 400),
        (b"not json", 400),
        (json.dumps({"reason": "timeout", "message": "x" * 3000}).encode(), 413),
    ],
)
def test_a_bad_failure_report_is_refused_and_records_nothing(
    client, stuck_learner, body, status
):
    learner, lesson, activity = stuck_learner
    client.force_login(learner)

    response = report(client, lesson, activity, body)

    assert response.status_code == status
    assert response.json()["error"]
    assert not H5PStartFailure.objects.exists()


def test_only_an_enrolled_learner_may_report_a_failure(
    client, stuck_learner, make_learner
):
    _learner, lesson, activity = stuck_learner
    client.force_login(make_learner())

    response = report(client, lesson, activity, {"reason": "timeout"})

    assert response.status_code == 403
    assert not H5PStartFailure.objects.exists()
    client.logout()
    assert report(client, lesson, activity, {"reason": "timeout"}).status_code == 302
    assert not H5PStartFailure.objects.exists()


def test_an_unknown_reason_is_refused_by_the_service(stuck_learner):
    learner, _lesson, activity = stuck_learner

    with pytest.raises(ValueError):
        record_start_failure(learner, activity, reason="gremlins")
    assert not H5PStartFailure.objects.exists()


def test_a_waived_activity_no_longer_holds_the_lesson_up(client, stuck_learner):
    learner, lesson, activity = stuck_learner
    client.force_login(learner)
    assert unmet_activity_requirements(learner, lesson) == [
        f"complete the activity “{activity.title}”"
    ]
    assert "Complete this activity to finish the lesson." in client.get(
        lesson.url
    ).content.decode("utf-8")

    activity.requirement_waived = True
    activity.save(update_fields=["requirement_waived"])

    assert unmet_activity_requirements(learner, lesson) == []
    page = client.get(lesson.url).content.decode()
    assert "You can finish this lesson without this activity." in page
    assert 'data-h5p-done="true"' in page


def in_the_trainers_programme(activity):
    """Make ``activity`` belong to the programme the ``trainer`` fixture edits."""
    from courses.models import ProgrammePage

    activity.programme = ProgrammePage.objects.get(slug="nttp")
    activity.save(update_fields=["programme"])
    return activity


def test_trainers_see_who_an_activity_failed_for_in_the_admin(
    client,
    trainer,  # noqa: F811
    stuck_learner,
    make_learner,
    django_assert_max_num_queries,
):
    learner, _lesson, activity = stuck_learner
    record_start_failure(learner, activity, reason="script-error", message="boom")
    client.force_login(trainer)
    listing = reverse("wagtailsnippets_content_h5pstartfailure:list")
    # Another programme's failures are not this trainer's to see.
    assert activity.title not in client.get(listing).content.decode()
    in_the_trainers_programme(activity)

    client.get(listing)
    with django_assert_max_num_queries(60) as one_row:
        response = client.get(listing)
    assert response.status_code == 200
    assert activity.title in response.content.decode()
    one_row_queries = len(one_row.captured_queries)

    for _ in range(5):
        record_start_failure(make_learner(), activity, reason="timeout")
    with django_assert_max_num_queries(one_row_queries):
        response = client.get(listing)
    assert response.content.decode().count(activity.title) >= 6

    activities = client.get(reverse("wagtailsnippets_content_h5pactivity:list"))
    row = activities.content.decode().split(activity.title, 1)[1].split("</tr>")[0]
    assert ">6<" in row.replace(" ", "").replace("\n", "")


def test_failure_records_cannot_be_added_or_edited_in_the_admin(
    client,
    admin_user,
    stuck_learner,
):
    learner, _lesson, activity = stuck_learner
    failure = record_start_failure(learner, activity, reason="timeout")
    client.force_login(admin_user)

    add = client.get(reverse("wagtailsnippets_content_h5pstartfailure:add"))
    edit = client.post(
        reverse("wagtailsnippets_content_h5pstartfailure:edit", args=[failure.pk]),
        {"reason": "script-error", "times": 99},
    )
    inspect = client.get(
        reverse("wagtailsnippets_content_h5pstartfailure:inspect", args=[failure.pk])
    )

    assert add.status_code in (302, 403)
    assert edit.status_code in (302, 403)
    assert inspect.status_code == 200
    failure.refresh_from_db()
    assert (failure.reason, failure.times) == ("timeout", 1)


def test_the_admin_home_page_tells_trainers_which_activities_hold_lessons_up(
    client,
    trainer,  # noqa: F811
    stuck_learner,
):
    learner, _lesson, activity = stuck_learner
    client.force_login(trainer)
    record_start_failure(learner, activity, reason="script-error")
    # Another programme's activity is not this trainer's to hear of.
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert activity.title not in home

    in_the_trainers_programme(activity)
    H5PStartFailure.objects.all().delete()
    assert (
        activity.title not in client.get(reverse("wagtailadmin_home")).content.decode()
    )
    record_start_failure(learner, activity, reason="script-error")
    home = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "did not start for learners" in home
    assert activity.title in home
    assert (
        reverse("wagtailsnippets_content_h5pactivity:edit", args=[activity.pk]) in home
    )

    activity.requirement_waived = True
    activity.save(update_fields=["requirement_waived"])
    assert (
        activity.title not in client.get(reverse("wagtailadmin_home")).content.decode()
    )
