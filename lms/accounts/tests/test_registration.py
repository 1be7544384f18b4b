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
    # The new learner is signed in and lands on their dashboard in Urdu.
    assert response.url == "/ur/learning/"


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
            {"email": "taken@example.org"},
            "email",
            "An account with this e-mail address already exists. "
            "Log in, or reset your password if you have forgotten it.",
        ),
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
