import re

import pytest
from django.core import mail

from lms.accounts.models import User

from .conftest import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def register(page, email, *, name="Ayesha Siddiqui"):
    page.goto("/accounts/register/")
    page.fill("#id_email", email)
    page.fill("#id_password1", "green-mango-tree-42")
    page.fill("#id_password2", "green-mango-tree-42")
    page.fill("#id_certificate_name_en", name)
    page.fill("#id_certificate_name_ur", "عائشہ صدیقی")
    page.select_option("#id_role", "teacher")
    page.select_option("#id_sector", "public")
    page.select_option("#id_province", label="Sindh")
    page.select_option("#id_district", label="Karachi South")
    page.fill("#id_institution", "Government School, Karachi")
    page.select_option("#id_preferred_language", "en")
    page.click("button[type=submit]:has-text('Create account')")


def test_register_log_in_and_switch_to_urdu(page):
    register(page, "ayesha@example.org")
    # Registering answers the same for new and known addresses, so the new
    # learner is sent to sign in with the password they chose.
    page.wait_for_url("**/accounts/login/")
    assert "We have sent a message" in page.inner_text(".messages")
    assert User.objects.filter(email="ayesha@example.org").exists()

    log_in(page, "ayesha@example.org", "green-mango-tree-42")
    page.wait_for_url("**/learning/")

    page.click("button.language-button[value=ur]")
    page.wait_for_url("**/ur/learning/")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == "ur"
    page.evaluate("document.fonts.ready")
    font_family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert font_family.startswith('"Noto Nastaliq Urdu"')
    assert page.evaluate("document.fonts.check('16px \"Noto Nastaliq Urdu\"', 'میری')")
    loaded = page.evaluate(
        "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
    )
    assert "Noto Nastaliq Urdu" in loaded
    # Nothing spills sideways on a phone.
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_district_list_follows_the_province(page):
    page.goto("/accounts/register/")
    page.select_option("#id_province", label="Sindh")
    visible = page.eval_on_selector_all(
        "#id_district optgroup:not([hidden])", "groups => groups.map(g => g.label)"
    )
    assert visible == ["Sindh"]


def test_reset_password_through_the_email_link(page, make_learner):
    make_learner(email="forgetful@example.org")
    page.goto("/accounts/password/reset/")
    page.fill("#id_email", "forgetful@example.org")
    page.click("main button[type=submit]")
    page.wait_for_url("**/password/reset/sent/")
    resets = [m for m in mail.outbox if "new password" in m.subject]
    assert len(resets) == 1
    link = re.search(r"https?://\S+", resets[0].body).group(0)

    page.goto(link)
    page.fill("#id_new_password1", "fresh-apricot-77")
    page.fill("#id_new_password2", "fresh-apricot-77")
    page.click("main button[type=submit]")
    page.wait_for_url("**/password/reset/complete/")

    log_in(page, "forgetful@example.org", "fresh-apricot-77")
    page.wait_for_url("**/learning/")
