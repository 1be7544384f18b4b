"""The trainer's side: the check-in screen, personal codes, the tick-list and
the phone's queue, each held to the trainer's scope."""

from __future__ import annotations

import json
import uuid

import pytest
from django.urls import reverse

from events.attendance import codes
from events.models import Attendance

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(make_event, make_learner, register):
    event = make_event()
    learners = [make_learner() for _ in range(3)]
    for learner in learners:
        register(event, learner)
    return event, event.sessions.get(), learners


def record(client, session, items):
    return client.post(
        reverse("attendance:staff_record", kwargs={"session_id": session.pk}),
        json.dumps({"items": items}),
        content_type="application/json",
    )


def test_screen_shows_a_qr_of_the_current_code_and_the_count(
    client, staff, hall, django_assert_max_num_queries
):
    _event, session, learners = hall
    client.force_login(staff)
    url = reverse("attendance:screen", kwargs={"session_id": session.pk})
    with django_assert_max_num_queries(12):
        page = client.get(url)
    html = page.content.decode()
    token = codes.rotating_token(session.pk)
    assert (
        f'data-token="{token}"' in html
        or codes.check_rotating_token(
            session.pk, html.split('data-token="')[1].split('"')[0]
        )
        is codes.CodeCheck.VALID
    )
    assert 'src="data:image/svg+xml' in html
    assert "<script>" not in html  # CSP: no inline scripts
    for learner in learners:
        assert learner.profile.certificate_name_en in html


def test_screen_query_count_stays_flat_as_registrations_grow(
    client, staff, hall, make_learner, register, django_assert_max_num_queries
):
    event, session, _learners = hall
    for _ in range(10):
        register(event, make_learner())
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        client.get(reverse("attendance:screen", kwargs={"session_id": session.pk}))


def test_state_gives_the_code_of_now(client, staff, hall):
    _event, session, _learners = hall
    client.force_login(staff)
    state = client.get(
        reverse("attendance:screen_state", kwargs={"session_id": session.pk})
    ).json()
    assert (
        codes.check_rotating_token(session.pk, state["token"]) is codes.CodeCheck.VALID
    )
    assert state["url"].endswith(f"/events/check-in/{session.pk}/{state['token']}/")
    assert state["count"] == 0


def test_learners_and_coordinators_out_of_scope_get_404(client, hall, make_learner):
    _event, session, learners = hall
    client.force_login(learners[0])
    for name in ("screen", "screen_state"):
        url = reverse(f"attendance:{name}", kwargs={"session_id": session.pk})
        assert client.get(url).status_code == 404
    response = record(
        client, session, [{"id": str(uuid.uuid4()), "learner": learners[0].pk}]
    )
    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_coordinator_of_another_district_cannot_run_the_session(
    client, hall, make_learner, programme
):
    from cohorts.models import CoordinatorAssignment
    from lms.accounts.models import District

    event, session, learners = hall
    event.district = District.objects.get(code="PB-LHR")
    event.save()
    coordinator = make_learner()
    elsewhere = District.objects.exclude(code="PB-LHR").first()
    CoordinatorAssignment.objects.create(
        user=coordinator, programme=programme, district=elsewhere
    )
    client.force_login(coordinator)
    url = reverse("attendance:screen", kwargs={"session_id": session.pk})
    assert client.get(url).status_code == 404
    CoordinatorAssignment.objects.create(
        user=coordinator, programme=programme, district=event.district
    )
    assert client.get(url).status_code == 200


def test_personal_code_checks_in_its_learner_once_even_when_replayed(
    client, staff, hall
):
    _event, session, learners = hall
    client.force_login(staff)
    items = [
        {"id": str(uuid.uuid4()), "code": codes.personal_qr_text(learners[0].pk)},
        {"id": str(uuid.uuid4()), "learner": learners[1].pk},
    ]
    first = record(client, session, items).json()
    assert [r["status"] for r in first["results"]] == ["done", "done"]
    again = record(client, session, items).json()
    assert [r["status"] for r in again["results"]] == ["duplicate", "duplicate"]
    assert again["count"] == 2
    assert Attendance.objects.count() == 2
    by_code = Attendance.objects.get(learner=learners[0])
    assert by_code.method == Attendance.Method.PERSONAL_QR
    assert by_code.recorded_by == staff


def test_queued_scan_keeps_the_time_it_was_made(client, staff, hall):
    from django.utils import timezone

    _event, session, learners = hall
    client.force_login(staff)
    scanned = timezone.now().replace(microsecond=0) - timezone.timedelta(minutes=3)
    record(
        client,
        session,
        [
            {
                "id": str(uuid.uuid4()),
                "learner": learners[0].pk,
                "at": scanned.isoformat(),
            }
        ],
    )
    assert Attendance.objects.get().checked_in_at == scanned


def test_forged_personal_code_of_another_learner_is_refused(
    client, staff, hall, make_learner
):
    _event, session, learners = hall
    outsider = make_learner()
    client.force_login(staff)
    real = codes.personal_code(learners[0].pk)
    forged = ("a" if real[0] != "a" else "b") + real[1:]
    answer = record(
        client,
        session,
        [
            {"id": str(uuid.uuid4()), "code": forged},
            {"id": str(uuid.uuid4()), "code": codes.personal_code(outsider.pk)},
            {"id": str(uuid.uuid4()), "learner": outsider.pk},
        ],
    ).json()
    assert [r["status"] for r in answer["results"]] == ["refused"] * 3
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    "item",
    [
        "not an object",
        {"id": "not-a-uuid", "learner": 1},
        {"id": str(uuid.uuid4())},
        {"id": str(uuid.uuid4()), "learner": True},
        {"id": str(uuid.uuid4()), "learner": 1, "code": "abc"},
        {"id": str(uuid.uuid4()), "learner": 1, "at": "yesterday"},
    ],
)
def test_malformed_queue_items_are_refused(client, staff, hall, item):
    _event, session, _learners = hall
    client.force_login(staff)
    answer = record(client, session, [item]).json()
    assert answer["results"][0]["status"] == "refused"
    assert not Attendance.objects.exists()


def test_queue_is_held_to_its_size(client, staff, hall):
    _event, session, learners = hall
    client.force_login(staff)
    items = [{"id": str(uuid.uuid4()), "learner": learners[0].pk}] * 51
    assert record(client, session, items).status_code == 400
    huge = client.post(
        reverse("attendance:staff_record", kwargs={"session_id": session.pk}),
        json.dumps({"items": [], "pad": "x" * 40_000}),
        content_type="application/json",
    )
    assert huge.status_code == 413
    assert not Attendance.objects.exists()


def test_client_id_of_one_session_is_not_reused_at_another(
    client, staff, hall, make_event, register
):
    event, session, learners = hall
    other = make_event().sessions.get()
    register(other.event, learners[0])
    client.force_login(staff)
    item = {"id": str(uuid.uuid4()), "learner": learners[0].pk}
    record(client, session, [item])
    answer = record(client, other, [item]).json()
    assert answer["results"][0]["status"] == "refused"
    assert not Attendance.objects.filter(session=other).exists()


def test_tick_list_form_works_without_javascript(client, staff, hall):
    _event, session, learners = hall
    client.force_login(staff)
    url = reverse("attendance:staff_record", kwargs={"session_id": session.pk})
    response = client.post(
        url, {"client_id": str(uuid.uuid4()), "learner": learners[2].pk}, follow=True
    )
    assert "is checked in" in response.content.decode()
    assert Attendance.objects.get().learner == learners[2]


def test_typed_personal_code_form(client, staff, hall):
    _event, session, learners = hall
    client.force_login(staff)
    url = reverse("attendance:staff_record", kwargs={"session_id": session.pk})
    client.post(
        url,
        {
            "client_id": str(uuid.uuid4()),
            "code": codes.display_personal_code(learners[1].pk),
        },
    )
    assert Attendance.objects.get().learner == learners[1]


def test_my_learning_shows_the_personal_code_to_a_registered_learner(
    client, hall, make_learner
):
    _event, _session, learners = hall
    client.force_login(learners[0])
    html = client.get(reverse("courses:dashboard")).content.decode()
    assert codes.display_personal_code(learners[0].pk) in html
    client.force_login(make_learner())
    html = client.get(reverse("courses:dashboard")).content.decode()
    assert "personal-check-in" not in html
