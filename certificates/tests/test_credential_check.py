"""The public check of an uploaded Open Badges credential, good and bad."""

from __future__ import annotations

import copy
import datetime
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.files.uploadedfile import SimpleUploadedFile

from certificates import services
from certificates.models import Certificate, CertificateEvent, StatusList
from certificates.openbadges import checking, credentials, proofs

pytestmark = pytest.mark.django_db


def upload(client, data: bytes, *, prefix: str = ""):
    return client.post(
        f"{prefix}/verify/",
        {
            "check": "credential",
            "credential": SimpleUploadedFile("credential.json", data),
        },
    )


def as_bytes(document) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode()


def test_our_credential_is_valid_and_shows_its_facts(issued, client):
    credential = credentials.open_badge_credential(issued)
    response = upload(client, as_bytes(credential))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Valid credential" in html
    assert "Muhammad Ali Khan / محمد علی خان" in html
    assert issued.course_title_en in html


def test_in_urdu_the_answer_is_in_urdu(issued, client):
    credential = credentials.open_badge_credential(issued)
    html = upload(client, as_bytes(credential), prefix="/ur").content.decode()
    assert "درست ڈیجیٹل سند" in html


def test_a_revoked_credential_is_reported_revoked(issued, client, make_learner):
    credential = credentials.open_badge_credential(issued)
    services.revoke_certificate(
        issued, reason="Issued in error", actor=make_learner(email="m@example.org")
    )
    assert checking.check_credential(as_bytes(credential)).outcome == "revoked"
    assert "Revoked credential" in upload(client, as_bytes(credential)).content.decode()


def test_an_expired_credential_is_reported_expired(issued):
    issued.expires_on = datetime.date(2027, 6, 30)
    credential = credentials.open_badge_credential(issued)
    later = datetime.datetime(2027, 7, 1, tzinfo=datetime.UTC)
    earlier = datetime.datetime(2027, 6, 30, 12, tzinfo=datetime.UTC)
    assert checking.check_credential(as_bytes(credential), now=later).outcome == (
        "expired"
    )
    assert checking.check_credential(as_bytes(credential), now=earlier).outcome == (
        "valid"
    )


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c["credentialSubject"].update(creditsEarned=60),
        lambda c: c["credentialSubject"]["identifier"][0].update(identityHash="X"),
        lambda c: c.update(validUntil="2099-01-01T00:00:00Z"),
        lambda c: c.update(unsignedExtra="anything"),
        lambda c: c["proof"].update(proofValue="z" + "1" * 86),
        lambda c: c["proof"].update(proofValue="not base58 0OIl"),
    ],
)
def test_a_tampered_credential_is_refused(issued, client, change):
    credential = credentials.open_badge_credential(issued)
    change(credential)
    assert checking.check_credential(as_bytes(credential)).outcome == "altered"
    assert (
        "Do not trust this credential"
        in upload(client, as_bytes(credential)).content.decode()
    )


def test_one_signed_with_another_key_is_not_ours(issued):
    unsigned = credentials.open_badge_credential(issued)
    forged = proofs.add_proof(
        unsigned,
        private_key=Ed25519PrivateKey.generate(),
        verification_method=f"{credentials.issuer_did()}#someone-elses-key",
        created="2026-01-01T00:00:00Z",
    )
    assert checking.check_credential(as_bytes(forged)).outcome == "not_ours"
    other_issuer = copy.deepcopy(unsigned)
    other_issuer["proof"]["verificationMethod"] = "did:web:example.org#k"
    assert checking.check_credential(as_bytes(other_issuer)).outcome == "not_ours"


@pytest.mark.parametrize(
    ("status_change", "why"),
    [
        ({"statusListIndex": "999999999"}, "index beyond the list"),
        ({"statusListIndex": "-1"}, "not a number"),
        ({"statusListCredential": "https://example.org/status/1"}, "not our list"),
        ({"statusListCredential": "LIST/999999"}, "no such list"),
    ],
)
def test_an_unknown_status_list_or_index_gets_a_clear_answer(
    issued, client, status_change, why
):
    # Signed by us, so the signature holds, but naming an entry we never made.
    unsigned = credentials.open_badge_credential(issued)
    unsigned.pop("proof")
    status = unsigned["credentialStatus"]
    list_url = credentials.status_list_url(issued.status_list_id)
    for key, value in status_change.items():
        status[key] = value.replace("LIST/", list_url.rsplit("/", 1)[0] + "/")
    key = services.keyring().active_key()
    signed = proofs.add_proof(
        unsigned,
        private_key=key.private_key,
        verification_method=credentials.verification_method_id(key.kid),
        created="2026-01-01T00:00:00Z",
    )
    assert checking.check_credential(as_bytes(signed)).outcome == "unknown_status", why
    html = upload(client, as_bytes(signed)).content.decode()
    assert "Its revocation entry is not one of ours" in html


@pytest.mark.parametrize(
    ("data", "outcome", "message"),
    [
        (b"\xff\xfe not utf-8", "not_json", "This is not a credential file"),
        (b"{not json", "not_json", "This is not a credential file"),
        (b"[" * 100_000, "not_json", "This is not a credential file"),
        (b"[1, 2]", "not_a_credential", "This is not an Open Badges credential"),
        (
            b'{"type": ["VerifiableCredential", "OpenBadgeCredential"], "x": '
            + b'{"a": ' * 500
            + b"1"
            + b"}" * 501,
            "not_a_credential",
            "This is not an Open Badges credential",
        ),
        (
            b'{"type": ["VerifiableCredential"]}',
            "not_a_credential",
            "This is not an Open Badges credential",
        ),
        (
            b'{"type": ["VerifiableCredential", "OpenBadgeCredential"]}',
            "not_ours",
            "We did not issue this credential",
        ),
    ],
)
def test_malformed_uploads_get_clear_answers_and_change_nothing(
    issued, client, data, outcome, message
):
    counts = (
        Certificate.objects.count(),
        CertificateEvent.objects.count(),
        StatusList.objects.count(),
    )
    assert checking.check_credential(data).outcome == outcome
    response = upload(client, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert counts == (
        Certificate.objects.count(),
        CertificateEvent.objects.count(),
        StatusList.objects.count(),
    )


def test_an_oversized_or_missing_file_is_refused_by_the_form(issued, client):
    big = upload(client, b" " * (checking.MAX_CREDENTIAL_BYTES + 1)).content.decode()
    assert "The file is larger than 256 KB" in big
    missing = client.post("/verify/", {"check": "credential"}).content.decode()
    assert "Choose the credential file you were sent." in missing
