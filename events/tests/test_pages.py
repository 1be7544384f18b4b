"""The public event pages, registering and cancelling through them, the
calendar download, and the admin's scope."""

from __future__ import annotations

import pytest
from django.urls import reverse

from events import services
from events.models import Event, Registration
from lms.accounts.models import District

pytestmark = pytest.mark.django_db


def test_the_list_shows_upcoming_published_events_only(client, make_event):
    shown = make_event(title_en="Shown workshop")
    make_event(title_en="Draft workshop", status=Event.Status.DRAFT)
    make_event(title_en="Past workshop", days=-5)
    page = client.get(reverse("events:list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert shown.title_en in text
    assert "Draft workshop" not in text
    assert "Past workshop" not in text


def test_the_list_filters_by_district_and_keeps_its_queries_flat(
    client, make_event, django_assert_max_num_queries
):
    make_event(title_en="Lahore workshop")
    karachi = District.objects.get(code="SD-KCS")
    make_event(title_en="Karachi workshop", district_code="SD-KCS")
    page = client.get(reverse("events:list"), {"district": karachi.pk})
    text = page.content.decode()
    assert "Karachi workshop" in text
    assert "Lahore workshop" not in text
    client.get(reverse("events:list"))  # warm Wagtail's site cache
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("events:list"))
    for _ in range(8):
        make_event()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("events:list"))


def test_an_empty_list_says_so(client):
    page = client.get(reverse("events:list"))
    assert "No events are planned" in page.content.decode()


def test_a_draft_has_no_public_page(client, make_event):
    draft = make_event(status=Event.Status.DRAFT)
    assert client.get(reverse("events:detail", args=[draft.slug])).status_code == 404


def test_registering_and_cancelling_on_the_page(client, make_event, make_learner):
    event = make_event(capacity=1)
    learner = make_learner()
    detail = reverse("events:detail", args=[event.slug])
    anonymous = client.get(detail).content.decode()
    assert "Log in to register" in anonymous
    client.force_login(learner)
    # GET never writes.
    assert client.get(reverse("events:register", args=[event.slug])).status_code == 405
    assert not Registration.objects.exists()
    response = client.post(reverse("events:register", args=[event.slug]))
    assert response.status_code == 302
    page = client.get(detail).content.decode()
    assert "You are registered." in page
    assert reverse("events:calendar", args=[event.slug]) in page
    calendar = client.get(reverse("events:calendar", args=[event.slug]))
    assert calendar["Content-Type"].startswith("text/calendar")
    assert calendar.content.decode().count("BEGIN:VEVENT") == 2
    client.post(reverse("events:cancel", args=[event.slug]))
    assert Registration.objects.get().status == "cancelled"
    assert client.get(reverse("events:calendar", args=[event.slug])).status_code == 404


def test_a_full_event_offers_the_waiting_list_and_shows_the_position(
    client, make_event, make_learner
):
    event = make_event(capacity=1)
    services.register(event, make_learner())
    learner = make_learner()
    client.force_login(learner)
    detail = reverse("events:detail", args=[event.slug])
    assert "Join the waiting list" in client.get(detail).content.decode()
    client.post(reverse("events:register", args=[event.slug]))
    assert "waiting list, number 1" in client.get(detail).content.decode()


def test_registering_after_the_event_says_why_and_records_nothing(
    client, make_event, make_learner
):
    event = make_event(days=-5)
    client.force_login(make_learner())
    response = client.post(reverse("events:register", args=[event.slug]), follow=True)
    assert "registration has closed" in response.content.decode()
    assert not Registration.objects.exists()


def test_cancelling_without_a_registration_is_not_found(
    client, make_event, make_learner
):
    event = make_event()
    services.register(event, make_learner())
    client.force_login(make_learner())
    assert client.post(reverse("events:cancel", args=[event.slug])).status_code == 404
    assert Registration.objects.get().status == "registered"


def test_registration_is_rate_limited(client, make_event, make_learner, set_limit):
    set_limit("event_register", learner=(1, 3600))
    first, second = make_event(), make_event()
    client.force_login(make_learner())
    client.post(reverse("events:register", args=[first.slug]))
    refused = client.post(reverse("events:register", args=[second.slug]))
    assert refused.status_code == 429
    assert Registration.objects.count() == 1


def test_the_urdu_page_is_in_urdu(client, make_event):
    event = make_event()
    page = client.get(f"/ur/events/{event.slug}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert event.title_ur in text
    assert 'dir="rtl"' in text


def test_the_home_page_lists_upcoming_events(client, make_event):
    event = make_event(title_en="Home page workshop")
    assert event.title_en in client.get("/").content.decode()


@pytest.fixture
def karachi_coordinator(make_coordinator, programme):
    karachi = District.objects.get(code="SD-KCS")
    return make_coordinator(programme, district=karachi)


def test_a_karachi_coordinator_cannot_reach_lahores_event(
    client, make_event, make_learner, karachi_coordinator
):
    lahore_event = make_event(title_en="Lahore only")
    karachi_event = make_event(title_en="Karachi only", district_code="SD-KCS")
    lahore_teacher = make_learner()
    place = services.register(lahore_event, lahore_teacher)
    client.force_login(karachi_coordinator)
    index = client.get(reverse("events_admin:index")).content.decode()
    assert "Karachi only" in index
    assert "Lahore only" not in index
    assert (
        client.get(reverse("events_admin:inspect", args=[karachi_event.pk])).status_code
        == 200
    )
    for name in ("inspect", "edit", "delete"):
        url = reverse(f"events_admin:{name}", args=[lahore_event.pk])
        refused = client.get(url)
        # Wagtail sends one without the permission back to the dashboard.
        assert refused.status_code == 404 or (
            refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")
        ), name
    walk_in = client.post(
        reverse("events_admin:walk_in", args=[lahore_event.pk]),
        {"email": make_learner().email},
    )
    assert walk_in.status_code == 404
    cancel = client.post(reverse("events_admin:cancel_registration", args=[place.pk]))
    assert cancel.status_code == 404
    assert Registration.objects.filter(event=lahore_event).count() == 1
    assert Registration.objects.get(pk=place.pk).status == "registered"


def test_a_coordinator_registers_a_walk_in_of_their_district(
    client, make_event, make_learner, karachi_coordinator
):
    karachi = District.objects.get(code="SD-KCS")
    event = make_event(district_code="SD-KCS")
    teacher = make_learner(province=karachi.province, district=karachi)
    client.force_login(karachi_coordinator)
    client.post(
        reverse("events_admin:walk_in", args=[event.pk]), {"email": teacher.email}
    )
    registration = Registration.objects.get(event=event, learner=teacher)
    assert registration.registered_by == karachi_coordinator
    inspect = client.get(reverse("events_admin:inspect", args=[event.pk]))
    assert teacher.email in inspect.content.decode()
