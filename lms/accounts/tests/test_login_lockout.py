"""Login guessing is locked out per account and address, and per address
across accounts at a higher limit."""

import pytest

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def guess(client, username, password="guess", address="10.2.0.1"):  # noqa: S107
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_one_address_trying_many_usernames_is_locked_out(
    client, make_learner, settings
):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 20
    make_learner(email="real@example.org")
    answers = [
        guess(client, f"user{number}@example.org").status_code for number in range(30)
    ]
    # No one username failed twice, yet the address is locked at its limit.
    assert answers[:19] == [200] * 19
    assert set(answers[20:]) == {429}
    # Locked for every account, even with the right password ...
    assert guess(client, "real@example.org", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    # ... but only from that address.
    other = guess(client, "real@example.org", PASSWORD, address="10.2.0.2")
    assert other.status_code == 302


def test_one_learners_typos_lock_only_that_learner_on_the_address(
    client, make_learner, settings
):
    make_learner(email="typist@example.org")
    make_learner(email="colleague@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        guess(client, "typist@example.org")
    assert guess(client, "typist@example.org", PASSWORD).status_code == 429
    # A colleague on the same school wifi still signs in.
    assert guess(client, "colleague@example.org", PASSWORD).status_code == 302


def test_signing_in_does_not_clear_the_addresss_failures(
    client, make_learner, settings
):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 6
    make_learner(email="own@example.org")
    for number in range(5):
        guess(client, f"victim{number}@example.org")
    # The guesser signs in to an account of their own, then out again.
    assert guess(client, "own@example.org", PASSWORD).status_code == 302
    client.logout()
    guess(client, "victim9@example.org")
    assert guess(client, "victim10@example.org").status_code == 429
