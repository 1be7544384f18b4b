"""An issued award as a signed Open Badges 3.0 ``OpenBadgeCredential``.

Signed as the certificates' credentials are (certificates.openbadges: the
same did:web issuer, ``eddsa-rdfc-2022`` proof, status list entry), with the
award as the ``Achievement`` (type "Award") and the citation as evidence.
Deterministic: ``created`` is the award's own timestamp and the key the one
that was active when it was issued.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from certificates.openbadges import contexts
from certificates.openbadges import credentials as badges
from certificates.openbadges.proofs import add_proof
from certificates.services import keyring

from .models import Award, IssuedAward

_AWARD_NAMESPACE = uuid.UUID("0f6b4c1e-2f0a-4d53-8b2e-6a1d3c9e7f10")
_SIGNED_TTL = 24 * 60 * 60

LEVELS_UR = {"district": "ضلعی", "provincial": "صوبائی", "national": "قومی"}
CATEGORIES_UR = {
    "innovation": "جدت",
    "rural_service": "دیہی خدمت",
    "inclusive_education": "جامع تعلیم",
    "leadership": "قیادت",
}


def credential_url(issued: IssuedAward) -> str:
    with translation.override("en"):  # one address whatever the language
        return badges.site_url() + reverse("awards:credential", args=[issued.public_id])


def _bilingual(english: str, urdu: str) -> str:
    return "\n".join(text for text in (english, urdu) if text)


def _tags(award: Award) -> list[str]:
    with translation.override("en"):
        level = str(Award.Level(award.level).label)
        category = str(Award.Category(award.category).label)
    return [
        f"{level} level",
        category,
        LEVELS_UR[award.level],
        CATEGORIES_UR[award.category],
        str(award.year),
    ]


def award_credential(issued: IssuedAward) -> dict[str, Any]:
    """The issued award as a signed ``OpenBadgeCredential``."""
    award = issued.award
    key = next(k for k in keyring().keys() if k.kid == issued.key_id)
    description = _bilingual(award.description_en, award.description_ur)
    criteria = _bilingual(award.criteria_en, award.criteria_ur) or _bilingual(
        "Chosen by the programme's award panel.",
        "پروگرام کے ایوارڈ پینل نے منتخب کیا۔",
    )
    names = [name for name in (issued.holder_name_en, issued.holder_name_ur) if name]
    credential: dict[str, Any] = {
        "@context": [contexts.VC_V2, contexts.OPEN_BADGES_V3],
        "id": credential_url(issued),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": award.name_en,
        "description": description,
        "issuer": {
            "id": badges.issuer_did(),
            "type": ["Profile"],
            "name": issued.issuer_en or issued.issuer_ur,
            "url": badges.site_url() + "/",
            **({"description": issued.issuer_ur} if issued.issuer_ur else {}),
        },
        # The day it was issued, as Pakistan's calendar counts days.
        "validFrom": badges._day_starts(issued.issued_on),  # noqa: SLF001
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": name,
                }
                for name in names
            ],
            "achievement": {
                "id": uuid.uuid5(_AWARD_NAMESPACE, f"award:{award.pk}").urn,
                "type": ["Achievement"],
                "achievementType": "Award",
                "name": award.name_en,
                "description": description,
                "criteria": {"narrative": criteria},
                "tag": _tags(award),
                "humanCode": _bilingual(award.name_en, award.name_ur),
                "inLanguage": "en",
            },
        },
        "credentialSchema": [{"id": badges.OPEN_BADGES_SCHEMA, "type": "JsonSchema"}],
        "credentialStatus": _status_entry(issued),
    }
    citation = _bilingual(issued.citation_en, issued.citation_ur)
    if citation:
        credential["evidence"] = [
            {"type": ["Evidence"], "name": "Citation", "narrative": citation}
        ]
    return add_proof(
        credential,
        private_key=key.private_key,
        verification_method=badges.verification_method_id(key.kid),
        created=badges._timestamp(issued.created_at),  # noqa: SLF001
    )


def _status_entry(issued: IssuedAward) -> dict[str, str]:
    list_url = badges.status_list_url(issued.status_list_id)
    return {
        "id": f"{list_url}#{issued.status_index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(issued.status_index),
        "statusListCredential": list_url,
    }


def signed_award_credential(issued: IssuedAward) -> dict[str, Any]:
    """Signed once (RDF canonicalisation takes tens of milliseconds) and cached:
    what is signed never changes; revocation travels in the status list."""
    site = hashlib.sha256(settings.SITE_URL.encode()).hexdigest()[:12]
    key = f"openbadges:{site}:award:{issued.public_id}"
    body = cache.get(key)
    if body is None:
        body = award_credential(issued)
        cache.set(key, body, _SIGNED_TTL)
    return body
