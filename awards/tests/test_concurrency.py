"""Issuing is idempotent under real concurrency (PostgreSQL, real threads)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from awards import services
from awards.models import IssuedAward


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_issues_of_one_award_make_one(award, teacher, manager):
    barrier = threading.Barrier(20)
    errors: list[Exception] = []
    found: list[int] = []

    def issue():
        try:
            barrier.wait()
            found.append(
                services.issue_award(award, teacher, actor=manager).issued_award.pk
            )
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert IssuedAward.objects.filter(award=award, user=teacher).count() == 1
    assert len(set(found)) == 1 and len(found) == 20
