"""A learner's script cannot flood the statement endpoint or smuggle big
lists and objects into a statement: refused, and nothing stored."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from content.models import XAPIStatement
from content.services import StatementRejected, record_xapi_statement
from courses.services import enrol

from .test_xapi_recording import statement_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def playing(import_activity, lesson_with_activity, make_learner):
    activity = import_activity()
    course, lesson = lesson_with_activity(activity, "completed")
    learner = make_learner()
    enrol(learner, course)
    return activity, course, lesson, learner


def post(client, lesson, activity, body, address="10.0.0.1"):
    return client.post(
        reverse("lesson_activities:record_statement", args=[lesson.pk, activity.pk]),
        data=body if isinstance(body, bytes) else json.dumps(body),
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def test_a_statement_flood_is_refused_after_the_learners_limit(
    playing, client, counting_cache, set_limit
):
    activity, _course, lesson, learner = playing
    set_limit("statement", learner=(5, 60), address=(1000, 60))
    client.force_login(learner)
    body = {"statement": statement_for(activity)}

    codes = [post(client, lesson, activity, body).status_code for _ in range(8)]

    assert codes == [200] * 5 + [429] * 3
    assert XAPIStatement.objects.count() == 5
    refused = post(client, lesson, activity, body)
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "too often" in refused.json()["error"]
    # From another address the same learner is still over their own limit.
    assert post(client, lesson, activity, body, "10.9.9.9").status_code == 429


def test_many_learners_on_one_address_are_refused_past_the_address_limit(
    playing, make_learner, counting_cache, set_limit
):
    activity, course, lesson, _learner = playing
    set_limit("statement", learner=(100, 60), address=(4, 60))
    body = {"statement": statement_for(activity)}
    codes = []
    for _ in range(3):
        learner = make_learner()
        enrol(learner, course)
        client = Client()
        client.force_login(learner)
        codes += [post(client, lesson, activity, body).status_code for _ in range(2)]

    assert codes == [200] * 4 + [429] * 2
    assert XAPIStatement.objects.count() == 4


def big_lists_and_objects(activity) -> dict[str, dict]:
    def with_result(**result):
        return {"statement": statement_for(activity, **result)}

    return {
        "a list response": with_result(response=["x" * 1000] * 12),
        "an object response": with_result(response={f"k{n}": n for n in range(40)}),
        "a deep duration": with_result(duration=[[[[[[[["PT1S"]]]]]]]]),
        "a list in the score": {
            "statement": {
                **statement_for(activity),
                "result": {
                    "score": {"raw": 1, "max": 1, "padding": list(range(60))},
                },
            }
        },
        "many keys in the result": with_result(
            **{f"extension{n}": "x" for n in range(60)}
        ),
        "a long list at the top": {"statement": [statement_for(activity)] * 60},
    }


@pytest.mark.parametrize(
    "case",
    [
        "a list response",
        "an object response",
        "a deep duration",
        "a list in the score",
        "many keys in the result",
        "a long list at the top",
    ],
)
def test_lists_and_objects_over_the_caps_are_refused_and_nothing_is_stored(
    playing, client, case
):
    activity, _course, lesson, learner = playing
    client.force_login(learner)

    response = post(client, lesson, activity, big_lists_and_objects(activity)[case])

    assert response.status_code in (400, 413), response.content
    assert response.json()["error"]
    assert XAPIStatement.objects.count() == 0


def test_the_service_refuses_a_response_that_is_not_a_short_text(playing):
    activity, _course, _lesson, learner = playing
    for response in (["a", "b"], {"a": 1}, "x" * 2001):
        with pytest.raises(StatementRejected):
            record_xapi_statement(
                learner, activity, statement_for(activity, response=response)
            )
    assert XAPIStatement.objects.count() == 0


def test_only_the_checked_score_is_stored(playing):
    activity, _course, _lesson, learner = playing
    statement = statement_for(activity, raw=1, maximum=2, response="0[,]1")
    statement["result"]["score"]["note"] = "ignored"

    row = record_xapi_statement(learner, activity, statement)

    assert row.statement["result"] == {
        "score": {"raw": 1.0, "min": 0, "max": 2.0, "scaled": 0.5},
        "success": True,
        "completion": True,
        "response": "0[,]1",
    }


def test_an_oversized_statement_is_refused_before_it_is_read(playing, client):
    activity, _course, lesson, learner = playing
    client.force_login(learner)

    class Unread:
        read = readline = None  # any attempt to read fails the test

    response = client.generic(
        "POST",
        reverse("lesson_activities:record_statement", args=[lesson.pk, activity.pk]),
        b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(64 * 1024 * 1024),
        **{"wsgi.input": Unread()},
    )

    assert response.status_code == 413
    assert XAPIStatement.objects.count() == 0
