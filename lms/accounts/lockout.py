"""Login lock-out by account and address, and by address alone at a higher limit.

django-axes counts failures for each set in ``AXES_LOCKOUT_PARAMETERS`` (here
``[["username", "ip_address"], "ip_address"]``) but compares the largest count
with one ``AXES_FAILURE_LIMIT``. One address is often a whole school's wifi or a
mobile operator's NAT, so it gets a higher limit of its own,
``AXES_ADDRESS_FAILURE_LIMIT``: a guesser trying many accounts from one address
is locked out, while one learner's typos lock only that learner on it.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


class AccountAndAddressHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        """Failures of this account from this address; once the address alone
        reaches its own limit, at least the lock-out limit."""
        by_account, by_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if by_address >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(by_account, settings.AXES_FAILURE_LIMIT)
        return by_account

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """A successful login clears that account's failures, not the address's
        (else a guesser could clear the address by signing in to an account of
        their own)."""
        by_account = self.filter_user_attempts(request, credentials)[0]
        count, _by_model = by_account.delete()
        return count
