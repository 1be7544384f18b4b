import re

import pytest
from django.core import mail

from conftest import PASSWORD
from lms.accounts.models import User


@pytest.mark.django_db
def test_login_redirects_to_dashboard_in_preferred_language(client, make_learner):
    make_learner(email="ur@example.org", preferred_language="ur")
    response = client.post(
        "/accounts/login/", {"username": "ur@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == "/ur/learning/"


@pytest.mark.django_db
def test_wrong_password_is_refused_with_a_clear_message(client, make_learner):
    make_learner(email="a@example.org")
    response = client.post(
        "/accounts/login/", {"username": "a@example.org", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_repeated_guessing_locks_the_account_for_that_address(
    client, make_learner, settings
):
    make_learner(email="target@example.org")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/accounts/login/", {"username": "target@example.org", "password": "guess"}
        )
    # Even the right password is refused while locked out.
    response = client.post(
        "/accounts/login/", {"username": "target@example.org", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_reset_by_email_link(client, make_learner):
    make_learner(email="forgot@example.org")
    response = client.post("/accounts/password/reset/", {"email": "forgot@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/\S+/)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_url,
        {"new_password1": "fresh-apricot-77", "new_password2": "fresh-apricot-77"},
    )
    assert response.status_code == 302
    assert User.objects.get(email="forgot@example.org").check_password(
        "fresh-apricot-77"
    )
    # The link works once.
    again = client.get(link, follow=True)
    assert "This link does not work" in again.content.decode()


@pytest.mark.django_db
def test_password_reset_for_unknown_address_reveals_nothing(client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


@pytest.mark.django_db
def test_change_password_needs_the_current_one(client, make_learner):
    user = make_learner()
    client.force_login(user)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "not-it",
            "new_password1": "fresh-apricot-77",
            "new_password2": "fresh-apricot-77",
        },
    )
    assert response.status_code == 200
    assert "current password is not right" in response.content.decode()
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "fresh-apricot-77",
            "new_password2": "fresh-apricot-77",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("fresh-apricot-77")


@pytest.mark.django_db
def test_profile_needs_login(client):
    response = client.get("/accounts/profile/")
    assert response.status_code == 302
    assert "/accounts/login/" in response.url
