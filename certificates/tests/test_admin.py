"""The certificates admin on Wagtail's generic views: listing, filters, inspect."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certificates.models import Certificate

TODAY = datetime.date(2026, 12, 1)
LISTING = "/admin/certificates/"


@pytest.fixture
def manager_client(client, make_learner):
    manager = make_learner(email="manager@example.org")
    manager.groups.add(Group.objects.get(name="Programme managers"))
    client.force_login(manager)
    return client


@pytest.fixture
def make_certificates(make_learner, make_course, complete_course):
    """Return a function that issues ``count`` certificates for one course."""

    def make(count: int, course=None) -> list[Certificate]:
        course = course or make_course(lessons=1)
        for _ in range(count):
            complete_course(make_learner(), course)
        return list(Certificate.objects.filter(course=course).order_by("pk"))

    return make


STATES = {
    # name: (revoked_at, expires_on)
    "no expiry": (None, None),
    "expires later": (None, TODAY + datetime.timedelta(days=1)),
    "expires today": (None, TODAY),
    "expired": (None, TODAY - datetime.timedelta(days=1)),
    "revoked": (timezone.now(), None),
    "revoked and expired": (timezone.now(), TODAY - datetime.timedelta(days=1)),
}


def test_the_status_query_and_the_status_method_agree(make_certificates):
    certificates = make_certificates(len(STATES))
    for certificate, (revoked_at, expires_on) in zip(
        certificates, STATES.values(), strict=True
    ):
        Certificate.objects.filter(pk=certificate.pk).update(
            revoked_at=revoked_at, expires_on=expires_on
        )
    every = Certificate.objects.filter(pk__in=[c.pk for c in certificates])
    by_method = {c.pk: c.status(TODAY) for c in every}
    assert sorted(by_method.values()) == sorted(
        ["valid", "valid", "valid", "expired", "revoked", "revoked"]
    )
    for status in Certificate.Status.values:
        by_query = set(every.with_status(status, TODAY).values_list("pk", flat=True))
        assert by_query == {pk for pk, value in by_method.items() if value == status}


def test_managers_filter_the_listing_by_status(manager_client, make_certificates):
    valid, revoked, expired = make_certificates(3)
    Certificate.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    Certificate.objects.filter(pk=expired.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    for status, expected in [
        ("revoked", revoked),
        ("expired", expired),
        ("valid", valid),
    ]:
        page = manager_client.get(LISTING, {"status": status}).content.decode()
        codes = {c.verification_code for c in (valid, revoked, expired)}
        assert expected.verification_code in page
        for other in codes - {expected.verification_code}:
            assert other not in page
    everything = manager_client.get(LISTING).content.decode()
    assert all(c.verification_code in everything for c in (valid, revoked, expired))


def test_a_code_typed_loosely_finds_exactly_its_certificate(
    manager_client, make_certificates
):
    wanted, other = make_certificates(2)
    typed = wanted.verification_code.replace("-", "").lower()
    page = manager_client.get(LISTING, {"q": typed}).content.decode()
    assert wanted.verification_code in page
    assert other.verification_code not in page


def test_the_admin_never_adds_edits_or_deletes_certificates(
    manager_client, make_certificates
):
    (certificate,) = make_certificates(1)
    for address in [
        f"{LISTING}new/",
        f"{LISTING}edit/{certificate.pk}/",
        f"{LISTING}delete/{certificate.pk}/",
    ]:
        assert manager_client.get(address).status_code == 404
        assert manager_client.post(address).status_code == 404
    assert Certificate.objects.filter(pk=certificate.pk).exists()


def test_the_listing_costs_the_same_queries_for_more_certificates(
    manager_client, make_course, make_certificates
):
    make_certificates(2)
    manager_client.get(LISTING)  # warm per-process caches (content types, site)
    with CaptureQueriesContext(connection) as few:
        assert manager_client.get(LISTING).status_code == 200
    make_certificates(8, course=make_course(lessons=1))
    with CaptureQueriesContext(connection) as many:
        assert manager_client.get(LISTING).status_code == 200
    assert len(many) == len(few)


def test_inspect_shows_the_history_and_offers_the_actions(
    manager_client, make_certificates
):
    (certificate,) = make_certificates(1)
    page = manager_client.get(f"{LISTING}inspect/{certificate.pk}/").content.decode()
    assert certificate.verification_code in page
    assert "Issued" in page  # the history's first event
    assert f"{LISTING}{certificate.pk}/revoke/" in page
    assert f"{LISTING}{certificate.pk}/reissue/" in page


def test_staff_who_may_only_view_see_no_actions_and_cannot_revoke(
    client, make_learner, make_certificates
):
    from django.contrib.auth.models import Permission

    (certificate,) = make_certificates(1)
    viewer = make_learner(email="viewer@example.org")
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_certificate"),
    )
    client.force_login(viewer)
    page = client.get(f"{LISTING}inspect/{certificate.pk}/").content.decode()
    assert certificate.verification_code in page
    assert "/revoke/" not in page
    response = client.post(f"{LISTING}{certificate.pk}/revoke/", {"reason": "No"})
    # Wagtail turns the refusal into a redirect to the dashboard with a message.
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
