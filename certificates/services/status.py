"""Status list entries: allocated once per certificate (or other credential,
such as an issued award), flipped on revocation."""

from __future__ import annotations

import secrets
from typing import Protocol

from django.db import models, transaction
from django.utils import timezone

from ..models import StatusList
from ..models.status_lists import MIN_ENTRIES

# A list takes new entries until half full: random picks then find a free
# index within a couple of tries, and the list always hides each holder among
# many unused entries.
_FILL_LIMIT = MIN_ENTRIES // 2
_MAX_TRIES = 64


class StatusListFull(RuntimeError):
    """No free index found (should not happen while lists are half empty)."""


class HasStatusEntry(Protocol):
    @property
    def status_list_id(self) -> int | None: ...

    @property
    def status_index(self) -> int | None: ...


def allocate_status_entry(credential: models.Model) -> None:
    """Give a new certificate (or issued award) a random, unused index in a
    revocation list of its own kind.

    Call inside the issuing transaction, before the row is saved. Lists are
    never shared between kinds of credential, so the unique constraint on
    (list, index) of the credential's table backs up the check here even when
    a certificate and an award are issued at the same instant.
    """
    holder = type(credential)
    status_list = _list_with_room(holder)
    for _try in range(_MAX_TRIES):
        index = secrets.randbelow(status_list.size)
        taken = holder._default_manager.filter(
            status_list=status_list, status_index=index
        ).exists()
        if not taken:
            credential.status_list = status_list  # type: ignore[attr-defined]
            credential.status_index = index  # type: ignore[attr-defined]
            return
    raise StatusListFull(f"no free index found in {status_list}")


def _list_with_room(holder: type[models.Model]) -> StatusList:
    label = holder._meta.label_lower
    newest = (
        StatusList.objects.filter(purpose=StatusList.Purpose.REVOCATION, holder=label)
        .order_by("-pk")
        .first()
    )
    if newest is not None:
        used = holder._default_manager.filter(status_list=newest).count()
        if used < _FILL_LIMIT:
            return newest
    return StatusList.objects.create(
        purpose=StatusList.Purpose.REVOCATION,
        holder=label,
        size=MIN_ENTRIES,
        bits=bytes(MIN_ENTRIES // 8),
    )


def mark_revoked_in_status_list(certificate: HasStatusEntry) -> None:
    """Set the certificate's (or award's) bit; call in the transaction that
    revokes it."""
    if certificate.status_list_id is None or certificate.status_index is None:
        return
    with transaction.atomic():
        status_list = StatusList.objects.select_for_update().get(
            pk=certificate.status_list_id
        )
        bits = bytearray(bytes(status_list.bits))
        index = certificate.status_index
        bits[index // 8] |= 0x80 >> (index % 8)
        status_list.bits = bytes(bits)
        status_list.updated_at = timezone.now()
        status_list.save(update_fields=["bits", "updated_at"])
