"""Question banks in and out: GIFT, Moodle XML and CSV, all or nothing."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from courses.models import AnswerOption, Question, QuestionCategory
from courses.quiz_formats import (
    CSV_TEMPLATE,
    ParsedChoice,
    ParsedQuestion,
    QuestionFormatError,
    QuestionKind,
    parse_gift,
    parse_moodle_xml,
)
from courses.quizzes import authoring, banks

from .conftest import mixed_gift, mixed_xml

pytestmark = pytest.mark.django_db

# The mixed banks hold the five kinds every format carries; matching questions
# and descriptions are covered in test_quiz_matching and test_quiz_descriptions.
NOT_IN_MIXED = {
    Question.Kind.MATCHING,
    Question.Kind.DESCRIPTION,
    Question.Kind.ESSAY,  # tested in test_quiz_essays
    Question.Kind.CLOZE,  # tested in test_quiz_cloze
}


def run_import(path, course, *extra):
    from io import StringIO

    out = StringIO()
    call_command(
        "import_questions", str(path), "--course", course.slug, *extra, stdout=out
    )
    return out.getvalue()


def test_a_gift_file_of_24_mixed_questions_imports_completely(tmp_path, make_course):
    course = make_course(lessons=1)
    path = tmp_path / "bank.gift"
    path.write_text(mixed_gift(24), encoding="utf-8")
    assert run_import(path, course).startswith("24 questions imported")
    assert Question.objects.count() == 24
    kinds = set(Question.objects.values_list("kind", flat=True))
    assert kinds == set(Question.Kind.values) - NOT_IN_MIXED
    assert QuestionCategory.objects.get().name == "Mixed"
    numeric = Question.objects.get(name="Numeric 3")
    option = numeric.options.get()
    assert option.value == Decimal("4242.3") and option.tolerance == Decimal("0.05")
    assert numeric.options.get().feedback == "SECRET number 3"


def test_a_moodle_xml_file_of_24_mixed_questions_imports_completely(
    tmp_path, make_course
):
    course = make_course(lessons=1)
    path = tmp_path / "bank.xml"
    path.write_bytes(mixed_xml(24))
    assert run_import(path, course).startswith("24 questions imported")
    assert Question.objects.count() == 24
    assert (
        set(Question.objects.values_list("kind", flat=True))
        == set(Question.Kind.values) - NOT_IN_MIXED
    )
    single = Question.objects.get(name="XML 5")
    assert single.points == 2 and single.feedback_correct == "SECRET well done 5"
    assert single.display_text == "Choose (5)"


def test_a_csv_template_imports(tmp_path, make_course):
    course = make_course(lessons=1)
    path = tmp_path / "bank.csv"
    path.write_text(CSV_TEMPLATE, encoding="utf-8")
    assert run_import(path, course, "--category", "From sheet").startswith(
        "5 questions imported"
    )
    assert set(Question.objects.values_list("category__name", flat=True)) == {
        "From sheet"
    }


def test_a_broken_gift_file_imports_nothing_and_names_the_line(tmp_path, make_course):
    course = make_course(lessons=1)
    text = mixed_gift(24).replace(
        "::Single 10::Pick the right one (10). {=Right 10",
        "::Single 10::Pick the right one (10). {Right 10",
    )
    line = next(
        number
        for number, content in enumerate(text.split("\n"), start=1)
        if "Single 10" in content
    )
    path = tmp_path / "broken.gift"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as error:
        run_import(path, course)
    assert f"line {line}" in str(error.value)
    assert "Nothing was imported" in str(error.value)
    assert not Question.objects.exists() and not AnswerOption.objects.exists()
    assert not QuestionCategory.objects.exists()


def test_a_broken_xml_file_imports_nothing_and_names_the_question(
    tmp_path, make_course
):
    course = make_course(lessons=1)
    data = mixed_xml(24).replace(
        b'<answer fraction="100"><text>4242</text>',
        b'<answer fraction="100"><text>forty-two</text>',
        1,
    )
    path = tmp_path / "broken.xml"
    path.write_bytes(data)
    with pytest.raises(CommandError) as error:
        run_import(path, course)
    assert "XML 3" in str(error.value) and "forty-two" in str(error.value)
    assert not Question.objects.exists()


def test_a_fault_found_while_saving_rolls_back_the_whole_file(make_course):
    course = make_course(lessons=1)
    good = parse_gift(mixed_gift(5))
    bad = ParsedQuestion(
        kind=QuestionKind.SINGLE_CHOICE,
        name="Too generous",
        text="?",
        choices=[ParsedChoice("a", Decimal(2)), ParsedChoice("b", Decimal(1))],
    )
    with pytest.raises(QuestionFormatError, match="Too generous"):
        authoring.import_questions(course, [*good, bad])
    assert not Question.objects.exists() and not QuestionCategory.objects.exists()


def test_unknown_extension_and_unknown_course_are_refused(tmp_path, make_course):
    course = make_course(lessons=1)
    path = tmp_path / "bank.docx"
    path.write_bytes(b"x")
    with pytest.raises(CommandError, match="not a question file"):
        run_import(path, course)
    with pytest.raises(CommandError, match="No course"):
        call_command("import_questions", str(path), "--course", "nope")


@pytest.mark.parametrize("file_format", ["gift", "xml"])
def test_a_bank_exports_and_reads_back(make_course, make_bank, file_format):
    course = make_course(lessons=1)
    category = make_bank(course, mixed_gift(24))
    data = banks.export_bank(banks.bank_questions(category), file_format)
    parsed = (
        parse_gift(data.decode("utf-8"))
        if file_format == "gift"
        else parse_moodle_xml(data)
    )
    assert len(parsed) == 24
    original = parse_gift(mixed_gift(24))
    assert [q.name for q in parsed] == [q.name for q in original]
    assert [q.kind for q in parsed] == [q.kind for q in original]
    assert [q.choices for q in parsed] == [q.choices for q in original]
    assert [q.text_answers for q in parsed] == [q.text_answers for q in original]


def test_admin_upload_imports_and_a_bad_file_changes_nothing(
    client, make_course, django_user_model
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    course = make_course(lessons=1)
    admin = django_user_model.objects.create_superuser("boss@example.org", "pw-long-42")
    client.force_login(admin)
    url = reverse("courses_quiz_import")
    assert client.get(url).status_code == 200
    bad = mixed_gift(24).replace("{T#SECRET tf 7}", "{T#SECRET tf 7")
    response = client.post(
        url,
        {
            "course": course.pk,
            "language": "en",
            "file": SimpleUploadedFile("bank.gift", bad.encode()),
        },
    )
    assert response.status_code == 200
    assert "Nothing was imported" in response.content.decode()
    assert not Question.objects.exists()
    response = client.post(
        url,
        {
            "course": course.pk,
            "category": "Uploaded",
            "language": "en",
            "file": SimpleUploadedFile("bank.xml", mixed_xml(24)),
        },
    )
    assert "24 questions will be imported" in response.content.decode()
    assert not Question.objects.exists() and not QuestionCategory.objects.exists()
    response = client.post(
        reverse("courses_quiz_import_confirm", args=[response.context["held"].pk]),
        follow=True,
    )
    assert "24 questions imported" in response.content.decode()
    assert Question.objects.filter(category__name="Uploaded").count() == 24
    export = client.get(
        reverse(
            "courses_quiz_export",
            args=[QuestionCategory.objects.get(name="Uploaded").pk, "xml"],
        )
    )
    assert export.status_code == 200 and b"XML 24" in export.content


def test_a_trainer_with_the_urdu_admin_reads_the_fault_in_urdu(
    client, make_course, django_user_model
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.users.models import UserProfile

    course = make_course(lessons=1)
    trainer = django_user_model.objects.create_superuser(
        "ustad@example.org", "pw-long-42"
    )
    profile = UserProfile.get_for_user(trainer)
    profile.preferred_language = "ur"
    profile.save()
    client.force_login(trainer)
    bad = mixed_gift(24).replace("{T#SECRET tf 7}", "{T#SECRET tf 7")
    response = client.post(
        reverse("courses_quiz_import"),
        {
            "course": course.pk,
            "language": "en",
            "file": SimpleUploadedFile("bank.gift", bad.encode()),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "کچھ بھی امپورٹ نہیں ہوا۔ سطر " in page
    assert "بند نہیں کیا گیا" in page
    assert "Nothing was imported" not in page and "is not closed" not in page
    assert not Question.objects.exists()


def test_export_command_writes_a_file_that_imports_back(tmp_path, make_course):
    course = make_course(lessons=1)
    source = tmp_path / "in.xml"
    source.write_bytes(mixed_xml(24))
    run_import(source, course)
    out = tmp_path / "out.xml"
    from io import StringIO

    stdout = StringIO()
    call_command("export_questions", str(out), "--course", course.slug, stdout=stdout)
    assert stdout.getvalue().startswith("24 questions written")
    other = make_course(lessons=1)
    assert run_import(out, other).startswith("24 questions imported")
    assert Question.objects.filter(category__course=other).count() == 24
