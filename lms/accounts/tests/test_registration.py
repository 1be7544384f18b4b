from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from lms.accounts.models import District, Profile, Province, User

REGISTER_URL_EN = "/accounts/register/"
REGISTER_URL_UR = "/ur/accounts/register/"


def form_data(**overrides):
    data = {
        "email": "new.teacher@example.org",
        "password1": "green-mango-tree-42",
        "password2": "green-mango-tree-42",
        "certificate_name_en": "Muhammad Ali Khan",
        "certificate_name_ur": "محمد علی خان",
        "role": "teacher",
        "sector": "public",
        "gender": "",
        "province": Province.objects.get(code="PB").pk,
        "district": District.objects.get(code="PB-LHR").pk,
        "institution": "Government High School, Lahore",
        "preferred_language": "ur",
    }
    data.update(overrides)
    return data


def urdu(message: str) -> str:
    with translation.override("ur"):
        translated = gettext(message)
    assert translated != message, f"no Urdu translation for {message!r}"
    return translated


@pytest.mark.django_db
def test_registration_creates_account_profile_group_and_welcome_email(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGISTER_URL_EN, form_data())
    assert response.status_code == 302
    user = User.objects.get(email="new.teacher@example.org")
    assert user.check_password("green-mango-tree-42")
    assert user.profile.certificate_name_ur == "محمد علی خان"
    assert user.profile.district.code == "PB-LHR"
    assert user.groups.filter(name="Learners").exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.teacher@example.org"]
    # The welcome speaks the learner's preferred language.
    assert urdu("Welcome to Alliance Learning") in mail.outbox[0].subject
    # The new learner signs in with the password they chose, on the Urdu page
    # (registering says nothing of whether the address already had an account).
    assert response.url == "/ur/accounts/login/"
    assert "_auth_user_id" not in client.session
    signed_in = client.post(
        response.url,
        {"username": "new.teacher@example.org", "password": "green-mango-tree-42"},
    )
    assert signed_in.url == "/ur/learning/"


@pytest.mark.django_db
def test_email_is_case_insensitive_for_login(client, make_learner):
    make_learner(email="Mixed.Case@Example.org", password="green-mango-tree-42")
    response = client.post(
        "/accounts/login/",
        {"username": "MIXED.case@example.ORG", "password": "green-mango-tree-42"},
    )
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"password1": "12345678", "password2": "12345678"},
            "password1",
            "This password is entirely numeric. Add letters too.",
        ),
        (
            {"password1": "password", "password2": "password"},
            "password1",
            "This password is too common. Choose one that is hard to guess.",
        ),
        (
            {"district": "SINDH"},
            "district",
            "%(district)s is not in %(province)s. Choose a district of %(province)s.",
        ),
        (
            {"certificate_name_en": "A" * 101},
            "certificate_name_en",
            "Please use at most %(limit_value)d characters (you used %(show_value)d).",
        ),
        (
            {"password2": "something-else-99"},
            "password2",
            "The two passwords do not match.",
        ),
    ],
)
def test_bad_registration_explains_in_urdu_and_creates_nothing(
    client, make_learner, overrides, field, message
):
    make_learner(email="taken@example.org")
    if overrides.get("district") == "SINDH":
        overrides["district"] = District.objects.get(code="SD-KCS").pk
    users_before, profiles_before = User.objects.count(), Profile.objects.count()

    response = client.post(REGISTER_URL_UR, form_data(**overrides))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    expected = urdu(message)
    if "%(district)s" in expected:
        with translation.override("ur"):
            expected = expected % {
                "district": District.objects.get(code="SD-KCS").name,
                "province": Province.objects.get(code="PB").name,
            }
    elif "%(limit_value)d" in expected:
        expected = expected % {"limit_value": 100, "show_value": 101}
    html = unescape(response.content.decode())
    assert expected in html
    assert 'dir="rtl"' in html
    assert User.objects.count() == users_before
    assert Profile.objects.count() == profiles_before


@pytest.mark.django_db
def test_registration_page_groups_districts_by_province(client):
    html = client.get(REGISTER_URL_EN).content.decode()
    assert '<optgroup label="Sindh">' in html
    assert "Karachi" in html


@pytest.mark.django_db
def test_groups_are_reference_data():
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Learners", "Trainers", "Reviewers", "Programme managers"} <= names


@pytest.mark.django_db
def test_provinces_and_districts_are_data():
    assert Province.objects.count() == 7
    assert District.objects.filter(province__code="PB").count() > 30
    assert District.objects.get(code="PB-LHR").name_ur == "لاہور"


@pytest.mark.django_db
def test_profile_edit_rejects_district_of_another_province(client, make_learner):
    user = make_learner()
    client.force_login(user)
    data = form_data()
    del data["email"], data["password1"], data["password2"]
    data["district"] = District.objects.get(code="SD-KCS").pk
    response = client.post(reverse("accounts:profile"), data)
    assert response.status_code == 200
    user.profile.refresh_from_db()
    assert user.profile.district.code == "PB-LHR"


def _answer(response) -> tuple:
    """What a visitor can see of a registration's answer."""
    page = response.client.get(response.url)
    messages = [str(m) for m in page.context["messages"]]
    return response.status_code, response.url, messages, dict(response.cookies)


@pytest.mark.django_db
def test_registration_answers_the_same_whether_or_not_the_address_has_an_account(
    client, make_learner, django_capture_on_commit_callbacks
):
    owner = make_learner(email="taken@example.org", preferred_language="ur")
    owner_password = owner.password
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        taken = client.post(REGISTER_URL_EN, form_data(email="TAKEN@example.org"))
    taken_answer = _answer(taken)
    with django_capture_on_commit_callbacks(execute=True):
        fresh = client.post(REGISTER_URL_EN, form_data(email="fresh@example.org"))
    fresh_answer = _answer(fresh)

    def without_address(answer):
        status, url, messages, cookies = answer
        for address in ("taken@example.org", "fresh@example.org"):
            messages = [m.replace(address, "ADDRESS") for m in messages]
        return status, url, messages, sorted(cookies)

    assert without_address(taken_answer) == without_address(fresh_answer)
    assert taken_answer[0] == 302 and "_auth_user_id" not in client.session
    # The account that existed is unchanged and no second one was made.
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1
    owner.refresh_from_db()
    assert owner.password == owner_password
    # Its owner is told, in their language, with a way in; the new learner is
    # welcomed.
    notice, welcome = mail.outbox
    assert notice.to == ["taken@example.org"]
    assert urdu("Someone tried to register with your address") in notice.subject
    assert "/accounts/password/reset/" in notice.body
    assert "/accounts/login/" in notice.body
    assert welcome.to == ["fresh@example.org"]


@pytest.mark.django_db
def test_password_reset_answers_the_same_for_known_and_unknown_addresses(
    client, make_learner
):
    make_learner(email="known@example.org")
    known = client.post("/accounts/password/reset/", {"email": "known@example.org"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert [m.to for m in mail.outbox] == [["known@example.org"]]


@pytest.mark.django_db
def test_registration_is_limited_per_address_and_per_e_mail(
    client, counting_cache, set_limit, django_capture_on_commit_callbacks
):
    set_limit("register", learner=(2, 3600), address=(3, 3600))
    with django_capture_on_commit_callbacks(execute=True):
        codes = [
            client.post(
                REGISTER_URL_EN, form_data(email="same@example.org")
            ).status_code
            for _ in range(3)
        ]
    # The third message to one address is refused (a mail bomb, not a learner).
    assert codes == [302, 302, 429]
    assert len(mail.outbox) == 2
    other = client.post(REGISTER_URL_UR, form_data(email="other@example.org"))
    assert other.status_code == 302
    refused = client.post(REGISTER_URL_UR, form_data(email="third@example.org"))
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert urdu("Please wait") in refused.content.decode()
    assert not User.objects.filter(email="third@example.org").exists()


@pytest.mark.django_db
def test_password_reset_is_limited_per_e_mail(client, counting_cache, set_limit):
    set_limit("password_reset", learner=(2, 3600), address=(100, 3600))
    codes = [
        client.post(
            "/accounts/password/reset/", {"email": "victim@example.org"}
        ).status_code
        for _ in range(3)
    ]
    assert codes == [302, 302, 429]
