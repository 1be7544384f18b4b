"""Bitstring status lists: one bit per certificate, set when it is revoked."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The W3C Bitstring Status List minimum: 131,072 entries (16 KB), so that one
# list holds enough certificates that fetching it says nothing about a person.
MIN_ENTRIES = 131_072


class StatusList(models.Model):
    """A published ``BitstringStatusListCredential``'s bits, index 0 first.

    Bit ``i`` is the ``i``-th bit counting from the most significant bit of
    the first byte, as the specification orders them.
    """

    class Purpose(models.TextChoices):
        REVOCATION = "revocation", _("Revocation")

    purpose = models.CharField(
        _("purpose"),
        max_length=16,
        choices=Purpose.choices,
        default=Purpose.REVOCATION,
    )
    # Each kind of credential (certificates, issued awards) draws its entries
    # from lists of its own, so that the unique (list, index) constraint of
    # its table alone rules out two credentials sharing a bit.
    holder = models.CharField(
        _("holder"),
        max_length=64,
        default="certificates.certificate",
        db_index=True,
        editable=False,
    )
    size = models.PositiveIntegerField(_("entries"), default=MIN_ENTRIES)
    bits = models.BinaryField(_("bits"))
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("status list")
        verbose_name_plural = _("status lists")

    def __str__(self) -> str:
        return f"{self.purpose} list {self.pk}"

    def is_set(self, index: int) -> bool:
        return bool(bytes(self.bits)[index // 8] & (0x80 >> (index % 8)))
