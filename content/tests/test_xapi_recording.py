"""Recording xAPI results: only well-formed statements about the learner's own
activity are kept, and lessons wait for the activities they require."""

from __future__ import annotations

import copy
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from content.models import XAPIStatement
from content.services import StatementRejected, record_xapi_statement
from courses.activities import enrolment_registration, record_statement_in_lesson
from courses.models import Enrolment, LessonProgress
from courses.services import (
    LessonRequirementsNotMet,
    enrol,
    record_lesson_complete,
)

pytestmark = pytest.mark.django_db

ADL = "http://adlnet.gov/expapi/verbs/"


def statement_for(activity, verb="completed", raw=1, maximum=1, **result):
    return {
        "actor": {"account": {"name": "a-random-player-id"}, "objectType": "Agent"},
        "verb": {"id": ADL + verb, "display": {"en-US": verb}},
        "object": {"id": activity.xapi_object_id, "objectType": "Activity"},
        "result": {
            "score": {"min": 0, "max": maximum, "raw": raw, "scaled": raw / maximum},
            "completion": True,
            "success": True,
            **result,
        },
    }


@pytest.fixture
def setup(import_activity, lesson_with_activity, make_learner):
    activity = import_activity()
    course, lesson = lesson_with_activity(activity, "completed")
    learner = make_learner()
    enrol(learner, course)
    return activity, course, lesson, learner


def test_a_valid_statement_is_kept_for_the_learner_as_self_reported(setup):
    activity, _course, _lesson, learner = setup

    row = record_xapi_statement(
        learner, activity, statement_for(activity, raw=3, maximum=4)
    )

    assert (row.user, row.activity, row.verb) == (learner, activity, "completed")
    assert (row.score_raw, row.score_max, row.score_scaled) == (3.0, 4.0, 0.75)
    assert row.self_reported is True
    assert row.statement["actor"]["account"]["name"] == str(learner.pk)


def forged(activity, other_learner):
    base = statement_for(activity)
    cases = {}
    cases["another learner's account"] = copy.deepcopy(base)
    cases["another learner's account"]["actor"] = {
        "account": {"homePage": "http://127.0.0.1:8000", "name": str(other_learner.pk)}
    }
    cases["another learner's e-mail"] = copy.deepcopy(base)
    cases["another learner's e-mail"]["actor"] = {
        "mbox": f"mailto:{other_learner.email}"
    }
    cases["score above the maximum"] = statement_for(activity, raw=5, maximum=1)
    cases["negative score"] = statement_for(activity, raw=-1, maximum=1)
    cases["scaled score above one"] = copy.deepcopy(base)
    cases["scaled score above one"]["result"]["score"]["scaled"] = 1.5
    cases["scaled score that disagrees"] = copy.deepcopy(base)
    cases["scaled score that disagrees"]["result"]["score"]["scaled"] = 0.2
    cases["score as text"] = copy.deepcopy(base)
    cases["score as text"]["result"]["score"]["raw"] = "1"
    cases["unknown verb"] = statement_for(activity, verb="hacked")
    cases["verb from elsewhere"] = copy.deepcopy(base)
    cases["verb from elsewhere"]["verb"]["id"] = "http://example.org/verbs/completed"
    cases["other activity"] = copy.deepcopy(base)
    cases["other activity"]["object"]["id"] = "http://127.0.0.1:8000/h5p/activities/x"
    cases["bad sub-content id"] = copy.deepcopy(base)
    cases["bad sub-content id"]["object"]["id"] += "?subContentId=<script>"
    cases["success as text"] = statement_for(activity, success="yes")
    cases["not an object"] = ["completed"]
    return cases


FORGERIES = [
    "another learner's account",
    "another learner's e-mail",
    "score above the maximum",
    "negative score",
    "scaled score above one",
    "scaled score that disagrees",
    "score as text",
    "unknown verb",
    "verb from elsewhere",
    "other activity",
    "bad sub-content id",
    "success as text",
    "not an object",
]


@pytest.mark.parametrize("case", FORGERIES)
def test_a_forged_statement_is_refused_and_changes_nothing(setup, make_learner, case):
    activity, _course, lesson, learner = setup
    other = make_learner()

    with pytest.raises(StatementRejected) as refusal:
        record_xapi_statement(learner, activity, forged(activity, other)[case])

    assert str(refusal.value.message)
    assert XAPIStatement.objects.count() == 0
    with pytest.raises(LessonRequirementsNotMet):
        record_lesson_complete(learner, lesson.pk)


def post_statement(client, lesson, activity, body):
    return client.post(
        reverse("lesson_activities:record_statement", args=[lesson.pk, activity.pk]),
        data=json.dumps(body),
        content_type="application/json",
    )


def test_the_endpoint_records_for_the_signed_in_learner_and_opens_the_lesson(
    setup, client
):
    activity, _course, lesson, learner = setup
    client.force_login(learner)

    response = post_statement(
        client, lesson, activity, {"statement": statement_for(activity)}
    )

    assert response.status_code == 200
    assert response.json()["lesson_requirements_met"] is True
    assert XAPIStatement.objects.get().user == learner
    assert record_lesson_complete(learner, lesson.pk).newly_completed


@pytest.mark.parametrize("case", FORGERIES)
def test_the_endpoint_refuses_forged_statements_with_a_message(
    setup, client, make_learner, case
):
    activity, _course, lesson, learner = setup
    client.force_login(learner)

    response = post_statement(
        client, lesson, activity, {"statement": forged(activity, make_learner())[case]}
    )

    assert response.status_code == 400
    assert response.json()["error"]
    assert XAPIStatement.objects.count() == 0


def test_the_endpoint_refuses_extra_fields_such_as_a_learner_id(
    setup, client, make_learner
):
    activity, _course, lesson, learner = setup
    client.force_login(learner)

    response = post_statement(
        client,
        lesson,
        activity,
        {"statement": statement_for(activity), "user": make_learner().pk},
    )

    assert response.status_code == 400
    assert XAPIStatement.objects.count() == 0


def test_the_endpoint_needs_an_enrolled_learner_and_the_activity_in_that_lesson(
    setup, client, make_learner, import_activity
):
    activity, _course, lesson, learner = setup
    body = {"statement": statement_for(activity)}

    assert post_statement(client, lesson, activity, body).status_code == 302
    client.force_login(make_learner())  # not enrolled
    assert post_statement(client, lesson, activity, body).status_code == 403
    client.force_login(learner)
    elsewhere = import_activity()
    other_body = {"statement": statement_for(elsewhere)}
    assert post_statement(client, lesson, elsewhere, other_body).status_code == 403
    assert XAPIStatement.objects.count() == 0


def test_the_endpoint_is_protected_against_cross_site_requests(setup):
    activity, _course, lesson, learner = setup
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)

    response = post_statement(
        client, lesson, activity, {"statement": statement_for(activity)}
    )

    assert response.status_code == 403
    assert XAPIStatement.objects.count() == 0


def test_a_lesson_that_needs_a_pass_is_not_finished_by_a_failure(
    import_activity, lesson_with_activity, make_learner
):
    activity = import_activity()
    course, lesson = lesson_with_activity(activity, "passed")
    learner = make_learner()
    enrol(learner, course)
    record_xapi_statement(
        learner,
        activity,
        statement_for(activity, verb="failed", raw=0, maximum=1, success=False),
    )

    with pytest.raises(LessonRequirementsNotMet, match="pass the activity"):
        record_lesson_complete(learner, lesson.pk)
    assert not LessonProgress.objects.exists()

    record_xapi_statement(learner, activity, statement_for(activity, verb="passed"))
    assert record_lesson_complete(learner, lesson.pk).newly_completed


def test_results_of_a_part_of_the_activity_do_not_complete_it(setup):
    activity, _course, lesson, learner = setup
    part = statement_for(activity, verb="answered")
    part["object"]["id"] += "?subContentId=0b7c6a5e-1d2f-4c3b-9a8e-7f6d5c4b3a21"
    record_xapi_statement(learner, activity, part)

    with pytest.raises(LessonRequirementsNotMet):
        record_lesson_complete(learner, lesson.pk)


def test_another_learners_result_does_not_complete_my_lesson(setup, make_learner):
    activity, course, lesson, learner = setup
    other = make_learner()
    enrol(other, course)
    record_xapi_statement(other, activity, statement_for(activity))

    with pytest.raises(LessonRequirementsNotMet):
        record_lesson_complete(learner, lesson.pk)
    assert record_lesson_complete(other, lesson.pk).newly_completed


def test_the_mark_complete_button_explains_what_is_missing(setup, client):
    _activity, _course, lesson, learner = setup
    client.force_login(learner)

    response = client.post(
        reverse("courses:complete_lesson", args=[lesson.pk]), follow=True
    )

    assert response.redirect_chain[-1][0] == lesson.url
    assert "complete the activity" in response.content.decode()
    assert not LessonProgress.objects.exists()


def test_self_reported_results_count_for_the_course_only_when_the_trainer_allows(
    import_activity, lesson_with_activity, make_learner
):
    from courses import authoring
    from courses.completion import unmet_requirements

    for allowed in (False, True):
        activity = import_activity()
        course, _required = lesson_with_activity(
            activity, "none", h5p_results_count_for_certificate=allowed
        )
        # An optional lesson whose activity must be passed.
        authoring.create_lesson(
            course,
            "Extra practice",
            "extra",
            required=False,
            body=[("h5p", {"activity": activity, "requirement": "passed"})],
        )
        learner = make_learner()
        enrol(learner, course)
        lesson = course.lessons().first()
        completion = record_lesson_complete(learner, lesson.pk)

        unmet = unmet_requirements(learner, course)
        if allowed:
            assert unmet and not completion.course_completed_now
            record_statement_in_lesson(
                Enrolment.objects.get(user=learner, course=course),
                activity,
                statement_for(activity, verb="passed"),
            )
            assert unmet_requirements(learner, course) == []
            assert Enrolment.objects.get(user=learner, course=course).is_complete
        else:
            assert unmet == []
            assert completion.course_completed_now
        assert Enrolment.objects.get(user=learner, course=course)


def h5p_statement(activity, **extra):
    """A statement shaped as H5P's Multiple Choice sends it: an object definition
    naming the choices, so the response "0[,]2" can be read later."""
    statement = statement_for(activity, verb="answered", response="0[,]2")
    statement["object"]["definition"] = {
        "name": {"en-US": "Which questions invite thinking?"},
        "interactionType": "choice",
        "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
        "correctResponsesPattern": ["0[,]2"],
        "choices": [
            {"id": "0", "description": {"en-US": "Why?"}},
            {"id": "1", "description": {"en-US": "Is it 4?"}},
            {"id": "2", "description": {"en-US": "What if?"}},
        ],
    }
    statement["context"] = {
        "contextActivities": {
            "category": [{"id": "http://h5p.org/libraries/H5P.MultiChoice-1.16"}]
        },
        "extensions": {"http://h5p.org/x-api/h5p-local-content-id": 1},
        "registration": "00000000-0000-4000-8000-000000000000",
    }
    statement.update(extra)
    return statement


def test_a_statement_is_kept_as_xapi_keeps_it_with_the_enrolment_as_registration(
    setup,
):
    activity, course, _lesson, learner = setup
    statement_id = "5f0c8f5e-6c1a-4f57-9d8e-1b2c3d4e5f60"

    row = record_statement_in_lesson(
        Enrolment.objects.get(user=learner, course=course),
        activity,
        h5p_statement(
            activity, id=statement_id, timestamp="2026-12-01T10:15:00.250+05:00"
        ),
    )

    kept = row.statement
    enrolment = Enrolment.objects.get(user=learner, course=course)
    assert str(row.statement_id) == kept["id"] == statement_id
    assert kept["version"] == "1.0.3"
    assert kept["timestamp"] == "2026-12-01T10:15:00.250000+05:00"
    assert kept["stored"]
    # The registration is the learner's enrolment, never the browser's claim.
    assert kept["context"]["registration"] == str(enrolment_registration(enrolment))
    assert kept["context"]["registration"] != "00000000-0000-4000-8000-000000000000"
    assert kept["context"]["contextActivities"]["category"][0]["id"].endswith(
        "H5P.MultiChoice-1.16"
    )
    definition = kept["object"]["definition"]
    assert definition["interactionType"] == "choice"
    assert [c["id"] for c in definition["choices"]] == ["0", "1", "2"]
    assert kept["result"]["response"] == "0[,]2"


def test_each_enrolment_has_its_own_registration(setup, make_learner):
    _activity, course, _lesson, learner = setup
    other = make_learner()
    enrol(other, course)
    mine, theirs = (
        enrolment_registration(Enrolment.objects.get(user=user, course=course))
        for user in (learner, other)
    )

    assert mine != theirs
    assert mine == enrolment_registration(
        Enrolment.objects.get(user=learner, course=course)
    )


def test_the_same_statement_sent_twice_is_recorded_once(setup):
    activity, course, _lesson, learner = setup
    statement = h5p_statement(activity, id="8a1f2e3d-4c5b-4a69-8877-665544332211")

    first = record_statement_in_lesson(
        Enrolment.objects.get(user=learner, course=course), activity, statement
    )
    again = record_statement_in_lesson(
        Enrolment.objects.get(user=learner, course=course), activity, statement
    )

    assert again.pk == first.pk
    assert XAPIStatement.objects.count() == 1


def test_a_statement_without_id_or_timestamp_gets_both(setup):
    activity, _course, _lesson, learner = setup

    row = record_xapi_statement(learner, activity, statement_for(activity))

    assert row.statement_id is not None
    assert row.statement["id"] == str(row.statement_id)
    assert row.statement["timestamp"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": "not-a-uuid"}, "UUID"),
        ({"id": 12}, "UUID"),
        ({"timestamp": "yesterday"}, "timestamp"),
        ({"timestamp": "2026-12-01T10:15:00"}, "timestamp"),
        ({"context": ["not", "an", "object"]}, "context"),
        ({"object": "definition-less"}, "different activity"),
    ],
)
def test_a_statement_with_a_bad_id_time_or_context_is_refused(setup, change, message):
    activity, _course, _lesson, learner = setup
    statement = h5p_statement(activity, **change)

    with pytest.raises(StatementRejected) as refused:
        record_xapi_statement(learner, activity, statement)

    assert message in str(refused.value.message)
    assert not XAPIStatement.objects.exists()


def test_another_learner_cannot_reuse_a_statement_id(setup, make_learner):
    activity, course, _lesson, learner = setup
    other = make_learner()
    enrol(other, course)
    statement = h5p_statement(activity, id="0b6d7c1e-2f3a-4b5c-8d9e-0f1a2b3c4d5e")
    record_statement_in_lesson(
        Enrolment.objects.get(user=learner, course=course), activity, statement
    )

    with pytest.raises(StatementRejected):
        record_statement_in_lesson(
            Enrolment.objects.get(user=other, course=course), activity, statement
        )
    assert XAPIStatement.objects.count() == 1


def test_a_statement_too_large_to_keep_is_refused(setup):
    activity, _course, _lesson, learner = setup
    statement = h5p_statement(activity)
    statement["object"]["definition"]["description"] = {"en-US": "x" * 17000}

    with pytest.raises(StatementRejected) as refused:
        record_xapi_statement(learner, activity, statement)

    assert "too large" in str(refused.value.message)
    assert not XAPIStatement.objects.exists()


def test_each_kept_statement_is_announced_and_a_refused_one_never(setup):
    from content.signals import statement_recorded

    activity, _course, _lesson, learner = setup
    heard = []

    def listener(sender, statement, **kwargs):
        heard.append(statement.pk)

    statement_recorded.connect(listener)
    try:
        statement = statement_for(activity, verb="passed")
        statement["id"] = "0b1e2d3c-4f5a-4b6c-8d7e-9f8a7b6c5d4e"
        first = record_xapi_statement(learner, activity, statement)
        # A retry is announced again, so whatever waits on it re-checks.
        record_xapi_statement(learner, activity, statement)
        with pytest.raises(StatementRejected):
            record_xapi_statement(
                learner, activity, statement_for(activity, verb="hacked")
            )
    finally:
        statement_recorded.disconnect(listener)

    assert heard == [first.pk, first.pk]
    assert XAPIStatement.objects.count() == 1


def test_recording_a_completing_statement_reads_enrolments_twice_not_three_times(
    setup, client
):
    """Once to open the lesson to the learner (its row is then the registration),
    once in ``recheck_completion`` to find the course the registration names."""
    activity, course, lesson, learner = setup
    client.force_login(learner)
    post_statement(client, lesson, activity, {"statement": statement_for(activity)})

    with CaptureQueriesContext(connection) as queries:
        response = post_statement(
            client, lesson, activity, {"statement": statement_for(activity)}
        )

    assert response.status_code == 200
    enrolment_reads = [
        query["sql"]
        for query in queries.captured_queries
        if 'FROM "courses_enrolment"' in query["sql"]
        and query["sql"].lstrip().upper().startswith("SELECT")
    ]
    assert len(enrolment_reads) == 2, enrolment_reads
