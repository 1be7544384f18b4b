"""Our certificates as Open Badges 3.0 credentials, checked by someone else's
code: Digital Bazaar's verifier on Node (certificates/tests/verifier/)."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess  # noqa: S404 - runs our own verifier script with Node
from pathlib import Path

import pytest
from django.conf import settings

from certificates import services
from certificates.openbadges import credentials, proofs
from certificates.openbadges.contexts import UnknownContextError

pytestmark = pytest.mark.django_db

VERIFIER = Path(__file__).parent / "verifier" / "verify.mjs"
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="Node is not installed")


def run_verifier(named: dict, *, status_lists=None, did=None, now=None) -> dict:
    payload = {
        "credentials": named,
        "didDocument": did or credentials.did_document(),
        "statusLists": status_lists or {},
        "now": now,
    }
    finished = subprocess.run(  # noqa: S603 - fixed command, our own script
        [NODE, str(VERIFIER)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=120,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    return json.loads(finished.stdout)


def published_status_lists(client) -> dict:
    from certificates.models import StatusList

    lists = {}
    for status_list in StatusList.objects.all():
        url = credentials.status_list_url(status_list.pk)
        response = client.get(f"/credentials/status/{status_list.pk}")
        assert response.status_code == 200
        lists[url] = response.json()
    return lists


@pytest.fixture
def manager(make_learner):
    return make_learner(email="manager@example.org")


@needs_node
def test_the_independent_verifier_passes_ours_fails_tampered_and_sees_revoked(
    issued, make_learner, make_course, complete_course, manager, client
):
    good = client.get(f"/verify/{issued.verification_code}/credential.json").json()
    tampered = copy.deepcopy(good)
    tampered["credentialSubject"]["creditsEarned"] = 100
    renamed = copy.deepcopy(good)
    renamed["credentialSubject"]["identifier"][0]["identityHash"] = "Someone Else"

    other_learner = make_learner(email="other@example.org")
    course = make_course(lessons=1)
    complete_course(other_learner, course)
    from certificates.models import Certificate

    to_revoke = Certificate.objects.get(user=other_learner, course=course)
    services.revoke_certificate(to_revoke, reason="Issued in error", actor=manager)
    revoked = client.get(
        f"/verify/{to_revoke.verification_code}/credential.json"
    ).json()

    report = run_verifier(
        {"good": good, "tampered": tampered, "renamed": renamed, "revoked": revoked},
        status_lists=published_status_lists(client),
    )

    assert report["good"]["verified"] is True, report["good"]["errors"]
    assert report["good"]["status"] == {"checked": True, "revoked": False, "error": None}
    assert report["tampered"]["verified"] is False
    assert report["renamed"]["verified"] is False
    assert report["revoked"]["verified"] is True  # genuine, and …
    assert report["revoked"]["status"]["revoked"] is True  # … revoked
    key = report["good"]["didKey"]
    assert key["resolved"] is True
    assert key["type"] == "Multikey"
    assert key["assertionMethod"] is True
    assert key["controller"] == credentials.issuer_did()
    assert key["publicKeyMultibase"] == proofs.public_key_multibase(
        services.keyring().active_key().public_key
    )
