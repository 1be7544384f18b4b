"""Awards in the teacher's CPD record (certificates.services.cpd_records)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from .credentials import signed_award_credential
from .models import Award, IssuedAward


@dataclass(frozen=True)
class RecordAward:
    issued: IssuedAward
    title: str
    detail: str
    issued_on: datetime.date
    # The public recognition page, only once the teacher has consented.
    page_url: str | None
    controls_template: str = "awards/includes/record_controls.html"

    @property
    def title_en(self) -> str:
        return self.issued.award.name_en

    @property
    def title_ur(self) -> str:
        return self.issued.award.name_ur

    @property
    def identifier(self) -> str:
        return str(self.issued.public_id)

    def signed_credential(self) -> dict[str, Any]:
        return signed_award_credential(self.issued)


def award_detail(award: Award) -> str:
    return _("%(level)s level · %(category)s · %(year)s") % {
        "level": Award.Level(award.level).label,
        "category": Award.Category(award.category).label,
        "year": award.year,
    }


def awards_in_record(user: Any) -> list[RecordAward]:
    """The teacher's unrevoked awards, newest first (one query)."""
    if not getattr(user, "is_authenticated", False):
        return []
    issued_awards = (
        IssuedAward.objects.filter(user=user, revoked_at__isnull=True)
        .select_related("award")
        .order_by("-issued_on", "-id")
    )
    return [
        RecordAward(
            issued=issued,
            title=issued.award.name,
            detail=award_detail(issued.award),
            issued_on=issued.issued_on,
            page_url=issued.get_absolute_url() if issued.page_is_public else None,
        )
        for issued in issued_awards
    ]
