"""A learner's CPD record and the link that shares it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CpdRecordLink(models.Model):
    """The learner's share link; only ``is_shared`` links answer.

    Turning sharing on again makes a new token, so a link once turned off
    never works again.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="cpd_record_link",
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    is_shared = models.BooleanField(_("shared"), default=False)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("CPD record link")
        verbose_name_plural = _("CPD record links")

    def __str__(self) -> str:
        return f"CPD record of {self.user_id}"
