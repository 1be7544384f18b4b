"""Checking an Open Badges credential someone was sent: is it one of ours,
unaltered, and not revoked? Reads only.

Every way a file can be wrong has its own outcome, so the page can say
exactly what is the matter, in the reader's language.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from typing import Any

from ..models import StatusList
from ..services import keyring
from . import credentials
from .proofs import verify_proof

MAX_CREDENTIAL_BYTES = 256 * 1024
# Ours nest five deep; JSON-LD processing recurses, so deep input is refused
# before it reaches the processor.
MAX_DEPTH = 20

VALID = "valid"
REVOKED = "revoked"
EXPIRED = "expired"
NOT_JSON = "not_json"
NOT_A_CREDENTIAL = "not_a_credential"
NOT_OURS = "not_ours"
ALTERED = "altered"
UNKNOWN_STATUS = "unknown_status"


@dataclass(frozen=True)
class CredentialCheck:
    outcome: str
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def trusted(self) -> bool:
        return self.outcome == VALID


def check_credential(
    data: bytes, *, now: datetime.datetime | None = None
) -> CredentialCheck:
    """Judge an uploaded credential file (at most ``MAX_CREDENTIAL_BYTES``)."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return CredentialCheck(NOT_JSON)
    if _depth(document) > MAX_DEPTH or not _looks_like_open_badge(document):
        return CredentialCheck(NOT_A_CREDENTIAL)
    proof = document.get("proof")
    method = proof.get("verificationMethod") if isinstance(proof, dict) else None
    prefix = credentials.issuer_did() + "#"
    if not isinstance(method, str) or not method.startswith(prefix):
        return CredentialCheck(NOT_OURS)
    key = next(
        (key for key in keyring().keys() if key.kid == method[len(prefix) :]), None
    )
    if key is None:
        return CredentialCheck(NOT_OURS)
    if not verify_proof(document, key.public_key):
        return CredentialCheck(ALTERED)
    facts = _facts(document)
    revoked = _revoked(document.get("credentialStatus"))
    if revoked is None:
        return CredentialCheck(UNKNOWN_STATUS, facts)
    if revoked:
        return CredentialCheck(REVOKED, facts)
    now = now or datetime.datetime.now(datetime.UTC)
    valid_until = _parse_time(document.get("validUntil"))
    if valid_until is not None and valid_until < now:
        return CredentialCheck(EXPIRED, facts)
    return CredentialCheck(VALID, facts)


def _depth(value: Any) -> int:
    deepest, waiting = 0, [(value, 1)]
    while waiting:
        item, depth = waiting.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            break
        if isinstance(item, dict):
            waiting.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            waiting.extend((child, depth + 1) for child in item)
    return deepest


def _looks_like_open_badge(document: Any) -> bool:
    if not isinstance(document, dict):
        return False
    types = document.get("type")
    if not isinstance(types, list):
        return False
    return "VerifiableCredential" in types and "OpenBadgeCredential" in types


def _revoked(status: Any) -> bool | None:
    """True or False from our status list; None if the entry names no list
    or index of ours."""
    if not isinstance(status, dict):
        return None
    if status.get("type") != "BitstringStatusListEntry":
        return None
    url = status.get("statusListCredential")
    index_text = status.get("statusListIndex")
    prefix = credentials.status_list_url(0)[: -len("0")]
    if not isinstance(url, str) or not url.startswith(prefix):
        return None
    list_id, index = url[len(prefix) :], index_text
    if not (list_id.isdigit() and isinstance(index, str) and index.isdigit()):
        return None
    status_list = StatusList.objects.filter(pk=int(list_id)).first()
    if status_list is None or not 0 <= int(index) < status_list.size:
        return None
    return status_list.is_set(int(index))


def _parse_time(value: Any) -> datetime.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def _day(value: Any) -> datetime.date | None:
    moment = _parse_time(value)
    return moment.date() if moment else None


def _facts(document: dict[str, Any]) -> dict[str, Any]:
    subject = document.get("credentialSubject") or {}
    achievement = subject.get("achievement") or {}
    if not isinstance(achievement, dict):
        achievement = {}
    names = [
        item.get("identityHash")
        for item in subject.get("identifier") or []
        if isinstance(item, dict) and item.get("identityType") == "name"
    ]
    return {
        "name": document.get("name"),
        "holder": " / ".join(name for name in names if isinstance(name, str)),
        "valid_from": _day(document.get("validFrom")),
        "valid_until": _day(document.get("validUntil")),
        "credits": subject.get("creditsEarned"),
        "id": document.get("id"),
        "is_award": achievement.get("achievementType") == "Award",
    }
