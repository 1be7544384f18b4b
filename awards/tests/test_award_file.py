"""Issuing an award from a CSV file: bad rows named by line in the reader's
language and changing nothing, good rows issued once however often it runs."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from awards import bulk
from awards.models import IssuedAward

pytestmark = pytest.mark.django_db


def csv_file(text: str) -> bytes:
    return text.encode("utf-8")


@pytest.fixture
def teachers(make_learner):
    return [make_learner(email=f"t{n}@example.org") for n in range(1, 4)]


GOOD_AND_BAD = (
    "email,citation_en,citation_ur\n"
    "t1@example.org,Reading corners,مطالعے کے گوشے\n"
    "not-an-address,,\n"
    ",Missing address,\n"
    "T1@example.org,Twice,\n"
    "nobody@example.org,,\n"
    "t2@example.org," + "x" * 1001 + ",\n"
    "t3@example.org,,,extra\n"
)


def test_bad_rows_are_named_by_line_and_change_nothing(award, manager, teachers):
    outcome = bulk.issue_award_from_file(award, csv_file(GOOD_AND_BAD), actor=manager)
    assert outcome.issued == 1
    assert [(p.line, p.code) for p in outcome.problems] == [
        (3, "email_invalid"),
        (4, "email_missing"),
        (5, "email_repeated"),
        (6, "no_account"),
        (7, "citation_too_long"),
        (8, "columns"),
    ]
    assert outcome.problems[2].message == (
        "T1@example.org is listed twice (first on line 2)."
    )
    assert list(IssuedAward.objects.values_list("user__email", flat=True)) == [
        "t1@example.org"
    ]


def test_a_rerun_issues_nothing_twice(award, manager, teachers):
    text = "email\nt1@example.org\nt2@example.org\n"
    first = bulk.issue_award_from_file(award, csv_file(text), actor=manager)
    again = bulk.issue_award_from_file(award, csv_file(text), actor=manager)
    assert (first.issued, first.already) == (2, 0)
    assert (again.issued, again.already) == (0, 2)
    assert IssuedAward.objects.count() == 2


def test_problems_read_in_urdu_for_an_urdu_reader(award, manager, teachers):
    outcome = bulk.issue_award_from_file(
        award, csv_file("email\nnobody@example.org\n"), actor=manager
    )
    with translation.override("ur"):
        message = outcome.problems[0].message
    assert "nobody@example.org" in message
    assert "No teacher" not in message


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "The file is empty."),
        (b"name,citation_en\nAyesha,x\n", "among them"),
        ("email\nt1@example.org\n".encode("utf-16"), "UTF-8"),
        (b"email\n" + b"a@example.org\n" * 501, "more than 500 rows"),
        (b"email\n" + b"x" * (300 * 1024), "larger than 256 KB"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole(
    award, manager, teachers, data, says
):
    with pytest.raises(bulk.AwardFileError) as refused:
        bulk.issue_award_from_file(award, data, actor=manager)
    assert says in str(refused.value.message)
    assert not IssuedAward.objects.exists()


def test_only_a_manager_may_issue_from_a_file(award, teachers, make_learner):
    with pytest.raises(bulk.AwardFileError):
        bulk.issue_award_from_file(
            award, csv_file("email\nt1@example.org\n"), actor=make_learner()
        )
    assert not IssuedAward.objects.exists()


def test_the_admin_upload_shows_each_rows_problem(award, manager, teachers, client):
    client.force_login(manager)
    response = client.post(
        "/admin/issued-awards/issue/file/",
        {
            "award": award.pk,
            "file": SimpleUploadedFile("winners.csv", csv_file(GOOD_AND_BAD)),
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "No teacher has an account with the address nobody@example.org." in body
    assert "Issued: 1." in body
    assert IssuedAward.objects.count() == 1


def test_the_admin_upload_is_rate_limited(award, manager, teachers, client, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "award_upload": {"learner": (1, 3600), "address": None},
    }
    client.force_login(manager)

    def upload(text):
        return client.post(
            "/admin/issued-awards/issue/file/",
            {"award": award.pk, "file": SimpleUploadedFile("w.csv", csv_file(text))},
        )

    assert upload("email\nt1@example.org\n").status_code == 200
    assert upload("email\nt2@example.org\n").status_code == 429
    assert IssuedAward.objects.count() == 1
