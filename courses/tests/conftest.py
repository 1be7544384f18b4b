"""Fixtures for course tests: programmes, quiz banks (imported through the real
import service) and counting a page's queries."""

from __future__ import annotations

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses import authoring as pages
from courses.models import AnswerOption, ProgrammePage, Question, QuizAttempt
from courses.quiz_formats import parse_gift
from courses.quiz_formats.questions import decimal_text
from courses.quizzes import authoring
from lms.tests.limit_fixtures import counting_cache, set_limit  # noqa: F401

_banks = itertools.count(1)


def single_choice_bank(count: int, prefix: str = "Q") -> str:
    """GIFT text: ``count`` single-choice questions, the right option is "Right N"."""
    blocks = [
        f"::{prefix}{n}::{prefix}{n}: which is right?"
        f" {{=Right {n}#Well reasoned {n} ~Wrong {n}a#Think again {n}"
        f" ~Wrong {n}b}}"
        for n in range(1, count + 1)
    ]
    return "\n\n".join(blocks) + "\n"


@pytest.fixture
def make_bank():
    """Import GIFT text into a course's category; returns the category."""

    def make(course, gift: str | None = None, name: str | None = None, **kwargs):
        category = authoring.category_for(course, "", name or f"Bank {next(_banks)}")
        authoring.import_questions(
            course, parse_gift(gift or single_choice_bank(6)), category, **kwargs
        )
        return category

    return make


@pytest.fixture
def make_quiz(make_bank):
    """A quiz on ``course`` drawing ``draw`` questions from a new bank."""

    def make(course, gift: str | None = None, draw: int = 3, **rules):
        category = make_bank(course, gift)
        rules.setdefault("pass_mark", 60)
        return authoring.create_quiz(
            course,
            rules.pop("title", "Check your understanding"),
            [(category, draw)],
            **rules,
        )

    return make


def right_answers(attempt: QuizAttempt, right: bool = True) -> dict[str, list[str]]:
    """Form data answering every question of ``attempt`` right (or wrong)."""
    data: dict[str, list[str]] = {}
    for item in attempt.questions:
        question = Question.objects.get(pk=item["id"])
        if question.kind == Question.Kind.CLOZE:
            data |= _cloze_answers(question, item, right)
            continue
        options = {o.pk: o for o in AnswerOption.objects.filter(question=question)}
        if question.kind in (Question.Kind.NUMERIC, Question.Kind.SHORT_TEXT):
            best = max(options.values(), key=lambda o: o.fraction)
            if question.kind == Question.Kind.NUMERIC:
                text = decimal_text(best.value) if right else "-99999"
            else:
                text = best.text if right else "no such answer"
            data[f"q{question.pk}"] = [text]
            continue
        positions = [
            str(i)
            for i, oid in enumerate(item["options"])
            if (options[oid].fraction > 0) == right
        ]
        if question.kind != Question.Kind.MULTIPLE_CHOICE:
            positions = positions[:1]
        data[f"q{question.pk}"] = positions
    return data


def _cloze_answers(question: Question, item: dict, right: bool) -> dict:
    """Each gap of a cloze question answered right (or wrong), as the form sends
    it: ``q<id>`` marks the question, ``q<id>_<gap>`` holds each gap's answer."""
    from courses.quiz_formats.cloze import GapKind, gaps_of

    data = {f"q{question.pk}": [""]}
    for gap, order in zip(gaps_of(question.text), item["gaps"], strict=True):
        field = f"q{question.pk}_{gap.number}"
        if not gap.has_choices:
            best = next(a for a in gap.answers if a.fraction == 1)
            data[field] = [best.text if right else "-99999 no such answer"]
            continue
        shown = [gap.answers[i] for i in order]
        picks = [str(p) for p, a in enumerate(shown) if (a.fraction > 0) == right]
        data[field] = picks[:1] if gap.kind == GapKind.CHOICE else picks
    return data


def mixed_gift(count: int = 24) -> str:
    """A GIFT bank of every type, with secrets a page must not show before grading.

    Feedback texts hold "SECRET", short-text answers "accepted", numbers 4242.
    """
    blocks = ["// A bank written the way trainers export it from Moodle.", ""]
    blocks.append("$CATEGORY: $course$/top/Mixed")
    for n in range(1, count + 1):
        kind = n % 5
        if kind == 0:
            body = (
                f"::Single {n}::Pick the right one ({n}). "
                f"{{=Right {n}#SECRET right {n} ~Wrong {n}#SECRET wrong {n}"
                f" ~Other {n}}}"
            )
        elif kind == 1:
            body = (
                f"::Multiple {n}::Pick both right ones ({n}). "
                f"{{~%50%Good {n}a#SECRET good {n} ~%50%Good {n}b"
                f" ~%-100%Bad {n}#SECRET bad {n}}}"
            )
        elif kind == 2:
            body = f"::TrueFalse {n}::Statement {n} is true. {{T#SECRET tf {n}}}"
        elif kind == 3:
            body = (
                f"::Numeric {n}::Give the number to one place ({n}). "
                f"{{#4242.{n}:0.05#SECRET number {n}}}"
            )
        else:
            body = (
                f"::Short {n}::Type the word ({n}). "
                f"{{=accepted{n}#SECRET short {n} =alsoaccepted{n}}}"
            )
        blocks.append(body)
        blocks.append("")
    return "\n".join(blocks)


def mixed_xml(count: int = 24) -> bytes:
    """A Moodle XML bank of every type (as Moodle 4 writes it)."""

    def text(tag, value, fmt="html"):
        return f'<{tag} format="{fmt}"><text><![CDATA[{value}]]></text></{tag}>'

    def answer(fraction, value, feedback=""):
        return (
            f'<answer fraction="{fraction}" format="moodle_auto_format">'
            f"<text>{value}</text>{text('feedback', feedback)}</answer>"
        )

    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<quiz>",
        '<question type="category"><category><text>$course$/top/From XML'
        "</text></category></question>",
    ]
    for n in range(1, count + 1):
        kind = n % 5
        name = f"<name><text>XML {n}</text></name>"
        if kind in (0, 1):
            single = "true" if kind == 0 else "false"
            answers = (
                answer(100, f"Right {n}", f"SECRET {n}") + answer(0, f"Wrong {n}")
                if kind == 0
                else answer(50, f"Good {n}a")
                + answer(50, f"Good {n}b")
                + answer(-100, f"Bad {n}")
            )
            parts.append(
                f'<question type="multichoice">{name}'
                f"{text('questiontext', f'<p>Choose ({n})</p>')}"
                f"<defaultgrade>2</defaultgrade><single>{single}</single>"
                f"<shuffleanswers>1</shuffleanswers>"
                f"{text('correctfeedback', f'SECRET well done {n}')}"
                f"{text('incorrectfeedback', f'SECRET not quite {n}')}"
                f"{answers}</question>"
            )
        elif kind == 2:
            parts.append(
                f'<question type="truefalse">{name}'
                f"{text('questiontext', f'Statement {n}')}"
                f"{answer(100, 'true', 'SECRET yes')}{answer(0, 'false')}</question>"
            )
        elif kind == 3:
            parts.append(
                f'<question type="numerical">{name}'
                f"{text('questiontext', f'Number {n}')}"
                f'<answer fraction="100"><text>4242</text>'
                f"<tolerance>0.5</tolerance>{text('feedback', 'SECRET n')}</answer>"
                f"</question>"
            )
        else:
            parts.append(
                f'<question type="shortanswer">{name}'
                f"{text('questiontext', f'Word {n}')}<usecase>0</usecase>"
                f"{answer(100, f'accepted{n}', 'SECRET s')}</question>"
            )
    parts.append("</quiz>")
    return "\n".join(parts).encode("utf-8")


@pytest.fixture
def programme(home_page):
    programme = pages.create_programme(
        home_page, "NTTP", "nttp", audience=ProgrammePage.Audience.TEACHERS
    )
    pages.translate_page(home_page, "ur", title="الائنس لرننگ")
    pages.translate_page(programme, "ur", title="این ٹی ٹی پی")
    return programme


def page_queries(client, url):
    # Warm Wagtail's site-root cache first, as on any running server.
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.fixture
def rivals(home_page, make_learner):
    """Two programmes with a trainer each. The lecturers' programme holds a
    course bank, a programme bank, a quiz, an H5P activity, an image and a
    document, each with a secret only its own trainers may read."""
    import io
    import types

    from django.contrib.auth.models import Group
    from django.core.files.base import ContentFile
    from django.core.files.images import ImageFile
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    from content.services import import_h5p_package
    from content.tests import h5p_builders
    from courses.models import QuestionCategory

    from .packages_builders import png_bytes

    def programme_with_trainer(title, slug, audience, group_name):
        programme = pages.create_programme(home_page, title, slug, audience=audience)
        group = Group.objects.create(name=group_name)
        pages.grant_programme_to_group(programme, group)
        trainer = make_learner()
        trainer.groups.add(group)
        course = pages.create_course(programme, f"{title} course", f"{slug}-course")
        pages.create_lesson(course, "Welcome", "welcome", body=[("text", "<p>Hi</p>")])
        return programme, trainer, course

    def files(programme, name):
        collection = pages.programme_collection(programme)
        image = get_image_model().objects.create(
            title=f"{name} chart",
            file=ImageFile(io.BytesIO(png_bytes()), name=f"{name}.png"),
            collection=collection,
        )
        document = get_document_model().objects.create(
            title=f"{name} handbook",
            file=ContentFile(b"%PDF-1.4 handbook\n", name=f"{name}.pdf"),
            collection=collection,
        )
        activity = import_h5p_package(
            h5p_builders.build_activity_package(), programme=programme
        )
        activity.title = f"{name} activity"
        activity.save()
        return image, document, activity

    nttp, nttp_trainer, nttp_course = programme_with_trainer(
        "NTTP", "nttp", ProgrammePage.Audience.TEACHERS, "NTTP trainers"
    )
    lecturers, lecturer_trainer, lecturer_course = programme_with_trainer(
        "Lecturer PD", "lecturer-pd", ProgrammePage.Audience.LECTURERS, "PD trainers"
    )
    nttp_category = authoring.category_for(nttp_course, "", "NTTP bank")
    authoring.import_questions(
        nttp_course, parse_gift(single_choice_bank(3, prefix="Teach")), nttp_category
    )
    secret_bank = (
        "::Secret::Which rubric do lecturers use? {=LECTURER-KEY ~Other ~None}\n"
    )
    lecturer_category = authoring.category_for(lecturer_course, "", "PD bank")
    authoring.import_questions(
        lecturer_course, parse_gift(secret_bank), lecturer_category
    )
    shared_category = QuestionCategory.objects.create(
        programme=lecturers, name="PD shared bank"
    )
    authoring.import_questions(
        lecturer_course, parse_gift(secret_bank), shared_category
    )
    lecturer_quiz = authoring.create_quiz(
        lecturer_course, "PD check", [(lecturer_category, 1)]
    )
    nttp_image, nttp_document, nttp_activity = files(nttp, "NTTP")
    image, document, activity = files(lecturers, "PD")
    return types.SimpleNamespace(
        nttp=nttp,
        nttp_trainer=nttp_trainer,
        nttp_course=nttp_course,
        nttp_category=nttp_category,
        nttp_image=nttp_image,
        nttp_document=nttp_document,
        nttp_activity=nttp_activity,
        lecturers=lecturers,
        lecturer_trainer=lecturer_trainer,
        lecturer_course=lecturer_course,
        lecturer_category=lecturer_category,
        shared_category=shared_category,
        lecturer_quiz=lecturer_quiz,
        image=image,
        document=document,
        activity=activity,
    )
