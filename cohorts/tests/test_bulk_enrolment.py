"""Bulk enrolment from CSV and XLSX: good rows, bad rows, reruns, Urdu, spellings,
scope, and the admin's upload and progress pages."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from cohorts.bulk import enrolment
from cohorts.bulk.reading import (
    LearnerFileError,
    PlaceIndex,
    place_key,
    problem_message,
    read_learner_file,
)
from cohorts.models import BulkEnrolmentRun, CohortMembership
from courses.models import Enrolment
from lms.accounts import services as accounts
from lms.accounts.models import User

from .files import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

GOOD = (
    "new.teacher@example.org,Ayesha Siddiqui,عائشہ صدیقی,Punjab,Lahore,"
    "female,public,teacher,GGHS Model Town"
)


@pytest.fixture(autouse=True)
def _after_commit(django_capture_on_commit_callbacks):
    """Tasks queued with a change run when it commits (the immediate backend)."""
    global capture
    capture = django_capture_on_commit_callbacks


def run_file(cohort, name, data, actor=None):
    with capture(execute=True):
        run = enrolment.start_enrolment_run(cohort, name, data, actor=actor)
    run.refresh_from_db()
    return run


def messages_of(run):
    return {p["line"]: problem_message(p) for p in run.problems}


def test_a_new_address_gets_an_account_a_profile_and_an_invitation(make_cohort):
    cohort = make_cohort(district_code="PB-LHR")
    run = run_file(cohort, "teachers.csv", csv_bytes(GOOD))
    assert run.state == BulkEnrolmentRun.State.FINISHED
    assert (run.total_rows, run.processed_rows, run.invited_count) == (1, 1, 1)
    user = User.objects.get(email="new.teacher@example.org")
    assert not user.has_usable_password()
    assert user.profile.certificate_name_ur == "عائشہ صدیقی"
    assert user.profile.district.code == "PB-LHR"
    assert user.profile.gender == "female"
    assert user.groups.filter(name=accounts.LEARNERS_GROUP).exists()
    assert CohortMembership.objects.filter(cohort=cohort, user=user).exists()
    assert Enrolment.objects.filter(user=user, course__in=cohort.courses.all()).exists()
    (invitation,) = mail.outbox
    assert invitation.to == ["new.teacher@example.org"]
    assert "/accounts/password/reset/" in invitation.body


def test_the_invitation_link_lets_the_teacher_choose_a_password(client, make_cohort):
    cohort = make_cohort(district_code="PB-LHR")
    run_file(cohort, "t.csv", csv_bytes(GOOD))
    link = next(
        word for word in mail.outbox[0].body.split() if "/password/reset/" in word
    )
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {
            "new_password1": "a-new-long-password-77",
            "new_password2": "a-new-long-password-77",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="new.teacher@example.org").check_password(
        "a-new-long-password-77"
    )


def test_an_existing_account_is_enrolled_and_keeps_its_profile(
    make_cohort, make_learner
):
    cohort = make_cohort(district_code="PB-LHR")
    known = make_learner("known@example.org", institution="Old School")
    run = run_file(
        cohort,
        "t.csv",
        csv_bytes("KNOWN@example.org,Other Name,,Punjab,Lahore,,public,teacher,New"),
    )
    assert (run.enrolled_count, run.invited_count, run.problems) == (1, 0, [])
    known.profile.refresh_from_db()
    assert known.profile.institution == "Old School"
    assert CohortMembership.objects.filter(cohort=cohort, user=known).exists()
    assert not [m for m in mail.outbox if "password/reset" in m.body]


def test_the_same_file_twice_enrols_and_invites_nobody_twice(make_cohort):
    cohort = make_cohort(district_code="PB-LHR")
    data = csv_bytes(GOOD, "second@example.org,Bilal,,,Lahore,male,private,teacher,X")
    first = run_file(cohort, "t.csv", data)
    second = run_file(cohort, "t.csv", data)
    assert first.invited_count == 2
    assert (second.invited_count, second.enrolled_count, second.skipped_count) == (
        0,
        0,
        2,
    )
    assert CohortMembership.objects.filter(cohort=cohort).count() == 2
    assert len(mail.outbox) == 2


def test_bad_rows_are_named_by_line_and_the_good_ones_go_on(make_cohort):
    cohort = make_cohort(district_code="PB-LHR")
    data = csv_bytes(
        GOOD,
        "not-an-address,Someone,,,Lahore,,public,teacher,X",
        "third@example.org,Third,,,Atlantis,,public,teacher,X",
        "fourth@example.org,Fourth,,,Lahore,,public,headmaster,X",
        "new.teacher@example.org,Again,,,Lahore,,public,teacher,X",
        "fifth@example.org,,,,Lahore,,public,teacher,X",
        "sixth@example.org,Sixth,,Sindh,Lahore,,public,teacher,X",
    )
    run = run_file(cohort, "t.csv", data)
    problems = messages_of(run)
    assert set(problems) == {3, 4, 5, 6, 7, 8}
    assert "not-an-address" in problems[3]
    assert "Atlantis" in problems[4]
    assert "headmaster" in problems[5]
    assert "line 2" in problems[6]
    assert "name_en" in problems[7]
    assert "Lahore is not in Sindh" in problems[8]
    assert run.invited_count == 1
    assert not User.objects.filter(
        email__in=["third@example.org", "fifth@example.org"]
    ).exists()


def test_problems_are_shown_in_the_readers_language(make_cohort):
    cohort = make_cohort(district_code="PB-LHR")
    run = run_file(
        cohort, "t.csv", csv_bytes("x@example.org,X,,,Atlantis,,public,teacher,X")
    )
    with translation.override("ur"):
        urdu = problem_message(run.problems[0])
    assert "Atlantis" in urdu
    assert urdu != problem_message(run.problems[0])


@pytest.mark.parametrize(
    "spelling",
    [
        "D.G. Khan",
        "DG Khan",
        "dera ghazi khan",
        "Dera Ghazi Khan District",
        "ڈیرہ غازی خان",
        "PB-DGK",
    ],
)
def test_district_spellings_are_matched(spelling):
    places = PlaceIndex()
    district = places.district(spelling)
    assert district is not None and district.code == "PB-DGK"


def test_place_keys_fold_urdu_variants_and_digits():
    assert place_key("ضلع  لاہور") == place_key("لاهور")
    assert place_key("Toba Tek Singh") == place_key("toba-tek-singh")


def test_urdu_digits_and_urdu_values_are_read(make_cohort):
    cohort = make_cohort(district_code="PB-LHR")
    data = csv_bytes(
        "teacher۱۲@example.org,Zainab Bibi,زینب بی بی,پنجاب,لاہور,"
        "خاتون,سرکاری,استاد,گورنمنٹ اسکول"
    )
    run = run_file(cohort, "t.csv", data)
    assert run.problems == []
    user = User.objects.get(email="teacher12@example.org")
    profile = user.profile
    assert (profile.gender, profile.sector, profile.role) == (
        "female",
        "public",
        "teacher",
    )
    assert profile.certificate_name_ur == "زینب بی بی"
    assert profile.district.code == "PB-LHR"


def test_xlsx_files_are_read_like_csv(make_cohort):
    cohort = make_cohort(district_code="PB-LHR")
    data = xlsx_bytes(
        [
            [
                "x1@example.org",
                "Xlsx One",
                "ایکس",
                "Punjab",
                "Lahore",
                "male",
                "public",
                "teacher",
                "S",
            ],
            ["bad", "Xlsx Two", "", "", "Lahore", "", "public", "teacher", "S"],
            [None, None, None, None, None, None, None, None, None],
        ]
    )
    run = run_file(cohort, "teachers.XLSX", data)
    assert run.invited_count == 1
    assert list(messages_of(run)) == [3]
    assert run.total_rows == 2


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("t.txt", b"email\nx@example.org\n", "csv or .xlsx"),
        ("t.xlsx", b"email,name\n", "not an XLSX"),
        ("t.xlsx", b"PK\x03\x04 broken zip", "not an XLSX"),
        ("t.csv", "email\n".encode("utf-16"), "UTF-8"),
        ("t.csv", b"", "empty"),
        ("t.csv", b"name,district\nA,Lahore\n", "email"),
        ("t.csv", b"email\n" + b"x" * (6 * 1024 * 1024), "larger than"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole(name, data, says, make_cohort):
    with pytest.raises(LearnerFileError) as error:
        read_learner_file(name, data)
    assert says.lower() in str(error.value.message).lower()
    cohort = make_cohort()
    with pytest.raises(LearnerFileError):
        enrolment.start_enrolment_run(cohort, name, data, actor=None)
    assert not BulkEnrolmentRun.objects.exists()


def test_a_district_coordinator_cannot_enrol_another_districts_rows(two_districts):
    world = two_districts
    data = csv_bytes(
        "lhr@example.org,Lahore Teacher,,,Lahore,,public,teacher,S",
        "khi@example.org,Karachi Teacher,,,Karachi South,,public,teacher,S",
        f"{world.karachi_learners[0].email},Known,,,Lahore,,public,teacher,S",
    )
    run = run_file(world.lahore_cohort, "t.csv", data, actor=world.lahore_coordinator)
    problems = messages_of(run)
    assert set(problems) == {3, 4}
    assert "Karachi South" in problems[3]
    with translation.override("ur"):
        assert "کراچی" in problem_message(run.problems[0])
    assert run.invited_count == 1
    assert not User.objects.filter(email="khi@example.org").exists()
    assert not CohortMembership.objects.filter(
        cohort=world.lahore_cohort, user=world.karachi_learners[0]
    ).exists()


def test_a_run_whose_uploader_was_deleted_fails_instead_of_enrolling_every_district(
    two_districts,
):
    world = two_districts
    data = csv_bytes(
        "lhr@example.org,Lahore Teacher,,,Lahore,,public,teacher,S",
        "khi@example.org,Karachi Teacher,,,Karachi South,,public,teacher,S",
    )
    with capture(execute=False):  # the task has not run yet
        run = enrolment.start_enrolment_run(
            world.lahore_cohort, "t.csv", data, actor=world.lahore_coordinator
        )
    world.lahore_coordinator.delete()

    run = enrolment.work_through(run.pk)

    assert run.state == run.State.FAILED
    assert run.processed_rows == 0
    assert not User.objects.filter(
        email__in=["lhr@example.org", "khi@example.org"]
    ).exists()
    assert enrolment.work_through(run.pk).state == run.State.FAILED  # a retry


def test_a_run_from_the_command_may_enrol_every_district(two_districts):
    world = two_districts
    data = csv_bytes(
        "khi@example.org,Karachi Teacher,,,Karachi South,,public,teacher,S"
    )
    run = run_file(world.lahore_cohort, "t.csv", data, actor=None)
    assert run.unrestricted and run.state == run.State.FINISHED
    assert User.objects.filter(email="khi@example.org").exists()


def admin_client(client, user):
    client.force_login(user)
    return client


def test_the_upload_page_runs_the_file_and_shows_progress_and_row_errors(
    client, two_districts
):
    world = two_districts
    client = admin_client(client, world.lahore_coordinator)
    url = reverse("cohorts_admin:enrol", args=[world.lahore_cohort.pk])
    assert client.get(url).status_code == 200
    upload = SimpleUploadedFile(
        "teachers.csv",
        csv_bytes(GOOD, "bad-row,No,,,Lahore,,public,teacher,S"),
        content_type="text/csv",
    )
    with capture(execute=True):
        response = client.post(url, {"learners": upload})
    assert response.status_code == 302
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "1 of 2" not in text and "2 of 2 rows" in text
    assert "bad-row" in text and "<td>3</td>" in text


def test_the_upload_page_refuses_a_wrong_file_with_a_message(client, two_districts):
    world = two_districts
    client = admin_client(client, world.lahore_coordinator)
    url = reverse("cohorts_admin:enrol", args=[world.lahore_cohort.pk])
    upload = SimpleUploadedFile(
        "teachers.pdf", b"%PDF-1.4", content_type="application/pdf"
    )
    response = client.post(url, {"learners": upload})
    assert response.status_code == 200
    assert "Upload a .csv or .xlsx file." in response.content.decode()
    assert not BulkEnrolmentRun.objects.exists()


def test_another_districts_cohort_and_runs_are_404_for_a_coordinator(
    client, two_districts
):
    world = two_districts
    run = run_file(world.karachi_cohort, "t.csv", csv_bytes(GOOD), actor=None)
    client = admin_client(client, world.lahore_coordinator)
    for url in [
        reverse("cohorts_admin:enrol", args=[world.karachi_cohort.pk]),
        reverse("cohorts_admin:announce", args=[world.karachi_cohort.pk]),
        reverse("cohorts_admin:inspect", args=[world.karachi_cohort.pk]),
        reverse("cohorts_admin:run", args=[run.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    listing = client.get(reverse("cohorts_admin:index")).content.decode()
    assert world.lahore_cohort.name_en in listing
    assert world.karachi_cohort.name_en not in listing
    inspect = client.get(
        reverse("cohorts_admin:inspect", args=[world.lahore_cohort.pk])
    )
    text = inspect.content.decode()
    assert world.lahore_learners[0].email in text
    assert world.karachi_learners[0].email not in text


def test_a_learner_cannot_reach_the_upload(client, two_districts, make_learner):
    learner = make_learner()
    client.force_login(learner)
    url = reverse("cohorts_admin:enrol", args=[two_districts.lahore_cohort.pk])
    assert client.get(url).status_code in (302, 403)


def test_a_coordinator_may_not_edit_or_add_cohorts(client, two_districts):
    client.force_login(two_districts.lahore_coordinator)
    pk = two_districts.lahore_cohort.pk
    assert client.get(reverse("cohorts_admin:edit", args=[pk])).status_code in (
        302,
        403,
    )
    assert client.get(reverse("cohorts_admin:add")).status_code in (302, 403)


def test_a_manager_edits_a_cohort_with_its_reminder_rules(
    client, two_districts, make_learner
):
    manager = make_learner()
    manager.groups.add(Group.objects.get(name=accounts.PROGRAMME_MANAGERS_GROUP))
    client.force_login(manager)
    pk = two_districts.lahore_cohort.pk
    response = client.get(reverse("cohorts_admin:edit", args=[pk]))
    assert response.status_code == 200
    assert "reminder_rules" in response.content.decode()


def test_the_command_enrols_a_file_as_the_upload_does(tmp_path, make_cohort):
    cohort = make_cohort(district_code="PB-LHR")
    path = tmp_path / "teachers.csv"
    path.write_bytes(csv_bytes(GOOD, "broken,No,,,Lahore,,public,teacher,S"))
    out, err = io.StringIO(), io.StringIO()
    with capture(execute=True):
        call_command("enrol_cohort", str(cohort.pk), str(path), stdout=out, stderr=err)
    assert "1 invited" in out.getvalue()
    assert "line 3" in err.getvalue()
    with capture(execute=True):
        call_command("enrol_cohort", str(cohort.pk), str(path), stdout=out, stderr=err)
    assert "1 already members" in out.getvalue()


def test_the_cohort_form_refuses_another_programmes_course(two_districts, make_course):
    from cohorts.viewsets import CohortViewSet

    world = two_districts
    other_course = world.outsider.enrolments.get().course
    form_class = CohortViewSet.edit_handler.bind_to_model(
        world.lahore_cohort.__class__
    ).get_form_class()
    management = {
        f"reminder_rules-{name}": value
        for name, value in [
            ("TOTAL_FORMS", "0"),
            ("INITIAL_FORMS", "0"),
            ("MIN_NUM_FORMS", "0"),
            ("MAX_NUM_FORMS", "1000"),
        ]
    }
    data = {
        "name_en": "Mixed",
        "programme": world.programme.pk,
        "courses": [world.course.pk, other_course.pk],
        "starts_on": "2026-01-01",
        **management,
    }
    form = form_class(data=data, instance=world.lahore_cohort.__class__())
    assert not form.is_valid()
    assert "Other" in str(form.errors["courses"])
    data["courses"] = [world.course.pk]
    form = form_class(data=data, instance=world.lahore_cohort.__class__())
    assert form.is_valid(), form.errors


def test_the_listing_counts_only_members_in_scope_in_flat_queries(
    client, two_districts, django_assert_max_num_queries
):
    from cohorts.services import join_cohort

    world = two_districts
    join_cohort(world.karachi_learners[0], world.lahore_cohort)
    client.force_login(world.lahore_coordinator)
    url = reverse("cohorts_admin:index")
    client.get(url)
    with django_assert_max_num_queries(40) as before:
        response = client.get(url)
    assert [row.member_count for row in response.context["object_list"]] == [2]
    join_cohort(world.karachi_learners[1], world.lahore_cohort)
    with django_assert_max_num_queries(len(before)):
        client.get(url)


@pytest.mark.parametrize("rows", [3, 12])
def test_a_chunk_of_rows_looks_its_accounts_up_in_one_query(
    make_cohort, make_learner, rows, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(enrolment, "_ROWS_PER_LOOKUP", 10)
    cohort = make_cohort(district_code="PB-LHR")
    known = [make_learner(f"Known{number}@example.org") for number in range(rows)]
    lines = [
        f"{learner.email.upper()},Name,,Punjab,Lahore,,public,teacher,School"
        for learner in known
    ]
    with CaptureQueriesContext(connection) as queries:
        run = run_file(cohort, "t.csv", csv_bytes(*lines))
    assert (run.enrolled_count, run.invited_count, run.problems) == (rows, 0, [])
    lookups = [
        query["sql"]
        for query in queries.captured_queries
        if 'FROM "accounts_user"' in query["sql"] and "LOWER(" in query["sql"]
    ]
    assert len(lookups) == -(-rows // 10)  # one a chunk of ten rows
    assert not [
        query["sql"]
        for query in queries.captured_queries
        if 'FROM "accounts_user"' in query["sql"] and "UPPER(" in query["sql"]
    ]
