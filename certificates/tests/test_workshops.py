import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from certificates import workshops
from certificates.models import Certificate, CertificateTemplate

pytestmark = pytest.mark.django_db

GOOD_AND_BAD = (
    "name_en,name_ur,email\n"
    "Ayesha Siddiqa,عائشہ صدیقہ,ayesha@example.org\n"
    "Broken row with two columns,bilal@example.org\n"
    ",زینب بی بی,zainab@example.org\n"
    "Ayesha S.,,AYESHA@example.org\n"
    "Imran Khan,,not-an-email\n"
)


def test_good_rows_are_issued_and_bad_ones_reported_by_line(
    workshop, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outcomes, problems = workshops.issue_workshop_certificates(
            workshop, GOOD_AND_BAD
        )
    assert [outcome.email for outcome in outcomes if outcome.issued] == [
        "ayesha@example.org",
        "zainab@example.org",
    ]
    assert [(problem.line, problem.message.split(" ")[0]) for problem in problems] == [
        (3, "Expected"),
        (5, "ayesha@example.org"),
        (6, "“not-an-email”"),
    ]
    assert "first on line 2" in problems[1].message
    urdu_only = Certificate.objects.get(email="zainab@example.org")
    assert (urdu_only.holder_name_en, urdu_only.holder_name_ur) == ("", "زینب بی بی")
    assert urdu_only.pdf  # rendered with the Urdu name on the main line
    assert urdu_only.course_title_ur == "فعال تدریس ورکشاپ"
    assert urdu_only.issued_on == datetime.date(2026, 11, 20)
    # Each attendee got an e-mail with their link.
    assert sorted(message.to[0] for message in mail.outbox) == [
        "ayesha@example.org",
        "zainab@example.org",
    ]
    assert urdu_only.verification_code in mail.outbox[1].body + mail.outbox[0].body


def test_uploading_the_same_list_again_issues_nothing_new(workshop):
    workshops.issue_workshop_certificates(workshop, GOOD_AND_BAD)
    codes = set(Certificate.objects.values_list("verification_code", flat=True))
    outcomes, _problems = workshops.issue_workshop_certificates(workshop, GOOD_AND_BAD)
    assert not any(outcome.issued for outcome in outcomes)
    assert set(Certificate.objects.values_list("verification_code", flat=True)) == codes


def test_attendee_with_an_account_sees_the_certificate(workshop, make_learner):
    learner = make_learner(email="ayesha@example.org")
    workshops.issue_workshop_certificates(workshop, GOOD_AND_BAD)
    assert Certificate.objects.get(email="ayesha@example.org").user == learner


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The file is empty."),
        ("name,email\nA,a@example.org\n", "The first line must be the header"),
    ],
)
def test_a_file_that_cannot_be_read_issues_nothing(workshop, text, message):
    with pytest.raises(workshops.AttendeeListError, match=message):
        workshops.issue_workshop_certificates(workshop, text)
    assert not Certificate.objects.exists()


def test_non_utf8_upload_is_refused_with_advice():
    with pytest.raises(workshops.AttendeeListError, match="CSV UTF-8"):
        workshops.decode_upload("name_en\nAli\xe9".encode("latin-1"))


def test_excel_byte_order_mark_is_accepted(workshop):
    text = workshops.decode_upload(("\ufeff" + GOOD_AND_BAD).encode("utf-8"))
    attendees, _problems = workshops.read_attendees(text)
    assert attendees[0].email == "ayesha@example.org"


def test_command_prints_one_line_per_attendee_and_fails_on_bad_rows(workshop, tmp_path):
    path = tmp_path / "attendees.csv"
    path.write_text(GOOD_AND_BAD, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="3 row"):
        call_command(
            "issue_certificates",
            "--workshop",
            "lahore-workshop",
            "--csv",
            str(path),
            stdout=out,
            stderr=err,
        )
    printed = out.getvalue().splitlines()
    ayesha = Certificate.objects.get(email="ayesha@example.org")
    assert f"line 2: ayesha@example.org {ayesha.verification_code} issued" in printed
    assert "line 3: not issued" in err.getvalue()
    assert printed[-1] == "2 issued, 0 already held, 3 not issued"
    # A second run issues nothing and says so per attendee.
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "issue_certificates",
            "--workshop",
            "lahore-workshop",
            "--csv",
            str(path),
            stdout=out,
            stderr=io.StringIO(),
        )
    assert f"{ayesha.verification_code} already issued" in out.getvalue()
    assert Certificate.objects.count() == 2


def test_command_refuses_an_unknown_workshop(tmp_path):
    with pytest.raises(CommandError, match="No workshop has the slug"):
        call_command("issue_certificates", "--workshop", "nope", "--csv", "x.csv")


@pytest.fixture
def manager_client(client, make_learner):
    manager = make_learner(email="manager@example.org")
    manager.groups.add(Group.objects.get(name="Programme managers"))
    client.force_login(manager)
    return client


def test_manager_uploads_the_list_in_the_admin_and_sees_progress(
    manager_client, workshop, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("attendees.csv", GOOD_AND_BAD.encode(), "text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            f"/admin/certificates/workshops/{workshop.pk}/issue/",
            {"attendees": upload},
        )
    assert response.status_code == 302
    progress = manager_client.get(response["Location"]).content.decode()
    assert "Finished" in progress
    assert "Issued: 2" in progress
    assert "Not issued: 3" in progress
    assert "Expected 3 columns" in progress
    assert workshop.certificates.count() == 2


def test_learner_cannot_reach_the_certificate_admin(client, make_learner, workshop):
    client.force_login(make_learner())
    assert client.get("/admin/certificates/").status_code in (302, 403)
    response = client.post(f"/admin/certificates/workshops/{workshop.pk}/issue/")
    assert response.status_code in (302, 403)
    assert not Certificate.objects.exists()


def test_manager_revokes_and_reissues_in_the_admin(manager_client, issued):
    detail = f"/admin/certificates/inspect/{issued.pk}/"
    assert issued.verification_code in manager_client.get(detail).content.decode()
    # No reason: refused with a message, nothing changes.
    manager_client.post(f"/admin/certificates/{issued.pk}/revoke/", {"reason": ""})
    issued.refresh_from_db()
    assert issued.revoked_at is None
    response = manager_client.post(
        f"/admin/certificates/{issued.pk}/reissue/",
        {"holder_name_en": "M. Ali Khan", "holder_name_ur": "", "reason": "Spelling"},
    )
    new = Certificate.objects.get(supersedes=issued)
    assert response["Location"] == f"/admin/certificates/inspect/{new.pk}/"
    assert new.events.get().actor.email == "manager@example.org"
    listing = manager_client.get(
        "/admin/certificates/", {"q": "M. Ali"}
    ).content.decode()
    assert new.verification_code in listing
    assert issued.verification_code not in listing


def test_manager_edits_templates_and_a_bad_placeholder_is_refused(manager_client):
    assert manager_client.get("/admin/certificate_templates/new/").status_code == 200
    form = {
        "name": "Broken",
        "issuer_en": "Alliance Teachers Forum",
        "primary_colour": "#0b4f3a",
        "accent_colour": "#b08d3c",
        "title_en": "Certificate",
        "presented_en": "Awarded to",
        "wording_en": "for {course_titel}",
        "workshop_wording_en": "for {course_title}",
        "signatories-TOTAL_FORMS": "0",
        "signatories-INITIAL_FORMS": "0",
        "signatories-MIN_NUM_FORMS": "0",
        "signatories-MAX_NUM_FORMS": "3",
    }
    response = manager_client.post("/admin/certificate_templates/new/", form)
    assert "Unknown placeholder {course_titel}" in response.content.decode()
    assert not CertificateTemplate.objects.filter(name="Broken").exists()
    form["wording_en"] = "for {course_title}"
    response = manager_client.post("/admin/certificate_templates/new/", form)
    assert response.status_code == 302
    assert CertificateTemplate.objects.filter(name="Broken").exists()
