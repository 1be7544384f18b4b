"""What quiz pages show. Reads only, a fixed number of queries each.

Before an attempt is submitted nothing here loads which answer is right: the
page gets question text and option text in the shown order, nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ..models import AnswerOption, CoursePage, Enrolment, Question, Quiz, QuizAttempt
from ..quiz_formats import cloze
from ..quiz_formats.embedded_files import PLUGINFILE
from . import grading, question_images


@dataclass
class QuizStatus:
    quiz: Quiz
    attempts: list[QuizAttempt]
    open_attempt: QuizAttempt | None
    best_score: Any
    passed: bool
    attempts_left: int | None  # None: no limit
    enrolled: bool
    title: str = ""
    # A submitted attempt holding an essay that no trainer has marked yet.
    waiting_for_marking: bool = False

    def __post_init__(self):
        self.title = self.title or self.quiz.title

    @property
    def can_start(self) -> bool:
        if self.open_attempt is not None:
            return self.enrolled
        return (
            self.enrolled
            and not self.waiting_for_marking
            and (self.attempts_left is None or self.attempts_left > 0)
        )


def quiz_status(user, quiz: Quiz, enrolled: bool | None = None) -> QuizStatus:
    attempts: list[QuizAttempt] = []
    if user.is_authenticated:
        attempts = list(
            QuizAttempt.objects.filter(user=user, quiz=quiz).order_by("number")
        )
        if enrolled is None:
            enrolled = Enrolment.objects.filter(
                user=user, course__translation_key=quiz.course.translation_key
            ).exists()
    graded = [a for a in attempts if not a.is_open and not a.awaiting_marking]
    return QuizStatus(
        quiz=quiz,
        attempts=attempts,
        open_attempt=next((a for a in attempts if a.is_open), None),
        waiting_for_marking=any(a.waiting_for_marking for a in attempts),
        best_score=max((a.score for a in graded), default=None),
        passed=any(a.passed for a in graded),
        attempts_left=(
            max(quiz.max_attempts - len(attempts), 0) if quiz.max_attempts else None
        ),
        enrolled=bool(enrolled),
    )


def course_assessments(user, course: CoursePage) -> list[QuizStatus]:
    """The course's final assessment, with the learner's standing: 2-3 queries."""
    if not course.final_assessment_id:
        return []
    quiz = (
        Quiz.objects.select_related("course")
        .filter(pk=course.final_assessment_id)
        .first()
    )
    if quiz is None:
        return []
    enrolled = (
        user.is_authenticated
        and Enrolment.objects.filter(user=user, course=course).exists()
    )
    status = quiz_status(user, quiz, enrolled)
    status.title = quiz_title(quiz, course)
    return [status]


def localized_course(quiz: Quiz) -> CoursePage:
    """The quiz's course in the reader's language, if translated: 1-2 queries."""
    from wagtail.models import Locale

    course = quiz.course
    return course.get_translation_or_none(Locale.get_active()) or course


def quiz_title(quiz: Quiz, course: CoursePage) -> str:
    """A course may name its final assessment in its own language."""
    if course.final_assessment_id == quiz.pk and course.final_assessment_title:
        return course.final_assessment_title
    return quiz.title


@dataclass
class ShownOption:
    position: int
    label: str
    chosen: bool = False
    right: bool = False  # filled in only on a results page that may show it
    feedback: str = ""


@dataclass
class ShownPair:
    """An item of a matching question, and the answer chosen for it."""

    position: int
    label: str
    chosen: int | None = None  # position among the question's choices
    chosen_label: str = ""
    # Results that may show answers only:
    right: bool | None = None
    right_answer: str = ""


@dataclass
class ShownGap:
    """One gap of a cloze question: its control, and on results its grade."""

    number: int
    field_name: str
    control: str  # "text", "number", "select", "radio" or "checkbox"
    horizontal: bool = False
    options: list[ShownOption] = field(default_factory=list)
    typed: str = ""
    # Results only:
    fraction: Any = None
    answer_label: str = ""
    right_answers: list[str] = field(default_factory=list)
    feedback: list[str] = field(default_factory=list)

    @property
    def correct(self) -> bool:
        return self.fraction is not None and self.fraction >= 1

    @property
    def partly(self) -> bool:
        return self.fraction is not None and 0 < self.fraction < 1


@dataclass
class ClozePiece:
    """Text of a cloze question (safe HTML), or one of its gaps."""

    html: str = ""
    gap: ShownGap | None = None


@dataclass
class ShownQuestion:
    number: int | None  # None for a description
    question: Question
    options: list[ShownOption]
    response: Any
    # Matching only: the items, and the answers offered for each.
    pairs: list[ShownPair] = field(default_factory=list)
    choices: list[ShownOption] = field(default_factory=list)
    # Results only:
    fraction: Any = None
    feedback: list[str] = field(default_factory=list)
    right_answers: list[str] = field(default_factory=list)
    # Cloze: the text and its gaps in order.
    cloze: list[ClozePiece] = field(default_factory=list)
    # Essays: the trainer's points and comment, once marked.
    points: Any = None
    comment: str = ""
    waiting_for_marking: bool = False

    @property
    def essay(self) -> bool:
        return self.question.kind == Question.Kind.ESSAY

    @property
    def matching(self) -> bool:
        return self.question.kind == Question.Kind.MATCHING

    @property
    def gaps(self) -> list[ShownGap]:
        return [piece.gap for piece in self.cloze if piece.gap is not None]

    @property
    def field_name(self) -> str:
        return f"q{self.question.pk}"

    @property
    def multiple(self) -> bool:
        return self.question.kind == Question.Kind.MULTIPLE_CHOICE

    @property
    def text_input(self) -> bool:
        return self.question.kind in (Question.Kind.NUMERIC, Question.Kind.SHORT_TEXT)

    @property
    def correct(self) -> bool:
        return self.fraction is not None and self.fraction >= 1

    @property
    def partly(self) -> bool:
        return self.fraction is not None and 0 < self.fraction < 1


def option_label(question: Question, option: AnswerOption) -> str:
    if question.kind == Question.Kind.TRUE_FALSE:
        return _("True") if option.text == "true" else _("False")
    if question.kind == Question.Kind.MATCHING:
        return with_images(question, option.text) or question.plain(option.text)
    return with_images(question, option.text) or option.text


def with_images(question: Question, text: str) -> str | None:
    """``text`` as safe HTML with its images, if it shows any."""
    if PLUGINFILE in text and question.images.all():
        return question_images.question_html(question, text)
    return None


def shown_feedback(question: Question, text: str) -> str:
    return with_images(question, text) or text


def _pairs(
    question: Question,
    items: list[AnswerOption],
    choices: list[AnswerOption],
    response: Any,
) -> list[ShownPair]:
    chosen = grading.matched_choices(items, response, choices)
    positions = {choice.pk: i for i, choice in enumerate(choices)}
    return [
        ShownPair(
            position=i,
            label=option_label(question, item),
            chosen=positions[choice.pk] if choice else None,
            chosen_label=choice.match_text if choice else "",
        )
        for i, (item, choice) in enumerate(zip(items, chosen, strict=True))
    ]


def attempt_questions(attempt: QuizAttempt) -> list[ShownQuestion]:
    """The questions of an open attempt as the learner sees them: 2 queries.

    Only the text of questions and options is read; fractions, feedback and
    accepted answers are deferred so they cannot leak into the page by mistake.
    """
    questions = {
        q.pk: q
        for q in Question.objects.filter(pk__in=attempt.question_ids).only(
            "pk",
            "kind",
            "text",
            "text_format",
            "points",
            "response_lines",
            "response_template",
        )
    }
    option_ids = [oid for item in attempt.questions for oid in item["options"]]
    options = {
        o.pk: o
        for o in AnswerOption.objects.filter(pk__in=option_ids).only(
            "pk", "text", "question_id"
        )
    }
    question_images.prefetch_images(
        questions.values(),
        also={o.question_id for o in options.values() if PLUGINFILE in o.text},
    )
    # The answers a matching question offers, apart from its items: which
    # answer belongs to which item is never loaded here.
    choice_ids = [oid for item in attempt.questions for oid in item.get("choices", ())]
    choice_rows = (
        {
            o.pk: o
            for o in AnswerOption.objects.filter(pk__in=choice_ids).only(
                "pk", "match_text"
            )
        }
        if choice_ids
        else {}
    )
    shown = []
    for number, item in _numbered(attempt, questions):
        question = questions[item["id"]]
        response = attempt.answers.get(str(question.pk))
        if question.is_description:
            shown.append(ShownQuestion(number, question, [], None))
            continue
        if question.is_cloze:
            grades = grading.grade_cloze(question.text, item.get("gaps", []), response)
            shown.append(
                ShownQuestion(
                    number,
                    question,
                    [],
                    response,
                    cloze=_cloze(question, grades[1], results=False),
                )
            )
            continue
        if question.is_essay:
            # A fresh answer box starts with the question's template, if any.
            typed = response if response is not None else question.response_template
            shown.append(ShownQuestion(number, question, [], typed))
            continue
        if question.kind == Question.Kind.MATCHING:
            items = [options[oid] for oid in item["options"] if oid in options]
            choices = grading.shown_choices(item, choice_rows)
            shown.append(
                ShownQuestion(
                    number=number,
                    question=question,
                    options=[],
                    response=response,
                    pairs=_pairs(question, items, choices, response),
                    choices=[
                        ShownOption(position=i, label=choice.match_text)
                        for i, choice in enumerate(choices)
                    ],
                )
            )
            continue
        chosen = set(response if isinstance(response, list) else [response])
        shown.append(
            ShownQuestion(
                number=number,
                question=question,
                options=[
                    ShownOption(
                        position=i,
                        label=option_label(question, options[oid]),
                        chosen=i in chosen,
                    )
                    for i, oid in enumerate(item["options"])
                    if oid in options
                ],
                response=response,
            )
        )
    return shown


def _numbered(attempt: QuizAttempt, questions: dict[int, Question]):
    """Each item of the attempt with its question number; descriptions have none."""
    number = 0
    for item in attempt.questions:
        if questions[item["id"]].is_description:
            yield None, item
        else:
            number += 1
            yield number, item


def may_show_answers(attempt: QuizAttempt, status: QuizStatus) -> bool:
    policy = attempt.quiz.show_answers
    if attempt.is_open:
        return False
    if policy == Quiz.ShowAnswers.AFTER_EACH_ATTEMPT:
        return True
    if policy == Quiz.ShowAnswers.AFTER_PASSING:
        return status.passed
    if policy == Quiz.ShowAnswers.AFTER_LAST_ATTEMPT:
        return status.attempts_left == 0 and status.open_attempt is None
    return False


def graded_questions(attempt: QuizAttempt, show_answers: bool) -> list[ShownQuestion]:
    """A submitted attempt with marks, and answers and feedback if allowed."""
    if attempt.is_open:
        raise ValueError("the attempt is not graded yet")
    questions = {
        q.pk: q
        for q in Question.objects.filter(pk__in=attempt.question_ids).prefetch_related(
            "options"
        )
    }
    question_images.prefetch_images(questions.values())
    options = grading.option_maps(questions)
    marks = {
        question_id: (fraction, points, comment)
        for question_id, fraction, points, comment in attempt.responses.values_list(
            "question_id", "fraction", "points", "comment"
        )
    }
    fractions = {question_id: mark[0] for question_id, mark in marks.items()}
    shown = []
    for number, item in _numbered(attempt, questions):
        question = questions[item["id"]]
        if question.is_description:
            shown.append(ShownQuestion(number, question, [], None))
            continue
        if question.is_essay:
            shown.append(_graded_essay(attempt, number, question, marks, show_answers))
            continue
        if question.is_cloze:
            shown.append(
                _graded_cloze(attempt, item, number, question, fractions, show_answers)
            )
            continue
        order = [options[oid] for oid in item["options"] if oid in options]
        response = attempt.answers.get(str(question.pk))
        choices = grading.shown_choices(item, options)
        result = grading.grade(question, order, response, choices)
        chosen = {o.pk for o in result.chosen}
        entry = ShownQuestion(
            number=number,
            question=question,
            options=[
                ShownOption(
                    position=i,
                    label=option_label(question, o),
                    chosen=o.pk in chosen,
                    right=show_answers and o.fraction > 0,
                    feedback=(
                        shown_feedback(question, o.feedback)
                        if show_answers and o.pk in chosen
                        else ""
                    ),
                )
                for i, o in enumerate(order)
            ],
            response=response,
            fraction=fractions.get(question.pk, result.fraction),
        )
        if question.kind == Question.Kind.MATCHING:
            entry.options = []
            entry.pairs = _pairs(question, order, choices, response)
            for pair, item_option in zip(entry.pairs, order, strict=True):
                if show_answers:
                    pair.right = grading.is_match(
                        item_option,
                        choices[pair.chosen] if pair.chosen is not None else None,
                    )
                    pair.right_answer = item_option.match_text
        if show_answers:
            if entry.correct:
                whole = question.feedback_correct
            elif entry.partly:
                whole = question.feedback_partial or question.feedback_incorrect
            else:
                whole = question.feedback_incorrect
            matched = result.matched.feedback if result.matched else ""
            entry.feedback = [
                shown_feedback(question, text)
                for text in (matched, whole, question.general_feedback)
                if text
            ]
            entry.right_answers = (
                []
                if question.kind == Question.Kind.MATCHING
                else grading.right_answers(question, order)
            )
            if question.kind == Question.Kind.TRUE_FALSE:
                entry.right_answers = [
                    option_label(question, o) for o in order if o.fraction > 0
                ]
        shown.append(entry)
    return shown


def _graded_essay(
    attempt: QuizAttempt,
    number: int | None,
    question: Question,
    marks: dict[int, tuple[Any, Any, str]],
    show_answers: bool,
) -> ShownQuestion:
    """An essay on the results page: the answer, and the mark once given."""
    response = attempt.answers.get(str(question.pk))
    fraction, points, comment = marks.get(question.pk, (None, None, ""))
    waiting = attempt.awaiting_marking and response is not None
    entry = ShownQuestion(
        number=number,
        question=question,
        options=[],
        response=response,
        fraction=None if waiting else fraction,
        points=None if waiting else points,
        comment=comment,
        waiting_for_marking=waiting,
    )
    if show_answers and question.general_feedback:
        entry.feedback = [question.general_feedback]
    return entry


_GAP_TOKEN = re.compile("\ue000(\\d+)\ue000")
_BLOCK_END = re.compile(r"(?i)<br\s*/?>|</(p|div|li|h[1-6]|tr|table)\s*>")
_CONTROLS = {
    cloze.GapKind.SHORT_TEXT: "text",
    cloze.GapKind.NUMERIC: "number",
    cloze.GapKind.MULTI_RESPONSE: "checkbox",
}


def _cloze_html(question: Question, pieces: list) -> list[str | int]:
    """The text around the gaps as safe HTML, and the gaps' numbers, in order.

    As for other questions, the text is shown as plain text (line and paragraph
    breaks kept) unless it shows images, then as HTML with an allow-list.
    """
    joined = "".join(
        f"\ue000{piece.number}\ue000" if isinstance(piece, cloze.Gap) else piece
        for piece in pieces
    )
    shown = with_images(question, joined)
    if shown is None:
        text = joined
        if question.text_format in (
            Question.TextFormat.HTML,
            Question.TextFormat.MOODLE,
        ):
            text = question.plain(_BLOCK_END.sub("\n", joined))
        shown = linebreaksbr(text, autoescape=True)
    parts = _GAP_TOKEN.split(shown)
    return [
        int(part) if index % 2 else mark_safe(part)  # noqa: S308 - escaped above
        for index, part in enumerate(parts)
    ]


def _cloze(
    question: Question,
    grades: list[grading.GapGrade],
    results: bool,
    show_answers: bool = False,
) -> list[ClozePiece]:
    by_number = {grade.gap.number: grade for grade in grades}
    pieces = []
    for part in _cloze_html(question, cloze.parse_cloze(question.text)):
        if isinstance(part, str):
            if part:
                pieces.append(ClozePiece(html=part))
            continue
        grade = by_number[part]
        pieces.append(
            ClozePiece(gap=_shown_gap(question, grade, results, show_answers))
        )
    return pieces


def _shown_gap(
    question: Question, grade: grading.GapGrade, results: bool, show_answers: bool
) -> ShownGap:
    gap = grade.gap
    control = _CONTROLS.get(gap.kind) or (
        "select" if gap.layout == cloze.Layout.DROPDOWN else "radio"
    )
    chosen = set(map(id, grade.chosen))
    entry = ShownGap(
        number=gap.number,
        field_name=f"q{question.pk}_{gap.number}",
        control=control,
        horizontal=gap.layout == cloze.Layout.HORIZONTAL,
        options=[
            ShownOption(
                position=i,
                label=question.plain(answer.shown_text),
                chosen=id(answer) in chosen,
                right=show_answers and answer.fraction > 0,
            )
            for i, answer in enumerate(grade.shown)
        ]
        if gap.has_choices
        else [],
        typed=grade.typed or "",
    )
    if not results:
        return entry
    entry.fraction = grade.fraction
    entry.answer_label = grade.typed or ", ".join(a.shown_text for a in grade.chosen)
    if show_answers:
        entry.right_answers = grading.gap_right_answers(gap)
        answered = [grade.matched] if grade.matched else list(grade.chosen)
        entry.feedback = [question.plain(a.feedback) for a in answered if a.feedback]
    return entry


def _graded_cloze(
    attempt: QuizAttempt,
    item: dict,
    number: int | None,
    question: Question,
    fractions: dict[int, Any],
    show_answers: bool,
) -> ShownQuestion:
    """A cloze question on the results page: each gap's answer and grade."""
    response = attempt.answers.get(str(question.pk))
    fraction, grades = grading.grade_cloze(
        question.text, item.get("gaps", []), response
    )
    entry = ShownQuestion(
        number=number,
        question=question,
        options=[],
        response=response,
        fraction=fractions.get(question.pk, fraction),
        cloze=_cloze(question, grades, results=True, show_answers=show_answers),
    )
    if show_answers:
        if entry.correct:
            whole = question.feedback_correct
        elif entry.partly:
            whole = question.feedback_partial or question.feedback_incorrect
        else:
            whole = question.feedback_incorrect
        entry.feedback = [
            shown_feedback(question, text)
            for text in (whole, question.general_feedback)
            if text
        ]
    return entry
