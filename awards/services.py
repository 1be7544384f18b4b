"""Every write to awards: issue one, issue from a file, revoke, and the
teacher's consent to a public recognition page.

Only programme managers (``awards.add_issuedaward``) issue and revoke; the
functions check it themselves, so the admin, a command or a test cannot go
round it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from certificates.services import keyring, template_for_programme
from certificates.services.status import (
    allocate_status_entry,
    mark_revoked_in_status_list,
)
from lms.accounts.models import User

from .models import Award, IssuedAward

if TYPE_CHECKING:
    from wagtail.images.models import AbstractImage

CAN_ISSUE = "awards.add_issuedaward"
CAN_REVOKE = "awards.change_issuedaward"
CITATION_MAX_LENGTH = 1000


class AwardError(ValueError):
    """A refusal to show the person who asked, in their language."""

    def __init__(self, message: StrOrPromise) -> None:
        self.message = message
        super().__init__(str(message))


def may_issue_awards(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(CAN_ISSUE))


@dataclass(frozen=True)
class Issued:
    issued_award: IssuedAward
    created: bool


def issue_award(
    award: Award,
    teacher: User,
    *,
    actor: User,
    citation_en: str = "",
    citation_ur: str = "",
    photo: AbstractImage | None = None,
) -> Issued:
    """Give ``award`` to ``teacher``, once: a second call finds the first.

    One transaction: the row, its status list entry and its key. The
    teacher's page stays private until she consents.
    """
    if not may_issue_awards(actor):
        raise AwardError(_("Only programme managers may issue awards."))
    if not teacher.is_active:
        raise AwardError(_("This account is not active."))
    citation_en, citation_ur = citation_en.strip(), citation_ur.strip()
    if max(len(citation_en), len(citation_ur)) > CITATION_MAX_LENGTH:
        raise AwardError(
            _("A citation is longer than %(limit)s characters.")
            % {"limit": CITATION_MAX_LENGTH}
        )
    profile = getattr(teacher, "profile", None)
    name_en = (profile.certificate_name_en if profile else "") or teacher.first_name
    name_ur = profile.certificate_name_ur if profile else ""
    if not name_en:
        raise AwardError(_("The teacher's account has no name to print."))
    existing = IssuedAward.objects.filter(award=award, user=teacher).first()
    if existing is not None:
        return Issued(existing, created=False)
    template = template_for_programme(award.programme)
    try:
        with transaction.atomic():
            issued = IssuedAward(
                award=award,
                user=teacher,
                public_id=secrets.token_urlsafe(12),
                holder_name_en=name_en,
                holder_name_ur=name_ur or "",
                issuer_en=template.issuer_en,
                issuer_ur=template.issuer_ur,
                citation_en=citation_en,
                citation_ur=citation_ur,
                photo=photo,
                issued_on=timezone.localdate(),
                key_id=keyring().active_key().kid,
                issued_by=actor,
            )
            allocate_status_entry(issued)
            issued.save()
    except IntegrityError:
        # Issued a moment ago by another request: the same answer as a rerun.
        found = IssuedAward.objects.filter(award=award, user=teacher).first()
        if found is None:
            raise
        return Issued(found, created=False)
    return Issued(issued, created=True)


def revoke_award(issued: IssuedAward, *, reason: str, actor: User) -> IssuedAward:
    """Revoke an issued award, with a reason; its status bit flips in the same
    transaction, so every verifier sees it at once."""
    if not (actor.is_authenticated and actor.has_perm(CAN_REVOKE)):
        raise AwardError(_("Only programme managers may revoke awards."))
    reason = (reason or "").strip()
    if not reason:
        raise AwardError(_("Give the reason for revoking the award."))
    if len(reason) > 300:
        raise AwardError(_("Keep the reason under 300 characters."))
    with transaction.atomic():
        locked = IssuedAward.objects.select_for_update().get(pk=issued.pk)
        if locked.revoked_at is not None:
            raise AwardError(_("This award is already revoked."))
        locked.revoked_at = timezone.now()
        locked.revocation_reason = reason
        # A revoked award is nobody's public news any more.
        locked.page_is_public = False
        locked.save(update_fields=["revoked_at", "revocation_reason", "page_is_public"])
        mark_revoked_in_status_list(locked)
    return locked


def set_award_page_consent(
    teacher: User, public_id: str, *, consented: bool
) -> IssuedAward:
    """The teacher's own switch for her award's public page."""
    with transaction.atomic():
        issued = (
            IssuedAward.objects.select_for_update()
            .filter(public_id=public_id, user=teacher)
            .first()
        )
        if issued is None:
            raise IssuedAward.DoesNotExist()
        if consented and issued.revoked_at is not None:
            raise AwardError(_("A revoked award cannot have a public page."))
        issued.page_is_public = consented
        issued.consent_changed_at = timezone.now()
        issued.save(update_fields=["page_is_public", "consent_changed_at"])
    return issued
