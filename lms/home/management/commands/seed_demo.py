"""Build the demo site: programmes, courses in English and Urdu (one lesson also
in Sindhi), and people.

Running it twice changes nothing: everything is looked up before it is made.
Development passwords are printed and documented in the README; never run this
against a production database.
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection

from certificates.demo import seed_certificates
from cohorts.demo import COHORTS, seed_cohorts
from courses import authoring
from courses.models import CoursePage, ProgrammePage
from events.demo import seed_events
from lms.accounts import services as accounts
from lms.accounts.models import District, Province, User
from lms.home.demo import classroom_management as demo
from lms.home.demo import classroom_management_quiz as demo_quiz
from lms.home.demo import sindhi
from lms.home.models import HomePage
from lms.home.reference_data import ensure_reference_data
from reporting.summaries import refresh_summaries

DEMO_PASSWORD = "alliance-demo-2026"  # noqa: S105 - documented development password
DEMO_PEOPLE = [
    (
        "learner@example.org",
        "Ayesha Siddiqui",
        "عائشہ صدیقی",
        [accounts.LEARNERS_GROUP],
    ),
    ("trainer@example.org", "Bilal Ahmed", "بلال احمد", [accounts.TRAINERS_GROUP]),
    ("reviewer@example.org", "Saima Khan", "صائمہ خان", [accounts.REVIEWERS_GROUP]),
    (
        "manager@example.org",
        "Farhan Qureshi",
        "فرحان قریشی",
        [accounts.PROGRAMME_MANAGERS_GROUP],
    ),
]


class Command(BaseCommand):
    help = "Create the demo programmes, courses and people (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        # Already there after migrate; made again here for a database that was
        # filled some other way (a restored dump, a flush with signals off).
        ensure_reference_data()
        home = HomePage.objects.get(locale__language_code="en")
        authoring.translate_page(
            home,
            "ur",
            title="الائنس لرننگ",
            intro=(
                "الائنس فورمز کے اساتذہ اور لیکچررز کے لیے کورسز اور قابلِ تصدیق اسناد۔"
            ),
        )
        nttp = self._programme(
            home,
            "National Teachers Training Program",
            "nttp",
            "قومی تربیتِ اساتذہ پروگرام",
            ProgrammePage.Audience.TEACHERS,
            "NTTP",
        )
        lecturers = self._programme(
            home,
            "Lecturer Professional Development Series",
            "lecturer-development",
            "لیکچررز کی پیشہ ورانہ ترقی کا سلسلہ",
            ProgrammePage.Audience.LECTURERS,
            "LPD",
        )
        self._classroom_management(nttp)
        self._classroom_management_quiz()
        self._sindhi_lesson(home, nttp)
        self._research_methodology(lecturers)
        self._interactive_activity()
        self._people(nttp, lecturers, home)
        seed_certificates(nttp, lecturers)
        seed_cohorts(nttp, DEMO_PASSWORD)
        seed_events(nttp)
        # The programme dashboard reads summaries; work them out for the demo.
        refresh_summaries(full=True)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD}):")
        for email, *_rest in DEMO_PEOPLE:
            self.stdout.write(f"  {email}")
        for *_cohort, (email, _name, _name_ur), _learners in COHORTS:
            self.stdout.write(f"  {email}")

    def _programme(self, home, title, slug, title_ur, audience, short_name):
        programme = ProgrammePage.objects.filter(slug=slug).first()
        if programme is None:
            programme = authoring.create_programme(
                home, title, slug, audience=audience, short_name=short_name
            )
        authoring.translate_page(programme, "ur", title=title_ur)
        return programme

    def _classroom_management(self, programme: ProgrammePage) -> None:
        if CoursePage.objects.filter(slug=demo.COURSE_EN["slug"]).exists():
            return
        # The programme's own collection: its trainers choose these, nobody else.
        collection = authoring.programme_collection(programme)
        image = _demo_image(collection)
        document = _demo_document(collection)
        course = authoring.create_course(
            programme,
            cpd_hours=Decimal("6"),
            estimated_minutes=90,
            cover_image=image,
            **demo.COURSE_EN,
        )
        lessons = []
        for item in demo.LESSONS:
            title, text = item["en"]
            body = [("text", text)]
            if item.get("image"):
                body.append(
                    (
                        "image",
                        {
                            "image": image,
                            "alt_text": "A classroom chart of five rules",
                            "caption": "Rules agreed with the class",
                        },
                    )
                )
            if item.get("document"):
                body.append(("document", {"document": document, "description": ""}))
            lessons.append(
                authoring.create_lesson(course, title, item["slug"], body=body)
            )
        authoring.translate_page(course, "ur", **demo.COURSE_UR)
        for item, lesson in zip(demo.LESSONS, lessons, strict=True):
            title, text = item["ur"]
            body = [("text", text)]
            if item.get("image"):
                body.append(
                    (
                        "image",
                        {
                            "image": image,
                            "alt_text": "کمرۂ جماعت کے پانچ اصولوں کا چارٹ",
                            "caption": "جماعت کے ساتھ طے شدہ اصول",
                        },
                    )
                )
            if item.get("document"):
                body.append(("document", {"document": document, "description": ""}))
            authoring.translate_page(lesson, "ur", title=title, body=body)

    def _classroom_management_quiz(self) -> None:
        """A final assessment drawn from a nine-question bank, in two languages."""
        from courses.models import Quiz
        from courses.quiz_formats import (
            NumericAnswer,
            ParsedChoice,
            ParsedQuestion,
            TextAnswer,
            TextFormat,
        )
        from courses.quiz_formats.cloze import total_weight
        from courses.quiz_formats.questions import true_false_choices
        from courses.quizzes import authoring

        course = CoursePage.objects.get(
            slug=demo.COURSE_EN["slug"], locale__language_code="en"
        )
        if Quiz.objects.filter(course=course, title=demo_quiz.QUIZ_TITLE).exists():
            return
        parsed = []
        for item in demo_quiz.QUESTIONS:
            text, answers, right_feedback, wrong_feedback = item["en"]
            question = ParsedQuestion(
                kind=item["kind"],
                name=item["name"],
                text=text,
                feedback_correct=right_feedback,
                feedback_incorrect=wrong_feedback,
            )
            right = item.get("right")
            if item["kind"] == "cloze":
                question.text_format = TextFormat.HTML
                question.default_mark = Decimal(total_weight(text))
            elif item["kind"] == "true_false":
                question.choices = true_false_choices(right == 0)
            elif item["kind"] == "numeric":
                question.numeric_answers = [NumericAnswer(Decimal(item["value"]))]
            elif item["kind"] == "short_text":
                question.text_answers = [TextAnswer(answer) for answer in answers]
            else:
                rights = right if isinstance(right, list) else [right]
                question.choices = [
                    ParsedChoice(answer, Decimal(1) / len(rights) if i in rights else 0)
                    for i, answer in enumerate(answers)
                ]
            parsed.append(question)
        category = authoring.category_for(course, "", demo_quiz.CATEGORY)
        saved = authoring.import_questions(course, parsed, category, "en")
        for item, question in zip(demo_quiz.QUESTIONS, saved, strict=True):
            text, answers, right_feedback, wrong_feedback = item["ur"]
            authoring.translate_question(
                question,
                "ur",
                text,
                answers
                if item["kind"] in ("single_choice", "multiple_choice", "short_text")
                else None,
                feedback_correct=right_feedback,
                feedback_incorrect=wrong_feedback,
            )
        quiz = authoring.create_quiz(
            course,
            demo_quiz.QUIZ_TITLE,
            [(category, demo_quiz.QUESTIONS_PER_ATTEMPT)],
            pass_mark=demo_quiz.PASS_MARK,
            max_attempts=demo_quiz.MAX_ATTEMPTS,
            show_answers=Quiz.ShowAnswers.AFTER_EACH_ATTEMPT,
        )
        for page in [course, *course.get_translations()]:
            page = page.specific
            page.final_assessment = quiz
            if page.locale.language_code == "ur":
                page.final_assessment_title = demo_quiz.QUIZ_TITLE_UR
            page.save_revision().publish()

    def _sindhi_lesson(self, home, programme: ProgrammePage) -> None:
        # translate_page returns an existing translation unchanged: idempotent.
        authoring.translate_page(home, "sd", **sindhi.HOME_SD)
        authoring.translate_page(programme, "sd", **sindhi.NTTP_SD)
        course = CoursePage.objects.get(slug=demo.COURSE_EN["slug"], locale=home.locale)
        authoring.translate_page(course, "sd", **sindhi.COURSE_SD)
        lesson = course.lessons().get(slug=demo.LESSONS[0]["slug"])
        title, text = sindhi.EXPECTATIONS_LESSON_SD
        body = [
            ("text", text),
            (
                "image",
                {
                    "image": _demo_image(authoring.programme_collection(programme)),
                    "alt_text": sindhi.CHART_ALT_SD,
                    "caption": sindhi.CHART_CAPTION_SD,
                },
            ),
        ]
        authoring.translate_page(lesson, "sd", title=title, body=body)

    def _research_methodology(self, programme: ProgrammePage) -> None:
        if CoursePage.objects.filter(slug=demo.RESEARCH_COURSE["slug"]).exists():
            return
        course = authoring.create_course(
            programme,
            cpd_hours=Decimal("4"),
            estimated_minutes=60,
            level=CoursePage.Level.INTERMEDIATE,
            **demo.RESEARCH_COURSE,
        )
        for slug, title, text in demo.RESEARCH_LESSONS:
            authoring.create_lesson(course, title, slug, body=[("text", text)])

    def _interactive_activity(self) -> None:
        """An H5P activity in the research course, built here from the small
        content type the tests use, so no third-party H5P code is committed."""
        from content.services import import_h5p_package
        from content.tests.h5p_builders import build_activity_package

        course = CoursePage.objects.get(
            slug=demo.RESEARCH_COURSE["slug"], locale__language_code="en"
        )
        if course.lessons().filter(slug="try-an-activity").exists():
            return
        activity = import_h5p_package(
            build_activity_package(), programme=course.get_parent()
        )
        authoring.create_lesson(
            course,
            "Try an interactive activity",
            "try-an-activity",
            body=[
                ("text", "<p>Complete the activity to finish this lesson.</p>"),
                ("h5p", {"activity": activity, "requirement": "completed"}),
            ],
        )

    def _people(self, nttp, lecturers, home) -> None:
        punjab = Province.objects.get(code="PB")
        lahore = District.objects.get(code="PB-LHR")
        for email, name_en, name_ur, groups in DEMO_PEOPLE:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = accounts.register_learner(
                    email,
                    DEMO_PASSWORD,
                    accounts.ProfileDetails(
                        certificate_name_en=name_en,
                        certificate_name_ur=name_ur,
                        role="teacher",
                        sector="public",
                        province=punjab,
                        district=lahore,
                        institution="Government Girls High School, Lahore",
                        preferred_language="ur" if "learner" in email else "en",
                    ),
                )
            user.groups.add(*Group.objects.filter(name__in=groups))
            if groups != [accounts.LEARNERS_GROUP]:
                User.objects.filter(pk=user.pk).update(is_staff=True)
        nttp_trainers, _ = Group.objects.get_or_create(name="NTTP trainers")
        authoring.grant_programme_to_group(nttp, nttp_trainers)
        lecturer_trainers, _ = Group.objects.get_or_create(name="Lecturer PD trainers")
        authoring.grant_programme_to_group(lecturers, lecturer_trainers)
        User.objects.get(email="trainer@example.org").groups.add(nttp_trainers)
        reviewers = Group.objects.get(name=accounts.REVIEWERS_GROUP)
        authoring.ensure_review_workflow(home, reviewers)


def _demo_image(collection: Collection) -> Image:
    """A chart of classroom rules, drawn here so no media is committed."""
    existing = Image.objects.filter(title="Classroom rules chart").first()
    if existing:
        return existing
    from PIL import Image as PillowImage
    from PIL import ImageDraw

    canvas = PillowImage.new("RGB", (960, 540), "#fdf6e3")
    draw = ImageDraw.Draw(canvas)
    draw.rectangle([40, 40, 920, 500], outline="#0b5d3b", width=8)
    draw.text((80, 70), "OUR CLASSROOM RULES", fill="#0b5d3b")
    for row, rule in enumerate(
        [
            "Listen when someone is speaking",
            "Raise your hand to answer",
            "Look after our books",
            "Help each other",
            "Try your best",
        ]
    ):
        y = 140 + row * 70
        draw.ellipse([80, y, 120, y + 40], fill="#a05a00")
        draw.text((140, y + 12), rule, fill="#1d2433")
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    return Image.objects.create(
        title="Classroom rules chart",
        file=ImageFile(buffer, name="classroom-rules.png"),
        collection=collection,
    )


def _demo_document(collection: Collection) -> Document:
    existing = Document.objects.filter(title="Routines planner").first()
    if existing:
        return existing
    from django.core.files.base import ContentFile
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle("Routines planner")
    pdf.drawString(72, 770, "Routines planner")
    for row, routine in enumerate(
        ["Start of lesson", "Giving out books", "Group work", "Packing up"]
    ):
        pdf.drawString(72, 730 - row * 40, f"{routine}: ______________________")
    pdf.save()
    return Document.objects.create(
        title="Routines planner",
        file=ContentFile(buffer.getvalue(), name="routines-planner.pdf"),
        collection=collection,
    )
