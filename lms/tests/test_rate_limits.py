"""The rate-limit module, the JSON caps and the request-size cap."""

from __future__ import annotations

import json

import pytest
from django.test import RequestFactory

from lms.rate_limits import check
from lms.request_limits import (
    JsonLimits,
    JsonRefused,
    RequestSizeLimitMiddleware,
    body_limit_for,
    parse_json,
)
from lms.settings import environment


def request_from(address: str):
    return RequestFactory().post("/anything/", REMOTE_ADDR=address)


def test_a_learner_over_their_limit_is_refused_with_when_to_come_back(
    counting_cache, set_limit
):
    set_limit("statement", learner=(3, 60), address=(100, 60))
    answers = [check(request_from("10.0.0.1"), "statement", "user:1") for _ in range(4)]
    assert answers[:3] == [None, None, None]
    refusal = answers[3]
    assert refusal.scope == "learner"
    assert 1 <= refusal.retry_after <= 60
    # Another learner on the same address is not held back by the first.
    assert check(request_from("10.0.0.1"), "statement", "user:2") is None


def test_an_address_over_its_limit_is_refused_whichever_learner_asks(
    counting_cache, set_limit
):
    set_limit("enrol", learner=(100, 3600), address=(5, 3600))
    for number in range(5):
        assert check(request_from("10.0.0.9"), "enrol", f"user:{number}") is None
    refusal = check(request_from("10.0.0.9"), "enrol", "user:99")
    assert refusal is not None and refusal.scope == "address"
    assert refusal.retry_after <= 3600
    # Another address is counted apart, and actions are counted apart.
    assert check(request_from("10.0.0.10"), "enrol", "user:99") is None
    assert check(request_from("10.0.0.9"), "quiz_save", "user:99") is None


def test_a_limit_set_empty_is_off(counting_cache, set_limit):
    set_limit("register", learner=None, address=(1, 60))
    assert check(request_from("10.1.1.1"), "register", "email:a@example.org") is None
    assert check(request_from("10.1.1.2"), "register", "email:a@example.org") is None


def test_limits_come_from_the_environment_with_safe_defaults():
    defaults = environment.rate_limits({})
    assert defaults["statement"] == {"learner": (60, 60), "address": (600, 60)}
    assert set(defaults) == {
        "statement",
        "quiz_save",
        "quiz_submit",
        "enrol",
        "register",
        "password_reset",
        "pdf_check",
        "record_share",
        "cohort_join",
        "award_consent",
        "award_upload",
        "event_register",
        "offline_sync",
        "check_in",
        "check_in_sync",
    }
    changed = environment.rate_limits(
        {"RATE_LIMIT_ENROL_LEARNER": "5/60", "RATE_LIMIT_ENROL_ADDRESS": ""}
    )
    assert changed["enrol"] == {"learner": (5, 60), "address": None}
    with pytest.raises(environment.ConfigurationError, match="RATE_LIMIT_ENROL"):
        environment.rate_limits({"RATE_LIMIT_ENROL_LEARNER": "five a minute"})
    with pytest.raises(environment.ConfigurationError):
        environment.rate_limits({"RATE_LIMIT_ENROL_LEARNER": "0/60"})


# JSON caps ------------------------------------------------------------------

LIMITS = JsonLimits(
    max_bytes=16 * 1024, max_depth=4, max_items=5, max_values=40, max_string=10
)


def nested(depth: int):
    value = "x"
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    "document,status",
    [
        (b'{"a": ' + b'"' + b"y" * 20_000 + b'"}', 413),
        (b"not json", 400),
        (b'{"a": [[[["too deep"]]]]}', 400),
        (str([1, 2, 3, 4, 5, 6]).encode(), 400),
        (b'{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6}', 400),
        (b'{"a": "eleven char"}'.replace(b"eleven char", b"x" * 11), 400),
        (b'{"long key name": 1}', 400),
        (b"[" + b"[" * 100_000 + b"]" * 100_000 + b"]", 413),
    ],
)
def test_json_over_a_cap_is_refused_lists_and_objects_included(document, status):
    with pytest.raises(JsonRefused) as refused:
        parse_json(document, LIMITS)
    assert refused.value.status == status


def test_json_within_every_cap_is_returned():
    assert parse_json(b'{"a": [1, {"b": "short"}]}', LIMITS) == {
        "a": [1, {"b": "short"}]
    }
    # 1 outer list, 5 inner lists and 25 numbers: 31 values, within 40 ...
    assert parse_json(str([[1, 2, 3, 4, 5]] * 5).encode(), LIMITS)
    # ... and a second level of them is not: 1 + 5 + 25 + 125 values.
    with pytest.raises(JsonRefused):
        parse_json(str([[[1, 2, 3, 4, 5]] * 5] * 5).encode(), LIMITS)


# Request size ---------------------------------------------------------------


class UnreadableStream:
    """A request body that fails the test if anything reads it."""

    reads = 0

    def read(self, *args):
        UnreadableStream.reads += 1
        raise AssertionError("the body was read")

    readline = read


def test_an_oversized_body_is_refused_before_anything_reads_it(rf):
    ran = []
    middleware = RequestSizeLimitMiddleware(lambda request: ran.append(request))
    request = rf.post(
        "/h5p/lessons/1/activities/1/statements/",
        data=b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(2 * 1024**3),
        HTTP_ACCEPT="application/json",
        **{"wsgi.input": UnreadableStream()},
    )
    response = middleware(request)
    assert response.status_code == 413
    assert "too large" in json.loads(response.content)["error"]
    assert ran == [] and UnreadableStream.reads == 0


@pytest.mark.django_db
def test_an_oversized_form_is_refused_with_a_page_in_the_learners_language(client):
    response = client.generic(
        "POST",
        "/ur/verify/",
        b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(50 * 1024**2),
        **{"wsgi.input": UnreadableStream()},
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "<h1>" in page
    # The limit (11 MB for this page) written by Django's filesizeformat in Urdu.
    assert "11.0\xa0م\xa0۔\xa0ب" in page
    assert UnreadableStream.reads == 0


def test_each_kind_of_path_has_its_own_body_limit(settings):
    learner = body_limit_for("/h5p/lessons/1/activities/1/statements/")
    assert learner == settings.REQUEST_BODY_MAX_BYTES == 256 * 1024
    assert body_limit_for("/verify/") == body_limit_for("/ur/verify/") > 10 * 1024**2
    assert body_limit_for("/verify/K7QM-3XD9-P2RT-W8HC/") == learner
    assert body_limit_for("/admin/h5p/upload/") == 1024 * 1024**2
