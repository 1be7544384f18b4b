"""A learner's CPD record: hours by year, a share link that can be turned
off, and the record as signed credentials that verify all at once."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from certificates import services
from certificates.models import Certificate, CpdRecordLink
from certificates.services.cpd_records import set_cpd_record_sharing

from .test_open_badges import needs_node, published_status_lists, run_verifier

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner_with_record(make_learner, make_course, complete_course):
    """A learner with two certificates (6 + 12.5 hours) and one revoked."""
    learner = make_learner()
    for hours in ("6", "12.5", "3"):
        complete_course(learner, make_course(lessons=1, cpd_hours=Decimal(hours)))
    certificates = list(Certificate.objects.filter(user=learner).order_by("id"))
    services.revoke_certificate(
        certificates[2],
        reason="Issued in error",
        actor=make_learner(email="manager@example.org"),
    )
    Certificate.objects.filter(pk=certificates[0].pk).update(
        issued_on=datetime.date(2025, 5, 1)
    )
    return learner


@pytest.mark.parametrize(
    ("prefix", "total", "year"),
    [("", "18.50 CPD hours in all", "Year"), ("/ur", "کل 18.50 سی پی ڈی گھنٹے", "سال")],
)
def test_the_record_shows_valid_certificates_and_hours_by_year(
    client, learner_with_record, prefix, total, year
):
    client.force_login(learner_with_record)
    html = client.get(f"{prefix}/learning/record/").content.decode()
    assert total in html
    assert year in html
    assert "<td>2025</td><td>6</td><td>1</td>" in html
    this_year = timezone.localdate().year
    assert f"<td>{this_year}</td><td>12.50</td><td>1</td>" in html
    assert html.count('class="code"') == 2  # the revoked one is left out


def test_the_share_link_works_until_turned_off_and_never_again(
    client, learner_with_record
):
    client.force_login(learner_with_record)
    assert client.get("/learning/record/").status_code == 200
    client.post("/learning/record/", {"share": "on"})
    token = CpdRecordLink.objects.get(user=learner_with_record).token

    client.logout()
    shared = client.get(f"/record/{token}/")
    assert shared.status_code == 200
    assert "18.50 CPD hours in all" in shared.content.decode()
    assert shared["X-Robots-Tag"] == "noindex, nofollow, noarchive"

    client.force_login(learner_with_record)
    client.post("/learning/record/", {"share": "off"})
    client.logout()
    assert client.get(f"/record/{token}/").status_code == 404
    assert client.get(f"/record/{token}.json").status_code == 404

    client.force_login(learner_with_record)
    client.post("/learning/record/", {"share": "on"})
    new_token = CpdRecordLink.objects.get(user=learner_with_record).token
    assert new_token != token
    assert client.get(f"/record/{token}/").status_code == 404


def test_a_learner_changes_only_their_own_link(
    client, learner_with_record, make_learner
):
    set_cpd_record_sharing(learner_with_record, shared=True)
    token = CpdRecordLink.objects.get(user=learner_with_record).token
    other = make_learner()
    client.force_login(other)
    client.post("/learning/record/", {"share": "off"})
    assert CpdRecordLink.objects.get(user=learner_with_record).is_shared
    assert client.get(f"/record/{token}/").status_code == 200


def test_the_record_needs_sign_in_and_unknown_links_are_404(client, db):
    assert client.get("/learning/record/").status_code == 302
    assert client.get("/record/not-a-real-token/").status_code == 404


def test_the_record_page_queries_stay_flat(
    client,
    learner_with_record,
    make_course,
    complete_course,
    django_assert_max_num_queries,
):
    set_cpd_record_sharing(learner_with_record, shared=True)
    token = CpdRecordLink.objects.get(user=learner_with_record).token
    with django_assert_max_num_queries(3) as few:
        client.get(f"/record/{token}/")
    for _ in range(3):
        complete_course(learner_with_record, make_course(lessons=1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/record/{token}/")


@needs_node
def test_the_shared_record_verifies_all_at_once(client, learner_with_record):
    set_cpd_record_sharing(learner_with_record, shared=True)
    token = CpdRecordLink.objects.get(user=learner_with_record).token
    presentation = client.get(f"/record/{token}.json").json()
    assert presentation["type"] == ["VerifiablePresentation"]
    named = {
        str(index): credential
        for index, credential in enumerate(presentation["verifiableCredential"])
    }
    assert len(named) == 2

    report = run_verifier(named, status_lists=published_status_lists(client))

    for result in report.values():
        assert result["verified"] is True, result["errors"]
        assert result["status"]["revoked"] is False


def _record_report(client, presentations: dict) -> dict:
    return run_verifier(
        {}, status_lists=published_status_lists(client), presentations=presentations
    )


@needs_node
def test_the_record_is_signed_as_a_whole_and_the_verifier_checks_it_at_once(
    client, learner_with_record
):
    import copy

    set_cpd_record_sharing(learner_with_record, shared=True)
    token = CpdRecordLink.objects.get(user=learner_with_record).token
    record = client.get(f"/record/{token}.json").json()
    assert record["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert record["proof"]["proofPurpose"] == "assertionMethod"
    assert record["holder"] == record["verifiableCredential"][0]["issuer"]["id"]

    one_left_out = copy.deepcopy(record)
    one_left_out["verifiableCredential"].pop()
    hours_raised = copy.deepcopy(record)
    subject = hours_raised["verifiableCredential"][0]["credentialSubject"]
    subject["creditsEarned"] = 60
    report = _record_report(
        client, {"record": record, "left_out": one_left_out, "raised": hours_raised}
    )

    assert report["record"]["verified"] is True, report["record"]["errors"]
    assert [c["verified"] for c in report["record"]["credentials"]] == [True, True]
    assert report["left_out"]["verified"] is False
    assert report["left_out"]["presentationVerified"] is False
    assert report["raised"]["verified"] is False

    # A certificate revoked after the record was shared: the old copy fails.
    revoked = Certificate.objects.filter(
        user=learner_with_record, is_current=True, revoked_at__isnull=True
    ).first()
    services.revoke_certificate(revoked, reason="Issued in error", actor=revoked.user)
    report = _record_report(client, {"old": record})
    assert report["old"]["verified"] is False
    assert [c["revoked"] for c in report["old"]["credentials"]].count(True) == 1
    # The record as served now leaves it out, and verifies.
    current = client.get(f"/record/{token}.json").json()
    assert len(current["verifiableCredential"]) == 1
    assert _record_report(client, {"now": current})["now"]["verified"] is True


def test_turning_the_link_on_and_off_is_rate_limited_and_writes_nothing_past_it(
    client, learner_with_record, set_limit
):
    from django.core.cache import cache

    cache.clear()
    set_limit("record_share", learner=(1, 3600), address=None)
    client.force_login(learner_with_record)
    assert client.post("/learning/record/", {"share": "on"}).status_code == 302
    refused = client.post("/learning/record/", {"share": "off"})
    assert refused.status_code == 429
    assert CpdRecordLink.objects.get(user=learner_with_record).is_shared
    cache.clear()


def test_the_shared_record_signs_each_credential_once_not_per_visit(
    client, learner_with_record, monkeypatch
):
    """The shared JSON is public and unthrottled: its credentials come from the
    cache the credential download fills, not a fresh signing on every visit."""
    from certificates.openbadges import credentials

    set_cpd_record_sharing(learner_with_record, shared=True)
    token = CpdRecordLink.objects.get(user=learner_with_record).token
    first = client.get(f"/record/{token}.json").content
    signed = []
    original = credentials.open_badge_credential
    monkeypatch.setattr(
        credentials,
        "open_badge_credential",
        lambda certificate: signed.append(certificate) or original(certificate),
    )
    assert client.get(f"/record/{token}.json").content == first
    assert signed == []
