"""The holder is e-mailed when staff revoke, reissue or renew their certificate."""

import datetime
import smtplib

import pytest
from django.contrib.auth.models import Group
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import dateformat, timezone, translation
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_finished

from certificates import notifications, services, sharing, workshops
from certificates.models import (
    Certificate,
    CertificateEvent,
    CertificateTemplate,
)

pytestmark = pytest.mark.django_db

EMAILED = CertificateEvent.Action.EMAILED


class MailServerDown(BaseEmailBackend):
    """An e-mail backend whose server hangs up, as an SMTP outage would."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def manager(make_learner):
    return make_learner(email="manager@example.org")


@pytest.fixture
def notice_results():
    """The results of every e-mail notice task that runs during the test."""
    results = []

    def record(sender, task_result, **kwargs):
        if task_result.task.name == "email_change_notice":
            results.append(task_result)

    task_finished.connect(record)
    yield results
    task_finished.disconnect(record)


@pytest.fixture
def renewable(make_learner, make_course, complete_course):
    """A course certificate whose template gives it two years' validity."""
    CertificateTemplate.objects.filter(name="Default").update(validity_months=24)
    learner = make_learner()
    course = make_course(lessons=1)
    complete_course(learner, course)
    return Certificate.objects.get(user=learner, course=course)


def _long_date(value: datetime.date) -> str:
    return dateformat.format(value, "j F Y")


def test_revocation_mail_says_which_certificate_when_and_why(
    issued, manager, mailoutbox, django_capture_on_commit_callbacks
):
    reason = "The attendance register didn't match the learner's record"
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_certificate(issued, reason=reason, actor=manager)
    issued.refresh_from_db()

    [message] = mailoutbox
    assert message.to == [issued.user.email]
    assert "revoked" in message.subject
    assert issued.course_title_en in message.subject
    assert issued.course_title_en in message.body
    assert issued.verification_code in message.body
    assert _long_date(timezone.localtime(issued.revoked_at).date()) in message.body
    # As staff wrote it: plain text, nothing HTML-escaped.
    assert reason in message.body
    assert "now shows that it is revoked" in message.body
    assert sharing.verification_url(issued) in message.body
    event = issued.events.get(action=EMAILED)
    assert event.details == {"to": issued.user.email, "notice": "revoked"}


def test_reissue_mail_gives_the_new_code_and_says_the_old_one_points_to_it(
    issued, manager, mailoutbox, correct_name, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new = correct_name(issued, manager)

    [message] = mailoutbox
    assert message.to == [issued.user.email]
    assert issued.course_title_en in message.subject
    assert "Dear Muhammad Ali Khan Niazi," in message.body
    assert sharing.verification_url(new) in message.body
    assert sharing.pdf_url(new) in message.body
    assert f"Certificate code: {new.verification_code}" in message.body
    assert f"Your old code {issued.verification_code} is no longer valid" in (
        message.body
    )
    assert sharing.verification_url(issued) not in message.body
    assert "Name corrected at the learner's request" in message.body
    # The mail is logged on the certificate it announces.
    assert new.events.get(action=EMAILED).details == {
        "to": issued.user.email,
        "notice": "reissued",
    }
    assert not issued.events.filter(action=EMAILED).exists()


def test_renewal_mail_gives_the_new_links_and_validity(
    renewable, manager, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        renewed = services.renew_certificate(renewable, actor=manager)

    [message] = mailoutbox
    assert message.to == [renewable.user.email]
    assert "renewed" in message.subject
    assert "has been renewed" in message.body
    assert f"It is valid until {_long_date(renewed.expires_on)}." in message.body
    assert sharing.verification_url(renewed) in message.body
    assert sharing.pdf_url(renewed) in message.body
    assert f"Your old code {renewable.verification_code} now points to" in (
        message.body
    )
    assert renewed.events.get(action=EMAILED).details["notice"] == "renewed"


def test_a_course_holder_is_written_to_at_their_accounts_current_address(
    issued, manager, mailoutbox, django_capture_on_commit_callbacks
):
    issued.user.email = "new-address@example.org"
    issued.user.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_certificate(issued, reason="Issued in error", actor=manager)
    assert [message.to for message in mailoutbox] == [["new-address@example.org"]]


def test_a_workshop_attendee_is_written_to_at_the_listed_address_in_urdu(
    mailoutbox, manager, workshop, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workshops.issue_workshop_certificates(
            workshop, "name_en,name_ur,email\n,زینب بی بی,zainab@example.org\n"
        )
    certificate = Certificate.objects.get(email="zainab@example.org")
    # The certificate's own mail is in Urdu too, name and title.
    [issued] = mailoutbox
    assert issued.extra_headers["Content-Language"] == "ur"
    assert "زینب بی بی" in issued.body.splitlines()[0]
    assert "فعال تدریس ورکشاپ" in issued.subject
    assert "Active learning workshop" not in issued.body
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_certificate(certificate, reason="Left early", actor=manager)

    [message] = mailoutbox
    assert message.to == ["zainab@example.org"]
    # An Urdu-only name, no account: written to in Urdu, with Urdu name and title.
    assert message.extra_headers["Content-Language"] == "ur"
    assert "زینب بی بی" in message.body
    assert "فعال تدریس ورکشاپ" in message.subject


@pytest.mark.parametrize("language", ["ur", "en"])
def test_the_holder_is_written_to_in_their_preferred_language(
    language,
    make_learner,
    make_course,
    complete_course,
    manager,
    mailoutbox,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    learner = make_learner(preferred_language=language)
    complete_course(learner, make_course(lessons=1))
    certificate = Certificate.objects.get(user=learner)
    rendered_in = []
    render = notifications.render_to_string

    def spy(template_name, context):
        rendered_in.append((template_name, translation.get_language()))
        return render(template_name, context)

    monkeypatch.setattr(notifications, "render_to_string", spy)
    staff_language = translation.get_language()
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_certificate(
            certificate, reason="Issued in error", actor=manager
        )

    # Checked without the compiled Urdu catalogue: the language the templates
    # were rendered in, the header that names it, and the name in that language.
    assert rendered_in == [
        ("certificates/email/revoked_subject.txt", language),
        ("certificates/email/revoked_body.txt", language),
    ]
    [message] = mailoutbox
    assert message.extra_headers["Content-Language"] == language
    name = {"ur": "محمد علی خان", "en": "Muhammad Ali Khan"}[language]
    assert name in message.body.splitlines()[0]
    # The staff member's own language is left as it was.
    assert translation.get_language() == staff_language


def test_a_revocation_that_rolls_back_sends_nothing(
    issued, manager, mailoutbox, django_capture_on_commit_callbacks
):
    class Abandoned(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Abandoned), transaction.atomic():
            services.revoke_certificate(issued, reason="Issued in error", actor=manager)
            raise Abandoned
    issued.refresh_from_db()
    assert issued.revoked_at is None
    assert callbacks == []
    assert mailoutbox == []
    assert not issued.events.filter(action=EMAILED).exists()


@pytest.mark.parametrize("missing", ["blank address", "account deleted"])
def test_a_holder_without_an_address_gets_nothing_and_nothing_fails(
    missing,
    issued,
    manager,
    mailoutbox,
    notice_results,
    django_capture_on_commit_callbacks,
):
    if missing == "blank address":
        issued.user.email = ""
        issued.user.save(update_fields=["email"])
    else:
        Certificate.objects.filter(pk=issued.pk).update(user=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_certificate(issued, reason="Issued in error", actor=manager)

    issued.refresh_from_db()
    assert issued.revoked_at is not None
    assert mailoutbox == []
    assert not issued.events.filter(action=EMAILED).exists()
    [result] = notice_results
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == ""


@pytest.mark.parametrize("change", ["revoke", "reissue"])
def test_a_mail_server_that_is_down_fails_the_mail_task_not_the_change(
    change,
    issued,
    manager,
    settings,
    mailoutbox,
    notice_results,
    django_capture_on_commit_callbacks,
):
    settings.EMAIL_BACKEND = f"{__name__}.MailServerDown"
    with django_capture_on_commit_callbacks(execute=True):
        if change == "revoke":
            services.revoke_certificate(issued, reason="Issued in error", actor=manager)
        else:
            services.reissue_certificate(
                issued, actor=manager, holder_name_en="A", holder_name_ur="", reason="x"
            )

    issued.refresh_from_db()
    assert issued.revoked_at is not None
    if change == "reissue":
        assert Certificate.objects.filter(supersedes=issued, is_current=True).exists()
    [result] = notice_results
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class is smtplib.SMTPServerDisconnected
    assert not CertificateEvent.objects.filter(action=EMAILED).exists()
    assert mailoutbox == []


def test_revoking_in_the_admin_emails_the_holder(
    client, issued, manager, mailoutbox, django_capture_on_commit_callbacks
):
    manager.groups.add(Group.objects.get(name="Programme managers"))
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/certificates/{issued.pk}/revoke/", {"reason": "Issued in error"}
        )
    assert response.status_code == 302
    [message] = mailoutbox
    assert message.to == [issued.user.email]
    assert "Issued in error" in message.body
