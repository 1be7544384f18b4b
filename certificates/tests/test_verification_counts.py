"""Counting look-ups when the cache is Redis: counts wait there and reach the
database in batches, and every count people see includes what is waiting."""

import pytest
from django.db import DatabaseError

from certificates import verification
from certificates.models import Certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(redis_cache, settings):
    settings.VERIFY_COUNT_FLUSH_SECONDS = 600
    return redis_cache


def look_up(client, certificate, suffix=".json"):
    response = client.get(f"/verify/{certificate.verification_code}{suffix}")
    assert response.status_code == 200
    return response


def stored_count(certificate) -> int:
    certificate.refresh_from_db(fields=["verification_count"])
    return certificate.verification_count


def test_the_first_look_up_flushes_then_counts_wait_for_the_interval(
    client, issued, counted
):
    look_up(client, issued)  # starts the interval; the task writes it at once
    assert stored_count(issued) == 1
    look_up(client, issued)
    look_up(client, issued, "/")
    assert stored_count(issued) == 1  # two wait in Redis
    assert verification.flush_counts() == 2
    assert stored_count(issued) == 3
    assert verification.flush_counts() == 0
    assert stored_count(issued) == 3


def test_people_see_waiting_counts_too(client, issued, counted):
    for _ in range(3):
        look_up(client, issued)
    client.force_login(issued.user)
    for address in ("/learning/", "/learning/certificates/"):
        assert "Checked 3 times by employers" in client.get(address).content.decode()


def test_a_counted_look_up_reads_and_writes_no_row(
    client, issued, counted, django_assert_num_queries
):
    look_up(client, issued)  # the first look-up of an interval runs the flush
    for suffix in (".json", "/"):
        with django_assert_num_queries(1) as context:
            look_up(client, issued, suffix)
        assert context.captured_queries[0]["sql"].lstrip().startswith("SELECT")
    with django_assert_num_queries(1):
        assert client.get("/verify/K7QM-3XD9-P2RT-W8HC.json").status_code == 404


def test_counts_of_many_certificates_are_written_in_one_flush(
    client, issued, counted, make_learner, make_course, complete_course
):
    other_course = make_course(lessons=1)
    complete_course(issued.user, other_course)
    other = Certificate.objects.get(user=issued.user, course=other_course)
    look_up(client, issued)  # flushed at once
    for _ in range(4):
        look_up(client, other)
    look_up(client, issued)
    assert verification.flush_counts() == 5
    assert (stored_count(issued), stored_count(other)) == (2, 4)


def test_a_failed_flush_loses_no_count(client, issued, counted, monkeypatch):
    look_up(client, issued)
    look_up(client, issued)

    def broken(*args, **kwargs):
        raise DatabaseError("the database went away")

    with monkeypatch.context() as patch:
        patch.setattr(Certificate.objects, "filter", broken)
        with pytest.raises(DatabaseError):
            verification.flush_counts()
    assert stored_count(issued) == 1
    assert verification.with_pending_counts([issued])[0].times_checked == 2
    assert verification.flush_counts() == 1
    assert stored_count(issued) == 2


def test_pdf_downloads_are_not_counted(client, issued, counted):
    look_up(client, issued, ".pdf")
    assert verification.flush_counts() == 0
    assert stored_count(issued) == 0


def test_without_redis_each_look_up_is_counted_in_the_database_at_once(client, issued):
    look_up(client, issued)
    look_up(client, issued, "/")
    assert stored_count(issued) == 2
    assert verification.flush_counts() == 0  # nothing ever waits


def test_counts_being_written_are_kept_a_day_if_the_writer_dies(
    client, issued, counted, monkeypatch
):
    look_up(client, issued)
    look_up(client, issued)
    redis = counted.redis_client()

    def die(*args, **kwargs):
        raise SystemExit("the worker was killed")

    monkeypatch.setattr(Certificate.objects, "filter", die)
    with pytest.raises(SystemExit):
        verification.flush_counts()
    (taken,) = redis.scan_iter(match=f"{counted.make_key('verify-counts')}:flushing:*")
    assert redis.hgetall(taken) == {issued.verification_code.encode(): b"1"}
    assert 0 < redis.ttl(taken) <= 24 * 60 * 60
