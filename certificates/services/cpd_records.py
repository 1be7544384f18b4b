"""A learner's CPD record: their valid certificates and hours by year, and
the link that shares it."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from ..models import Certificate, CpdRecordLink

if TYPE_CHECKING:
    from lms.accounts.models import User


@dataclass(frozen=True)
class YearOfCpd:
    year: int
    hours: Decimal
    certificates: int


@dataclass(frozen=True)
class CpdRecord:
    certificates: list[Certificate]
    years: list[YearOfCpd]
    total_hours: Decimal
    # Awards and other entries that apps above this one add (see below).
    awards: list[Any] = field(default_factory=list)


# Apps above certificates (awards) add entries to a learner's record through
# a provider registered in their ``ready()``: a function of the learner that
# returns entries with ``title``, ``detail``, ``issued_on``, ``page_url`` and
# ``signed_credential()``.
_AWARD_PROVIDERS: list[Callable[[Any], list[Any]]] = []


def add_award_provider(provider: Callable[[Any], list[Any]]) -> None:
    if provider not in _AWARD_PROVIDERS:
        _AWARD_PROVIDERS.append(provider)


def _awards(user: Any) -> list[Any]:
    return [entry for provider in _AWARD_PROVIDERS for entry in provider(user)]


def cpd_record(user: Any) -> CpdRecord:
    """Current, unrevoked certificates, newest first, with hours by year.

    Expired certificates stay: the CPD was done, and their pages say when
    they expired. One query.
    """
    certificates = list(
        Certificate.objects.filter(user=user, is_current=True, revoked_at__isnull=True)
        .select_related("supersedes")
        .order_by("-issued_on", "-id")
    )
    by_year: dict[int, list[Certificate]] = {}
    for certificate in certificates:
        by_year.setdefault(certificate.issued_on.year, []).append(certificate)
    years = [
        YearOfCpd(
            year=year,
            hours=sum((item.cpd_hours for item in items), Decimal(0)),
            certificates=len(items),
        )
        for year, items in sorted(by_year.items(), reverse=True)
    ]
    total = sum((year.hours for year in years), Decimal(0))
    return CpdRecord(
        certificates=certificates,
        years=years,
        total_hours=total,
        awards=_awards(user),
    )


def set_cpd_record_sharing(user: User, *, shared: bool) -> CpdRecordLink:
    """Turn the learner's share link on (with a fresh token) or off."""
    with transaction.atomic():
        link = CpdRecordLink.objects.select_for_update().filter(
            user=user
        ).first() or CpdRecordLink(user=user, token=_new_token())
        if shared and not link.is_shared and link.pk is not None:
            link.token = _new_token()
        link.is_shared = shared
        link.changed_at = timezone.now()
        link.save()
    return link


def shared_record_owner(token: str) -> Any | None:
    """The learner whose record this token shares now, or None."""
    link = (
        CpdRecordLink.objects.select_related("user")
        .filter(token=token, is_shared=True)
        .first()
    )
    return link.user if link else None


def _new_token() -> str:
    return secrets.token_urlsafe(24)
