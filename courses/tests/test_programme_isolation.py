"""Programme isolation: a trainer of one programme, using the other programme's
ids in every admin form, chooser, report, export and command they can reach,
is refused, and nothing changes. Honest use of their own programme still works."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from content.models import H5PActivity
from content.tests import h5p_builders
from courses import services
from courses.models import (
    Question,
    QuestionCategory,
    Quiz,
    QuizAttempt,
    QuizDrawRule,
)
from courses.packages import export_course
from courses.quizzes import authoring

from .conftest import single_choice_bank

pytestmark = pytest.mark.django_db

SECRET = "LECTURER-KEY"


def quiz_form(course, categories, title="Smuggled quiz"):
    data = {
        "title": title,
        "course": course.pk,
        "instructions": "",
        "pass_mark": "0",
        "max_attempts": "",
        "time_limit_minutes": "",
        "show_answers": Quiz.ShowAnswers.AFTER_EACH_ATTEMPT,
        "required": "on",
        "draw_rules-TOTAL_FORMS": str(len(categories)),
        "draw_rules-INITIAL_FORMS": "0",
        "draw_rules-MIN_NUM_FORMS": "1",
        "draw_rules-MAX_NUM_FORMS": "1000",
    }
    for index, category in enumerate(categories):
        data |= {
            f"draw_rules-{index}-category": category.pk,
            f"draw_rules-{index}-count": "1",
            f"draw_rules-{index}-ORDER": str(index + 1),
            f"draw_rules-{index}-DELETE": "",
            f"draw_rules-{index}-id": "",
        }
    return data


def question_form(category, name="Smuggled question"):
    return {
        "category": category.pk,
        "kind": "short_text",
        "name": name,
        "text": "Planted?",
        "text_format": "plain",
        "points": "1",
        "penalty": "0.3333333",
        "shuffle_answers": "on",
        "partial_credit": "",
        "feedback_correct": "",
        "feedback_partial": "",
        "feedback_incorrect": "",
        "general_feedback": "",
        "options-TOTAL_FORMS": "1",
        "options-INITIAL_FORMS": "0",
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
        "options-0-text": "yes",
        "options-0-value": "",
        "options-0-tolerance": "0",
        "options-0-fraction": "1",
        "options-0-feedback": "",
        "options-0-ORDER": "1",
        "options-0-DELETE": "",
        "options-0-id": "",
    }


def refused(response) -> bool:
    """Wagtail answers a refusal with 403, 404, or a redirect to the dashboard."""
    return response.status_code in (302, 403, 404)


# Break 1: another programme's answer keys ------------------------------------


def test_a_learner_never_sees_another_programmes_answers_through_a_quiz(
    client, rivals, make_learner
):
    # A rule on the lecturers' bank, as the old admin saved it without a check.
    quiz = authoring.create_quiz(
        rivals.nttp_course,
        "NTTP check",
        [(rivals.nttp_category, 1)],
        pass_mark=0,
        show_answers=Quiz.ShowAnswers.AFTER_EACH_ATTEMPT,
    )
    QuizDrawRule.objects.create(
        quiz=quiz, category=rivals.lecturer_category, count=1, sort_order=1
    )
    QuizDrawRule.objects.create(
        quiz=quiz, category=rivals.shared_category, count=1, sort_order=2
    )
    learner = make_learner()
    services.enrol(learner, rivals.nttp_course)
    client.force_login(learner)

    client.post(reverse("courses:quiz_start", args=[quiz.pk]))
    attempt = QuizAttempt.objects.get(user=learner)
    submitted = client.post(
        reverse("courses:quiz_submit", args=[attempt.pk]), follow=True
    )

    lecturer_questions = set(
        Question.objects.filter(
            category__in=[rivals.lecturer_category, rivals.shared_category]
        ).values_list("pk", flat=True)
    )
    assert len(attempt.question_ids) == 1
    assert not lecturer_questions & set(attempt.question_ids)
    page = submitted.content.decode()
    assert submitted.status_code == 200
    assert "Teach1" in page or "Teach2" in page or "Teach3" in page
    assert SECRET not in page
    assert "Which rubric" not in page


def test_the_quiz_service_refuses_a_draw_rule_on_another_programmes_bank(rivals):
    from django.core.exceptions import ValidationError

    for category in (rivals.lecturer_category, rivals.shared_category):
        with pytest.raises(ValidationError):
            authoring.create_quiz(rivals.nttp_course, "Taken", [(category, 1)])
    assert not Quiz.objects.filter(title="Taken").exists()


# Quizzes, categories and questions in the admin ----------------------------


def test_the_quiz_form_refuses_another_programmes_category_course_and_quiz(
    client, rivals
):
    client.force_login(rivals.nttp_trainer)
    add = reverse("wagtailsnippets_courses_quiz:add")
    before = Quiz.objects.count()
    for categories in (
        [rivals.lecturer_category],
        [rivals.shared_category],
        [rivals.nttp_category, rivals.lecturer_category],
    ):
        response = client.post(add, quiz_form(rivals.nttp_course, categories))
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
    response = client.post(
        add, quiz_form(rivals.lecturer_course, [rivals.nttp_category])
    )
    assert response.status_code == 200
    assert Quiz.objects.count() == before
    assert not QuizDrawRule.objects.filter(
        category__in=[rivals.lecturer_category, rivals.shared_category],
        quiz__course=rivals.nttp_course,
    ).exists()

    quiz = rivals.lecturer_quiz
    edit = reverse("wagtailsnippets_courses_quiz:edit", args=[quiz.pk])
    assert refused(client.get(edit))
    assert refused(
        client.post(edit, quiz_form(rivals.lecturer_course, [rivals.nttp_category]))
    )
    for name in ("delete", "copy", "history", "usage"):
        url = reverse(f"wagtailsnippets_courses_quiz:{name}", args=[quiz.pk])
        assert refused(client.get(url)), name
    assert refused(
        client.post(reverse("wagtailsnippets_courses_quiz:delete", args=[quiz.pk]))
    )
    quiz.refresh_from_db()
    assert quiz.title == "PD check"
    assert list(quiz.draw_rules.values_list("category", flat=True)) == [
        rivals.lecturer_category.pk
    ]


def test_the_draw_rule_check_holds_for_administrators_too(
    client, rivals, django_user_model
):
    """The data rule is not only the picker's: a superuser cannot point an NTTP
    quiz at the lecturers' bank either."""
    admin = django_user_model.objects.create_superuser("boss@example.org", "pw-4242")
    client.force_login(admin)
    response = client.post(
        reverse("wagtailsnippets_courses_quiz:add"),
        quiz_form(rivals.nttp_course, [rivals.lecturer_category]),
    )
    assert response.status_code == 200
    assert "draws questions only from its course" in response.content.decode()
    assert not Quiz.objects.filter(title="Smuggled quiz").exists()


def test_a_category_cannot_be_made_under_another_programme_or_its_course(
    client, rivals
):
    client.force_login(rivals.nttp_trainer)
    add = reverse("wagtailsnippets_courses_questioncategory:add")
    before = QuestionCategory.objects.count()
    for owner in (
        {"programme": rivals.lecturers.pk, "course": ""},
        {"course": rivals.lecturer_course.pk, "programme": ""},
    ):
        response = client.post(add, {"name": "Planted", **owner})
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
    assert QuestionCategory.objects.count() == before

    edit = reverse(
        "wagtailsnippets_courses_questioncategory:edit",
        args=[rivals.lecturer_category.pk],
    )
    assert refused(client.post(edit, {"name": "Renamed", "course": ""}))
    rivals.lecturer_category.refresh_from_db()
    assert rivals.lecturer_category.name == "PD bank"


def test_a_question_cannot_be_added_to_another_programmes_category(client, rivals):
    client.force_login(rivals.nttp_trainer)
    add = reverse("wagtailsnippets_courses_question:add") + "?locale=en"
    before = Question.objects.count()
    for category in (rivals.lecturer_category, rivals.shared_category):
        response = client.post(add, question_form(category))
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
    assert Question.objects.count() == before
    secret = Question.objects.filter(category=rivals.lecturer_category).first()
    edit = reverse("wagtailsnippets_courses_question:edit", args=[secret.pk])
    assert refused(client.get(edit))
    assert refused(client.post(edit, question_form(rivals.nttp_category, "Moved")))
    secret.refresh_from_db()
    assert secret.category == rivals.lecturer_category


def test_the_bank_choosers_and_listings_show_only_the_trainers_programme(
    client, rivals
):
    client.force_login(rivals.nttp_trainer)
    chooser = "wagtailsnippetchoosers_courses_questioncategory"
    listing = client.get(reverse(f"{chooser}:choose")).content.decode()
    assert "NTTP bank" in listing
    assert "PD bank" not in listing and "PD shared bank" not in listing
    results = client.get(reverse(f"{chooser}:choose_results"), {"q": "bank"})
    assert "PD bank" not in results.content.decode()
    chosen = client.get(reverse(f"{chooser}:chosen", args=[rivals.shared_category.pk]))
    assert chosen.status_code == 404
    for model, hidden in (
        ("questioncategory", "PD shared bank"),
        ("question", "Secret"),
        ("quiz", "PD check"),
    ):
        page = client.get(reverse(f"wagtailsnippets_courses_{model}:list"))
        assert page.status_code == 200
        assert hidden not in page.content.decode(), model
    add_quiz = client.get(reverse("wagtailsnippets_courses_quiz:add"))
    assert "Lecturer PD course" not in add_quiz.content.decode()


def test_quiz_reports_and_bank_exports_of_another_programme_are_refused(client, rivals):
    client.force_login(rivals.nttp_trainer)
    quiz = rivals.lecturer_quiz
    for url in (
        reverse("courses_quiz_report", args=[quiz.pk]),
        reverse("courses_quiz_report_csv", args=[quiz.pk]),
        reverse("courses_quiz_export", args=[rivals.lecturer_category.pk, "gift"]),
        reverse("courses_quiz_export", args=[rivals.shared_category.pk, "xml"]),
    ):
        response = client.get(url)
        assert refused(response), url
        assert SECRET not in response.content.decode()


def test_the_question_import_form_refuses_another_programmes_course(client, rivals):
    client.force_login(rivals.nttp_trainer)
    before = Question.objects.count()
    response = client.post(
        reverse("courses_quiz_import"),
        {
            "course": rivals.lecturer_course.pk,
            "category": "",
            "language": "en",
            "file": SimpleUploadedFile("bank.gift", single_choice_bank(2).encode()),
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Question.objects.count() == before


# H5P activities -----------------------------------------------------------


def test_another_programmes_h5p_activity_cannot_be_listed_chosen_or_renamed(
    client, rivals
):
    client.force_login(rivals.nttp_trainer)
    activity = rivals.activity
    listing = client.get(reverse("wagtailsnippets_content_h5pactivity:list"))
    assert "NTTP activity" in listing.content.decode()
    assert "PD activity" not in listing.content.decode()
    chooser = "wagtailsnippetchoosers_content_h5pactivity"
    choose = client.get(reverse(f"{chooser}:choose")).content.decode()
    assert "NTTP activity" in choose and "PD activity" not in choose
    assert client.get(reverse(f"{chooser}:chosen", args=[activity.pk])).status_code == (
        404
    )
    edit = reverse("wagtailsnippets_content_h5pactivity:edit", args=[activity.pk])
    assert refused(client.get(edit))
    assert refused(client.post(edit, {"title": "Renamed by NTTP"}))
    delete = reverse("wagtailsnippets_content_h5pactivity:delete", args=[activity.pk])
    assert refused(client.post(delete))
    activity.refresh_from_db()
    assert activity.title == "PD activity"

    own = reverse(
        "wagtailsnippets_content_h5pactivity:edit", args=[rivals.nttp_activity.pk]
    )
    assert client.post(own, {"title": "Renamed by its trainer"}).status_code == 302
    rivals.nttp_activity.refresh_from_db()
    assert rivals.nttp_activity.title == "Renamed by its trainer"


def test_an_h5p_upload_goes_to_the_trainers_programme_and_no_other(client, rivals):
    client.force_login(rivals.nttp_trainer)
    before = H5PActivity.objects.count()
    package = h5p_builders.build_activity_package().getvalue()
    response = client.post(
        reverse("wagtailsnippets_content_h5pactivity:add"),
        {
            "programme": rivals.lecturers.pk,
            "package": SimpleUploadedFile("a.h5p", package),
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert H5PActivity.objects.count() == before

    response = client.post(
        reverse("wagtailsnippets_content_h5pactivity:add"),
        {"package": SimpleUploadedFile("a.h5p", package)},
    )
    assert response.status_code == 302
    assert H5PActivity.objects.latest("pk").programme_id == rivals.nttp.pk


# Images and documents ------------------------------------------------------


def test_image_and_document_choosers_list_only_the_programmes_files(client, rivals):
    client.force_login(rivals.nttp_trainer)
    images = client.get(reverse("wagtailimages_chooser:choose")).content.decode()
    assert "NTTP chart" in images and "PD chart" not in images
    documents = client.get(reverse("wagtaildocs_chooser:choose")).content.decode()
    assert "NTTP handbook" in documents and "PD handbook" not in documents
    for url in (
        reverse("wagtailimages:edit", args=[rivals.image.pk]),
        reverse("wagtaildocs:edit", args=[rivals.document.pk]),
    ):
        assert refused(client.post(url, {"title": "Renamed"})), url
    assert get_image_model().objects.get(pk=rivals.image.pk).title == "PD chart"
    assert get_document_model().objects.get(pk=rivals.document.pk).title == (
        "PD handbook"
    )


def test_an_uploaded_image_lands_in_the_trainers_programme_collection(client, rivals):
    from courses.authoring import programme_collection

    from .packages_builders import png_bytes

    client.force_login(rivals.nttp_trainer)
    add = client.get(reverse("wagtailimages:add"))
    assert add.status_code == 200
    collection = programme_collection(rivals.nttp)
    other = programme_collection(rivals.lecturers)
    # With one collection to add to, Wagtail's form has no collection field:
    # whatever collection id is posted, the image goes to the trainer's own.
    for title, target in (("Smuggled", other), ("Own", collection)):
        client.post(
            reverse("wagtailimages:add"),
            {
                "title": title,
                "collection": target.pk,
                "file": SimpleUploadedFile(f"{title}.png", png_bytes(), "image/png"),
            },
        )
        assert get_image_model().objects.get(title=title).collection == collection


# Course packages and commands -----------------------------------------------


def test_a_course_export_carries_no_other_programmes_bank_or_files(rivals):
    from courses import authoring as pages

    quiz = authoring.create_quiz(
        rivals.nttp_course, "NTTP check", [(rivals.nttp_category, 1)]
    )
    # Rows the old admin let through: a rule and a lesson naming the lecturers'.
    QuizDrawRule.objects.create(
        quiz=quiz, category=rivals.shared_category, count=1, sort_order=1
    )
    smuggled_quiz = authoring.create_quiz(
        rivals.nttp_course, "Only theirs", [(rivals.nttp_category, 1)]
    )
    QuizDrawRule.objects.filter(quiz=smuggled_quiz).update(
        category=rivals.lecturer_category
    )
    pages.create_lesson(
        rivals.nttp_course,
        "Borrowed",
        "borrowed",
        body=[
            ("image", {"image": rivals.image, "alt_text": "x", "caption": ""}),
            ("document", {"document": rivals.document, "description": "x"}),
            ("h5p", {"activity": rivals.activity, "requirement": "none"}),
            ("quiz", {"quiz": rivals.lecturer_quiz, "heading": "", "intro": ""}),
            ("h5p", {"activity": rivals.nttp_activity, "requirement": "none"}),
        ],
    )

    archive = zipfile.ZipFile(io.BytesIO(export_course(rivals.nttp_course)))
    manifest = archive.read("manifest.json").decode()
    data = json.loads(manifest)

    assert SECRET not in manifest and "Which rubric" not in manifest
    assert [c["name"] for c in data["question_categories"]] == ["NTTP bank"]
    assert [q["title"] for q in data["quizzes"]] == ["NTTP check"]
    assert [a["title"] for a in data["h5p_activities"]] == ["NTTP activity"]
    assert data["images"] == [] and data["documents"] == []


def test_the_package_import_form_refuses_another_programme(client, rivals):
    client.force_login(rivals.nttp_trainer)
    package = export_course(rivals.nttp_course)
    before = rivals.lecturers.get_children().count()
    response = client.post(
        reverse("courses_package_import"),
        {
            "programme": rivals.lecturers.pk,
            "file": SimpleUploadedFile("course.zip", package),
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert rivals.lecturers.get_children().count() == before


def test_the_import_commands_refuse_another_programme_for_a_trainer(rivals, tmp_path):
    bank = tmp_path / "bank.gift"
    bank.write_text(single_choice_bank(2))
    before = Question.objects.count()
    with pytest.raises(CommandError, match="may not edit"):
        call_command(
            "import_questions",
            str(bank),
            "--course",
            rivals.lecturer_course.slug,
            "--user",
            rivals.nttp_trainer.email,
        )
    assert Question.objects.count() == before
    call_command(
        "import_questions",
        str(bank),
        "--course",
        rivals.nttp_course.slug,
        "--user",
        rivals.nttp_trainer.email,
        stdout=io.StringIO(),
    )
    assert Question.objects.count() == before + 2

    package = tmp_path / "course.zip"
    package.write_bytes(export_course(rivals.nttp_course))
    children = rivals.lecturers.get_children().count()
    with pytest.raises(CommandError, match="may not add courses"):
        call_command(
            "import_course",
            str(package),
            "--programme",
            rivals.lecturers.slug,
            "--user",
            rivals.nttp_trainer.email,
        )
    assert rivals.lecturers.get_children().count() == children


def test_a_package_imported_into_a_programme_stays_in_that_programme(rivals):
    from courses.authoring import programme_collection
    from courses.packages import import_course_package

    from .packages_builders import build_bilingual_course

    course = build_bilingual_course(rivals.lecturers, rivals.lecturer_trainer)
    data = export_course(course)
    imported = import_course_package(io.BytesIO(data), rivals.nttp, rivals.nttp_trainer)
    collection = programme_collection(rivals.nttp)
    assert get_image_model().objects.filter(collection=collection).count() == 2
    assert get_document_model().objects.filter(collection=collection).count() == 2
    assert (
        H5PActivity.objects.filter(programme=rivals.nttp)
        .exclude(pk=rivals.nttp_activity.pk)
        .count()
        == 1
    )
    assert QuestionCategory.objects.filter(course=imported).exists()


def test_break_one_a_trainer_cannot_plant_another_programmes_answer_keys(
    client, home_page, make_learner
):
    """The reported attack, end to end, with nothing but the admin and the site:
    the NTTP trainer adds a quiz drawing on the lecturers' bank; a learner
    enrols, submits it empty and must not see the lecturers' right answers."""
    from django.contrib.auth.models import Group

    from courses import authoring as pages
    from courses.models import ProgrammePage
    from courses.quiz_formats import parse_gift

    trainers = {}
    courses = {}
    for title, slug, audience in (
        ("NTTP", "nttp", ProgrammePage.Audience.TEACHERS),
        ("Lecturer PD", "pd", ProgrammePage.Audience.LECTURERS),
    ):
        programme = pages.create_programme(home_page, title, slug, audience=audience)
        group = Group.objects.create(name=f"{title} trainers")
        pages.grant_programme_to_group(programme, group)
        trainers[slug] = make_learner()
        trainers[slug].groups.add(group)
        courses[slug] = pages.create_course(programme, f"{title} course", f"{slug}-c")
    own = authoring.category_for(courses["nttp"], "", "NTTP bank")
    authoring.import_questions(
        courses["nttp"], parse_gift(single_choice_bank(2, prefix="Teach")), own
    )
    theirs = authoring.category_for(courses["pd"], "", "PD bank")
    authoring.import_questions(
        courses["pd"],
        parse_gift("::Secret::Which rubric? {=LECTURER-KEY ~Other ~None}\n"),
        theirs,
    )

    client.force_login(trainers["nttp"])
    add = reverse("wagtailsnippets_courses_quiz:add")
    planted = client.post(add, quiz_form(courses["nttp"], [own, theirs], "Planted"))
    honest = client.post(add, quiz_form(courses["nttp"], [own], "Honest"))

    learner = make_learner()
    services.enrol(learner, courses["nttp"])
    client.force_login(learner)
    seen = []
    for quiz in Quiz.objects.filter(course=courses["nttp"]):
        client.post(reverse("courses:quiz_start", args=[quiz.pk]))
        attempt = QuizAttempt.objects.get(user=learner, quiz=quiz)
        result = client.post(
            reverse("courses:quiz_submit", args=[attempt.pk]), follow=True
        )
        seen.append(result.content.decode())
    assert honest.status_code == 302
    assert len(seen) >= 1 and all("Teach" in page for page in seen)
    assert not any(SECRET in page for page in seen)
    assert planted.status_code == 200
    assert not Quiz.objects.filter(title="Planted").exists()


# Pages --------------------------------------------------------------------


def lesson_form(lesson, blocks):
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    return nested_form_data(
        {
            "title": lesson.title,
            "slug": lesson.slug,
            "body": streamfield(blocks),
            "required": "on",
            "estimated_minutes": "15",
        }
    )


def test_a_lesson_cannot_be_saved_pointing_at_another_programmes_items(client, rivals):
    lesson = rivals.nttp_course.lessons().first().specific
    edit = reverse("wagtailadmin_pages:edit", args=[lesson.pk])
    revisions = lesson.revisions.count()
    client.force_login(rivals.nttp_trainer)
    for block in (
        ("h5p", {"activity": rivals.activity.pk, "requirement": "none"}),
        ("quiz", {"quiz": rivals.lecturer_quiz.pk, "heading": "", "intro": ""}),
        ("image", {"image": rivals.image.pk, "alt_text": "x", "caption": ""}),
        ("document", {"document": rivals.document.pk, "description": "x"}),
    ):
        response = client.post(edit, lesson_form(lesson, [block]))
        assert response.status_code == 200, block[0]
        assert "another programme" in response.content.decode(), block[0]
    assert lesson.revisions.count() == revisions

    own = ("h5p", {"activity": rivals.nttp_activity.pk, "requirement": "none"})
    response = client.post(edit, lesson_form(lesson, [own]))
    assert response.status_code == 302
    body = lesson.revisions.order_by("-pk").first().content["body"]
    assert str(rivals.nttp_activity.pk) in str(body)


def test_a_course_cannot_take_another_programmes_cover_or_final_assessment(
    client, rivals
):
    from courses.models import CoursePage
    from courses.page_forms import _foreign, _references

    fields = {f.name: f for f in CoursePage._meta.get_fields()}
    added = _references(fields["cover_image"], rivals.image) | _references(
        fields["final_assessment"], rivals.lecturer_quiz
    )
    assert _foreign(rivals.nttp_trainer, added) == {
        ("image", rivals.image.pk),
        ("quiz", rivals.lecturer_quiz.pk),
    }
    own = _references(fields["cover_image"], rivals.nttp_image)
    assert _foreign(rivals.nttp_trainer, own) == set()
