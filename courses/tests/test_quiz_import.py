"""Real Moodle banks: Moodle's number precision, one import service, the preview."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from courses import services
from courses.models import (
    AnswerOption,
    HeldQuestionImport,
    Question,
    QuestionCategory,
)
from courses.quiz_formats import QuestionFormatError, parse_moodle_xml
from courses.quizzes import authoring, bank_import, banks
from courses.quizzes import services as quiz_services

from .moodle_files import (
    MOODLE_GIFT,
    MOODLE_GIFT_SUPPORTED,
    SUPPORTED_XML,
    UNSUPPORTED_XML,
    moodle_xml_bank,
)

pytestmark = pytest.mark.django_db


def test_moodle_numbers_with_seven_decimals_are_stored_at_the_model_precision(
    make_course,
):
    course = make_course(lessons=1)
    saved = authoring.import_questions(
        course, parse_moodle_xml(moodle_xml_bank(supported_only=True))
    )
    assert len(saved) == SUPPORTED_XML
    single = Question.objects.get(name="Primes single")
    assert single.points == Decimal("1.00")
    fractions = sorted(
        AnswerOption.objects.filter(question__name="Primes multiple").values_list(
            "fraction", flat=True
        )
    )
    assert fractions == [Decimal(-1)] + [Decimal("0.3333333")] * 3
    pi = AnswerOption.objects.get(question__name="Pi")
    assert pi.value == Decimal("3.14") and pi.tolerance == Decimal("0.005")


def test_a_mark_too_large_names_the_field_and_question_and_saves_nothing(
    make_course,
):
    course = make_course(lessons=1)
    parsed = parse_moodle_xml(
        moodle_xml_bank(supported_only=True, grade="12345678.0000000")
    )
    with pytest.raises(QuestionFormatError) as error:
        authoring.import_questions(course, parsed)
    assert str(error.value) == (
        'question 1, "Primes single": points 12345678 is too large (at most 9999.99)'
    )
    with translation.override("ur"):
        urdu = str(error.value)
    assert "Primes single" in urdu and "پوائنٹس" in urdu and "points" not in urdu
    assert not Question.objects.exists() and not QuestionCategory.objects.exists()


def test_a_model_rule_broken_after_rounding_names_the_field(make_course):
    course = make_course(lessons=1)
    parsed = parse_moodle_xml(moodle_xml_bank(supported_only=True, grade="0.001"))
    with pytest.raises(QuestionFormatError, match=r'"Primes single": points: '):
        authoring.import_questions(course, parsed)
    assert not Question.objects.exists()


# One service for the command and the admin ------------------------------------


def run_import(path, course, *extra):
    out = StringIO()
    call_command(
        "import_questions", str(path), "--course", course.slug, *extra, stdout=out
    )
    return out.getvalue()


def test_unsupported_questions_refuse_the_file_unless_skipped(tmp_path, make_course):
    course = make_course(lessons=1)
    path = tmp_path / "moodle.xml"
    path.write_bytes(moodle_xml_bank())
    with pytest.raises(CommandError) as error:
        run_import(path, course)
    assert 'question 11, "Area formula"' in str(error.value)
    assert '"calculated" is not supported' in str(error.value)
    assert "--skip-unsupported" in str(error.value)
    assert not Question.objects.exists() and not QuestionCategory.objects.exists()

    output = run_import(path, course, "--skip-unsupported")
    assert output.endswith(f"{SUPPORTED_XML} questions imported into {course.title}.\n")
    skipped = [line for line in output.splitlines() if line.startswith("Skipped")]
    assert len(skipped) == sum(UNSUPPORTED_XML.values())
    assert 'question 11, "Area formula": the question type "calculated"' in output
    assert Question.objects.get(name="Karachi cloze").points == 19
    assert Question.objects.get(name="Dot picture").images.count() == 1
    assert Question.objects.count() == SUPPORTED_XML


def test_moodles_own_gift_shapes_import_every_question_the_essay_too(
    tmp_path, make_course
):
    course = make_course(lessons=1)
    path = tmp_path / "questions.gift.txt"
    path.write_text(MOODLE_GIFT, encoding="utf-8")
    output = run_import(path, course)
    assert output.endswith(
        f"{MOODLE_GIFT_SUPPORTED} questions imported into {course.title}.\n"
    )
    assert "Skipped" not in output
    assert Question.objects.count() == MOODLE_GIFT_SUPPORTED
    kinds = sorted(Question.objects.values_list("kind", flat=True))
    assert kinds == sorted(
        ["single_choice", "multiple_choice", "numeric", "short_text", "matching"]
        + ["true_false"] * 3
        + ["essay"]
    )


def test_a_failed_import_leaves_no_new_category_behind(tmp_path, make_course):
    course = make_course(lessons=1)
    path = tmp_path / "big.xml"
    path.write_bytes(moodle_xml_bank(supported_only=True, grade="12345678"))
    with pytest.raises(CommandError, match="points 12345678 is too large"):
        run_import(path, course, "--category", "Fresh")
    assert not QuestionCategory.objects.exists()


def test_the_service_reports_what_it_skipped(make_course):
    course = make_course(lessons=1)
    result = bank_import.import_bank(
        course, "bank.xml", moodle_xml_bank(), skip_unsupported=True
    )
    assert [q.name for q in result.saved] == list(
        Question.objects.order_by("pk").values_list("name", flat=True)
    )
    assert [s.kind for s in result.skipped] == ["calculated"]
    assert dict(result.kinds_found())["Single choice"] == 3


# The admin: preview, then confirm ----------------------------------------------


def upload(client, data, name="moodle.xml", **fields):
    return client.post(
        reverse("courses_quiz_import"),
        {"language": "en", "file": SimpleUploadedFile(name, data), **fields},
    )


def test_the_admin_previews_what_the_file_holds_and_writes_nothing(
    client, make_course, django_user_model
):
    course = make_course(lessons=1)
    admin = django_user_model.objects.create_superuser("boss@example.org", "pw-long-42")
    client.force_login(admin)
    response = upload(client, moodle_xml_bank(), course=course.pk)
    assert response.status_code == 200
    page = response.content.decode()
    assert not Question.objects.exists() and not QuestionCategory.objects.exists()
    rows = dict(response.context["preview"].kinds_found())
    assert rows == {
        "Single choice": 3,
        "Multiple choice": 1,
        "True or false": 1,
        "Short text": 1,
        "Number": 1,
        "Essay": 1,
        "Matching": 1,
        "Description": 1,
        "Embedded answers (cloze)": 1,
        "Calculated": 1,
    }
    assert "1 question cannot be imported" in page
    assert "Area formula" in page and "Dot picture" in page  # skipped, imported
    assert "Karachi is in [1] province." not in page  # the preview names only
    assert f"{SUPPORTED_XML} questions will be imported" in page
    assert f"Import {SUPPORTED_XML} questions and skip the rest" in page
    held = HeldQuestionImport.objects.get()
    assert bytes(held.data) == moodle_xml_bank() and held.uploaded_by == admin

    confirm = reverse("courses_quiz_import_confirm", args=[held.pk])
    assert client.get(confirm).status_code == 405
    response = client.post(confirm, follow=True)
    assert f"{SUPPORTED_XML} questions imported" in response.content.decode()
    assert Question.objects.count() == SUPPORTED_XML
    assert not HeldQuestionImport.objects.exists()
    response = client.post(confirm, follow=True)
    assert "has expired or was imported" in response.content.decode()
    assert Question.objects.count() == SUPPORTED_XML


def test_only_the_uploader_can_confirm_and_only_within_the_hour(
    client, make_course, django_user_model
):
    course = make_course(lessons=1)
    first = django_user_model.objects.create_superuser("one@example.org", "pw-long-42")
    other = django_user_model.objects.create_superuser("two@example.org", "pw-long-42")
    held = bank_import.hold_upload(
        first, course, "moodle.xml", moodle_xml_bank(), language="en"
    )
    client.force_login(other)
    confirm = reverse("courses_quiz_import_confirm", args=[held.pk])
    assert "has expired" in client.post(confirm, follow=True).content.decode()
    client.force_login(first)
    HeldQuestionImport.objects.update(
        uploaded_at=timezone.now() - bank_import.HELD_FOR - timedelta(minutes=1)
    )
    assert "has expired" in client.post(confirm, follow=True).content.decode()
    assert not Question.objects.exists()


def test_a_fault_in_the_file_is_shown_before_any_preview(
    client, make_course, django_user_model
):
    course = make_course(lessons=1)
    admin = django_user_model.objects.create_superuser("boss@example.org", "pw-long-42")
    client.force_login(admin)
    broken = MOODLE_GIFT.replace("=yellow # right", "=yellow { # right")
    response = upload(client, broken.encode(), "questions.gift", course=course.pk)
    page = response.content.decode()
    assert "Nothing was imported. line 14, question 3, &quot;Q2&quot;" in page
    assert not HeldQuestionImport.objects.exists() and not Question.objects.exists()


def test_a_trainer_with_the_urdu_admin_reads_the_preview_in_urdu(
    client, make_course, django_user_model
):
    from wagtail.users.models import UserProfile

    course = make_course(lessons=1)
    trainer = django_user_model.objects.create_superuser(
        "ustad@example.org", "pw-long-42"
    )
    profile = UserProfile.get_for_user(trainer)
    profile.preferred_language = "ur"
    profile.save()
    client.force_login(trainer)
    with_wildcard = MOODLE_GIFT + "\n::Star:: Any word?{=teach*}\n"
    response = upload(
        client, with_wildcard.encode(), "questions.gift", course=course.pk
    )
    page = response.content.decode()
    assert "1 سوال امپورٹ نہیں ہو سکتا" in page
    assert "9 سوالات امپورٹ کریں اور باقی چھوڑ دیں" in page
    assert "<td>مضمون</td>" in page and "<td>جوڑ ملائیں</td>" in page
    assert "میں وائلڈ کارڈ * استعمال ہوا ہے" in page
    assert "cannot be imported" not in page and "not supported" not in page


# Nested categories and their descriptions ----------------------------------------


def test_moodle_category_paths_become_nested_categories_with_descriptions(
    make_course,
):
    course = make_course(lessons=1)
    bank_import.import_bank(
        course, "moodle.xml", moodle_xml_bank(), skip_unsupported=True
    )
    unit = QuestionCategory.objects.get(name="Unit 1")
    week = QuestionCategory.objects.get(name="Unit 1/Week 2")
    assert unit.parent is None and week.parent == unit
    assert (unit.description, week.description) == (
        "<p>The first unit.</p>",
        "Second week's questions",
    )
    assert set(unit.questions.values_list("name", flat=True)) == {
        "Primes single",
        "Primes multiple",
        "Indus",
    }
    assert set(week.questions.values_list("name", flat=True)) == {
        "Capital",
        "Pi",
        "Primes again",
        "Cities",
        "Case study",
        "My classroom",
        "Karachi cloze",
        "Dot picture",
    }


def test_gift_category_paths_nest_and_slashes_inside_names_are_kept(make_course):
    course = make_course(lessons=1)
    gift = (
        "$CATEGORY: $course$/top/Unit 1/Week 2\n\n::A:: Sky is blue {T}\n\n"
        "$CATEGORY: $course$/top/Unit 1/Pairs//Groups\n\n::B:: Grass is red {F}\n"
    )
    bank_import.import_bank(course, "bank.gift", gift.encode())
    names = dict(QuestionCategory.objects.values_list("name", "parent__name"))
    assert names == {
        "Unit 1": None,
        "Unit 1/Week 2": "Unit 1",
        "Unit 1/Pairs//Groups": "Unit 1",
    }


def test_a_category_chosen_on_import_may_be_a_path(tmp_path, make_course):
    course = make_course(lessons=1)
    path = tmp_path / "moodle.xml"
    path.write_bytes(moodle_xml_bank(supported_only=True))
    run_import(path, course, "--category", "Term 2/Revision")
    revision = QuestionCategory.objects.get(name="Term 2/Revision")
    assert revision.parent.name == "Term 2"
    assert revision.questions.count() == SUPPORTED_XML


def test_exporting_a_parent_keeps_subcategories_and_descriptions(make_course):
    course, other = make_course(lessons=1), make_course(lessons=1)
    bank_import.import_bank(
        course, "moodle.xml", moodle_xml_bank(), skip_unsupported=True
    )
    unit = QuestionCategory.objects.get(course=course, name="Unit 1")
    data = banks.export_bank(banks.bank_questions(unit), "xml")
    assert b"<text>$course$/top/Unit 1/Week 2</text>" in data
    bank_import.import_bank(other, "again.xml", data)
    copied = {
        c.name: (c.parent.name if c.parent else None, c.description)
        for c in QuestionCategory.objects.filter(course=other)
    }
    assert copied == {
        "Unit 1": (None, "<p>The first unit.</p>"),
        "Unit 1/Week 2": ("Unit 1", "Second week's questions"),
    }
    assert Question.objects.filter(category__course=other).count() == SUPPORTED_XML


def test_a_subcategory_is_named_under_its_parent_in_the_same_bank(make_course):
    course, other = make_course(lessons=1), make_course(lessons=1)
    unit = authoring.category_for(course, "Unit 1", "")
    misnamed = QuestionCategory(course=course, name="Week 2", parent=unit)
    with pytest.raises(ValidationError, match="starts with its parent's name"):
        misnamed.full_clean()
    elsewhere = QuestionCategory(course=other, name="Unit 1/Week 2", parent=unit)
    with pytest.raises(ValidationError, match="same bank"):
        elsewhere.full_clean()
    QuestionCategory(course=course, name="Unit 1/Week 2", parent=unit).full_clean()


def test_a_draw_rule_on_a_parent_draws_only_the_parents_own_questions(
    make_course, make_learner
):
    learner, course = make_learner(), make_course(lessons=1)
    services.enrol(learner, course)
    bank_import.import_bank(
        course, "moodle.xml", moodle_xml_bank(), skip_unsupported=True
    )
    unit = QuestionCategory.objects.get(name="Unit 1")
    quiz = authoring.create_quiz(course, "Unit test", [(unit, 10)])
    attempt = quiz_services.start_attempt(learner, quiz, "en")
    drawn = set(
        Question.objects.filter(
            pk__in=[item["id"] for item in attempt.questions]
        ).values_list("name", flat=True)
    )
    assert drawn == {"Primes single", "Primes multiple", "Indus"}


def test_a_trainer_can_choose_a_parent_only_from_their_own_programmes(
    client, make_course, make_learner, home_page
):
    from django.contrib.auth.models import Group

    from courses import authoring as page_authoring
    from courses.models import ProgrammePage

    course = make_course(lessons=1)
    mine = authoring.category_for(course, "Unit 1/Week 2", "")
    other_programme = page_authoring.create_programme(
        home_page, "Other", "other", audience=ProgrammePage.Audience.LECTURERS
    )
    others = Group.objects.create(name="Other trainers")
    page_authoring.grant_programme_to_group(other_programme, others)
    outsider = make_learner()
    outsider.groups.add(others)
    client.force_login(outsider)
    form = client.get(reverse("wagtailsnippets_courses_questioncategory:add"))
    assert form.status_code == 200
    parents = form.context["form"].fields["parent"].queryset
    assert mine not in parents and mine.parent not in parents


def test_the_export_command_takes_a_category_with_its_subcategories(
    tmp_path, make_course
):
    course = make_course(lessons=1)
    bank_import.import_bank(course, "moodle.xml", moodle_xml_bank(supported_only=True))
    Question.objects.filter(name="Dot picture").delete()  # GIFT holds no image
    out = tmp_path / "unit.gift"
    stdout = StringIO()
    call_command(
        "export_questions",
        str(out),
        "--course",
        course.slug,
        "--category",
        "Unit 1",
        stdout=stdout,
    )
    assert stdout.getvalue().startswith(f"{SUPPORTED_XML - 1} questions written")
    text = out.read_text(encoding="utf-8")
    assert "$CATEGORY: $course$/top/Unit 1/Week 2" in text
