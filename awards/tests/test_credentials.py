"""An issued award is an Open Badges 3.0 credential that someone else's
verifier passes, and reports revoked once we revoke it."""

from __future__ import annotations

import copy
import json

import pytest

from awards import services
from awards.credentials import award_credential
from certificates.openbadges import checking
from certificates.tests.test_open_badges import (
    needs_node,
    published_status_lists,
    run_verifier,
)

pytestmark = pytest.mark.django_db


def download(client, issued) -> dict:
    client.force_login(issued.user)
    response = client.get(f"/awards/{issued.public_id}/credential.json")
    client.logout()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vc+ld+json")
    return json.loads(response.content)


def test_the_credential_names_the_award_as_an_achievement(issued):
    credential = award_credential(issued)
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "Award"
    assert achievement["name"] == issued.award.name_en
    assert "District level" in achievement["tag"]
    assert "جدت" in achievement["tag"]
    assert "Started a reading corner" in credential["evidence"][0]["narrative"]
    names = [i["identityHash"] for i in credential["credentialSubject"]["identifier"]]
    assert names == ["Ayesha Bibi", "عائشہ بی بی"]
    status = credential["credentialStatus"]
    assert status["statusListIndex"] == str(issued.status_index)
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"


def test_awards_draw_their_status_entries_from_lists_of_their_own(
    award, manager, make_learner
):
    from certificates.models import StatusList
    from certificates.models.status_lists import MIN_ENTRIES

    # A certificates' list with room: awards must not take bits from it, or a
    # certificate and an award issued at the same instant could share one.
    certificates_list = StatusList.objects.create(bits=bytes(MIN_ENTRIES // 8))
    entries = set()
    for _ in range(5):
        issued = services.issue_award(award, make_learner(), actor=manager)
        entries.add(
            (issued.issued_award.status_list_id, issued.issued_award.status_index)
        )
    assert len(entries) == 5
    (list_id,) = {list_id for list_id, _index in entries}
    assert list_id != certificates_list.pk
    assert StatusList.objects.get(pk=list_id).holder == "awards.issuedaward"


def test_our_credential_check_passes_an_award_and_sees_it_revoked(issued, manager):
    body = json.dumps(award_credential(issued)).encode()
    check = checking.check_credential(body)
    assert check.outcome == checking.VALID
    assert check.facts["holder"] == "Ayesha Bibi / عائشہ بی بی"

    services.revoke_award(issued, reason="Awarded in error", actor=manager)
    assert checking.check_credential(body).outcome == checking.REVOKED


def test_the_verify_page_checks_an_uploaded_award_credential(issued, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = json.dumps(award_credential(issued)).encode()
    response = client.post(
        "/verify/",
        {
            "check": "credential",
            "credential": SimpleUploadedFile("award.json", body, "application/json"),
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    verdict = body.split('class="verdict', 1)[1].split("</section>", 1)[0]
    assert "Valid credential" in verdict
    assert "<dt>Award</dt><dd>Teaching Excellence Award" in verdict
    assert "CPD hours" not in verdict  # an award earns no hours
    assert "Ayesha Bibi" in verdict


@needs_node
def test_the_independent_verifier_passes_an_award_and_reports_a_revoked_one(
    issued, award, manager, make_learner, client
):
    good = download(client, issued)
    tampered = copy.deepcopy(good)
    tampered["credentialSubject"]["achievement"]["name"] = "National Award"
    other = services.issue_award(award, make_learner(), actor=manager).issued_award
    services.revoke_award(other, reason="Awarded in error", actor=manager)
    client.force_login(other.user)
    revoked = award_credential(other)

    report = run_verifier(
        {"good": good, "tampered": tampered, "revoked": revoked},
        status_lists=published_status_lists(client),
    )

    assert report["good"]["verified"] is True, report["good"]["errors"]
    assert report["good"]["status"] == {
        "checked": True,
        "revoked": False,
        "error": None,
    }
    assert report["tampered"]["verified"] is False
    assert report["revoked"]["verified"] is True  # genuine, and …
    assert report["revoked"]["status"]["revoked"] is True  # … revoked


def test_a_failed_revocation_leaves_the_bit_unset(issued, manager, monkeypatch):
    from certificates.models import StatusList

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "mark_revoked_in_status_list", broken)
    with pytest.raises(RuntimeError):
        services.revoke_award(issued, reason="x", actor=manager)
    issued.refresh_from_db()
    assert issued.revoked_at is None
    assert not StatusList.objects.get(pk=issued.status_list_id).is_set(
        issued.status_index
    )
