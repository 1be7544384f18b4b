"""Moodle XML question banks: ``<quiz>`` holding ``<question type="...">`` elements.

Read with defusedxml, so a file cannot declare entities or fetch anything. Types
read: ``category`` (sets the category path of the questions after it, such as
``$course$/top/Classroom``), ``multichoice``, ``truefalse``, ``shortanswer``,
``numerical``, ``matching``, ``description``, ``cloze`` (Moodle's embedded
answers, kept as its text with the gaps in place: see ``cloze``) and ``essay`` (its
``responsefieldlines``, ``responsetemplate`` and ``graderinfo`` are kept; the
answer is always plain text typed in a box, so ``responseformat`` is read as
that, attachments are not offered, and ``responserequired`` is not kept).
Other types, embedded files (``<file>``), numerical units and wildcard answers
are well-formed but not imported: ``read_moodle_xml`` lists them as
``UnsupportedQuestion`` with the question's number and name, and
``parse_moodle_xml`` refuses the file at the first.
``usecase``, ``shuffleanswers``, ``penalty``, ``hint`` (its text), ``idnumber`` and
``tags`` are kept; Moodle's all-or-nothing ``multichoiceset`` is a multiple-choice
question without partial credit.
"""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET  # builds XML and names ParseError; never parses
from collections.abc import Iterable, Mapping
from decimal import ROUND_DOWN, Decimal

import defusedxml.ElementTree as DefusedET
from defusedxml import DefusedXmlException
from django.utils.translation import gettext_lazy as _

from .cloze import total_weight
from .embedded_files import (
    MAX_FILE_BYTES,
    check_references,
    decode_image,
    referenced_names,
)
from .questions import (
    CHOICE_KINDS,
    DEFAULT_PENALTY,
    FALSE_TEXT,
    FRACTION_STEP,
    TRUE_TEXT,
    MatchPair,
    NumericAnswer,
    ParsedBank,
    ParsedChoice,
    ParsedQuestion,
    QuestionFormatError,
    QuestionKind,
    TextAnswer,
    TextFormat,
    UnsupportedQuestion,
    answer_from_moodle,
    answer_to_moodle,
    decimal_text,
    default_name,
    fill,
    fraction_to_percent,
    not_empty,
    parse_decimal,
    percent_to_fraction,
    validate_question,
)

__all__ = ["parse_moodle_xml", "read_moodle_xml", "to_moodle_xml"]

_FORMATS = {
    "html": TextFormat.HTML,
    "moodle_auto_format": TextFormat.MOODLE,
    "plain_text": TextFormat.PLAIN,
    "markdown": TextFormat.MARKDOWN,
}
_FORMAT_NAMES = {text_format: name for name, text_format in _FORMATS.items()}
_TYPES = {
    "multichoice": None,  # single or multiple, decided by <single>
    # The All-or-Nothing Multiple Choice plugin: multiple choice, no partial credit.
    "multichoiceset": QuestionKind.MULTIPLE_CHOICE,
    "truefalse": QuestionKind.TRUE_FALSE,
    "shortanswer": QuestionKind.SHORT_TEXT,
    "numerical": QuestionKind.NUMERIC,
    "matching": QuestionKind.MATCHING,
    "description": QuestionKind.DESCRIPTION,
    "essay": QuestionKind.ESSAY,
    "cloze": QuestionKind.CLOZE,
}
_TYPE_NAMES = {
    QuestionKind.SINGLE_CHOICE: "multichoice",
    QuestionKind.MULTIPLE_CHOICE: "multichoice",
    QuestionKind.TRUE_FALSE: "truefalse",
    QuestionKind.SHORT_TEXT: "shortanswer",
    QuestionKind.NUMERIC: "numerical",
    QuestionKind.MATCHING: "matching",
    QuestionKind.DESCRIPTION: "description",
    QuestionKind.ESSAY: "essay",
    QuestionKind.CLOZE: "cloze",
}
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
_POSITION = re.compile(r":\s*line \d+, column \d+$")


def parse_moodle_xml(data: bytes) -> list[ParsedQuestion]:
    """Read every question of a Moodle XML file, or raise on the first fault."""
    return read_moodle_xml(data).all_supported()


def read_moodle_xml(data: bytes) -> ParsedBank:
    """Every question of a Moodle XML file, apart from the unsupported ones.

    A fault in the file raises QuestionFormatError naming the question.
    """
    if len(data) > MAX_FILE_BYTES:
        raise QuestionFormatError(
            fill(
                _(
                    "the file is %(size)s MB; a question bank may be at most "
                    "%(limit)s MB"
                ),
                {
                    "size": f"{len(data) / 1024 / 1024:.1f}",
                    "limit": MAX_FILE_BYTES // 1024 // 1024,
                },
            )
        )
    try:
        root = DefusedET.fromstring(data)
    except ET.ParseError as error:
        line = error.position[0] if error.position else None
        reason = _POSITION.sub("", str(error))
        raise QuestionFormatError(
            fill(_("the file is not valid XML (%(reason)s)"), {"reason": reason}),
            line,
        ) from None
    except DefusedXmlException:
        raise QuestionFormatError(
            _("the file declares a DTD or entities, which are refused for safety")
        ) from None
    if root.tag != "quiz":
        raise QuestionFormatError(
            fill(_("the file holds <%(tag)s>, not a Moodle <quiz>"), {"tag": root.tag})
        )
    bank = ParsedBank([])
    category = ""
    for element in root:
        number = len(bank.questions) + len(bank.unsupported) + 1
        if element.tag != "question":
            raise QuestionFormatError(
                fill(
                    _("<%(tag)s> found where a <question> should be"),
                    {"tag": element.tag},
                ),
                number=number,
            )
        if element.get("type") == "category":
            category = _text(element, "category")
            if description := _text(element, "info"):
                bank.category_descriptions[category] = description
            continue
        name = _text(element, "name")
        try:
            question = _read_question(element, name, category)
            validate_question(question)
        except UnsupportedQuestion as error:
            name = name or default_name(_text(element, "questiontext"))
            bank.unsupported.append(error.located(question=name, number=number))
            continue
        except QuestionFormatError as error:
            raise error.located(question=name or None, number=number) from None
        bank.questions.append(question)
    return not_empty(bank)


def _text(element: ET.Element, path: str) -> str:
    return (element.findtext(f"{path}/text") or "").strip()


def _format(element: ET.Element | None) -> TextFormat:
    name = "moodle_auto_format" if element is None else element.get("format")
    if name is None:
        name = "moodle_auto_format"
    if name not in _FORMATS:
        raise QuestionFormatError(
            fill(_('the text format "%(format)s" is not known'), {"format": name})
        )
    return _FORMATS[name]


def _read_question(element: ET.Element, name: str, category: str) -> ParsedQuestion:
    moodle_type = element.get("type")
    if moodle_type not in _TYPES:
        supported = ", ".join(_TYPES)
        raise UnsupportedQuestion(
            fill(
                _('the question type "%(type)s" is not supported (only %(supported)s)'),
                {"type": moodle_type, "supported": supported},
            ),
            str(moodle_type),
        )
    kind = _TYPES[moodle_type]
    if kind is None:
        single = (element.findtext("single") or "true").strip().lower()
        if single not in _BOOLEANS:
            raise QuestionFormatError(
                fill(
                    _('<single> must be true or false, not "%(single)s"'),
                    {"single": single},
                )
            )
        kind = (
            QuestionKind.SINGLE_CHOICE
            if _BOOLEANS[single]
            else QuestionKind.MULTIPLE_CHOICE
        )
    text = _text(element, "questiontext")
    mark = (element.findtext("defaultgrade") or "").strip()
    penalty = (element.findtext("penalty") or "").strip()
    question = ParsedQuestion(
        kind=kind,
        name=name or default_name(text),
        text=text,
        text_format=_format(element.find("questiontext")),
        feedback_correct=_text(element, "correctfeedback"),
        feedback_partial=_text(element, "partiallycorrectfeedback"),
        feedback_incorrect=_text(element, "incorrectfeedback"),
        general_feedback=_text(element, "generalfeedback"),
        category=category,
        default_mark=parse_decimal(mark, _("the mark")) if mark else Decimal(1),
        partial_credit=moodle_type != "multichoiceset",
        hints=[_text(hint, ".") for hint in element.findall("hint")],
        penalty=(
            parse_decimal(penalty, _("the penalty")) if penalty else DEFAULT_PENALTY
        ),
        case_sensitive=_flag(element, "usecase", False),
        shuffle_answers=_flag(element, "shuffleanswers", True),
        idnumber=(element.findtext("idnumber") or "").strip(),
        tags=[tag for tag in _tags(element) if tag],
    )
    answers = element.findall("answer")
    if kind in CHOICE_KINDS:
        question.choices = [
            ParsedChoice(_text(a, "."), _fraction(a), _text(a, "feedback"))
            for a in answers
        ]
        if not question.partial_credit:
            _share_all_or_nothing(question.choices)
    elif kind == QuestionKind.TRUE_FALSE:
        question.choices = [_true_false_choice(a) for a in answers]
    elif kind == QuestionKind.SHORT_TEXT:
        _read_short_text(question, answers)
    elif kind == QuestionKind.DESCRIPTION:
        pass
    elif kind == QuestionKind.CLOZE:
        # Moodle works the mark out from the gaps' weights; our own exports
        # write <defaultgrade> too, in case a trainer changed it.
        if not mark:
            question.default_mark = Decimal(total_weight(text))
    elif kind == QuestionKind.ESSAY:
        _read_essay(question, element)
    elif kind == QuestionKind.MATCHING:
        question.pairs = [
            MatchPair(_text(sub, "."), _text(sub, "answer"))
            for sub in element.findall("subquestion")
        ]
    else:
        _read_numeric(question, element, answers)
    question.files = _files(element)
    check_references(question)
    return question


def _read_essay(question: ParsedQuestion, element: ET.Element) -> None:
    lines = (element.findtext("responsefieldlines") or "").strip()
    if lines:
        if not lines.isascii() or not lines.isdigit():
            raise QuestionFormatError(
                fill(
                    _('<responsefieldlines> must be a whole number, not "%(lines)s"'),
                    {"lines": lines},
                )
            )
        question.response_lines = int(lines)
    question.response_template = _text(element, "responsetemplate")
    question.grader_info = _text(element, "graderinfo")


def _files(element: ET.Element) -> dict[str, bytes]:
    """The question's embedded files, by the name its texts refer to."""
    files: dict[str, bytes] = {}
    for holder in element.iter("file"):
        path = (holder.get("path") or "/").strip("/")
        name = f"{path}/{holder.get('name', '')}".strip("/")
        if holder.get("encoding", "base64") != "base64":
            raise QuestionFormatError(
                fill(
                    _('the file "%(name)s" is not written in base64'),
                    {"name": name},
                )
            )
        data = decode_image(name, holder.text or "")
        if files.setdefault(name, data) != data:
            raise QuestionFormatError(
                fill(
                    _('two different files are both named "%(name)s"'),
                    {"name": name},
                )
            )
    return files


def _share_all_or_nothing(choices: list[ParsedChoice]) -> None:
    """The All-or-Nothing plugin marks each right option 100%; here the right
    options share the mark (as our own exports write them, which stay as they are)."""
    right = [choice for choice in choices if choice.fraction > 0]
    if not right or round(sum(choice.fraction for choice in right), 2) == 1:
        return
    share = (Decimal(1) / len(right)).quantize(FRACTION_STEP, rounding=ROUND_DOWN)
    for choice in right:
        choice.fraction = share
    right[-1].fraction = 1 - share * (len(right) - 1)


def _tags(element: ET.Element) -> list[str]:
    return [(tag.text or "").strip() for tag in element.findall("tags/tag/text")]


def _flag(element: ET.Element, tag: str, default: bool) -> bool:
    value = (element.findtext(tag) or "").strip().lower()
    if not value:
        return default
    if value not in _BOOLEANS:
        raise QuestionFormatError(
            fill(
                _('<%(tag)s> must be true or false, not "%(value)s"'),
                {"tag": tag, "value": value},
            )
        )
    return _BOOLEANS[value]


def _fraction(answer: ET.Element) -> Decimal:
    return percent_to_fraction(answer.get("fraction", "0"), _("the answer's fraction"))


def _true_false_choice(answer: ET.Element) -> ParsedChoice:
    text = _text(answer, ".").lower()
    if text not in (TRUE_TEXT, FALSE_TEXT):
        raise QuestionFormatError(
            fill(
                _('a true/false answer must be "true" or "false", not "%(answer)s"'),
                {"answer": text},
            )
        )
    return ParsedChoice(text, _fraction(answer), _text(answer, "feedback"))


def _catch_all(question: ParsedQuestion, answer: ET.Element) -> None:
    """Moodle's ``*`` answer is "any other answer": its feedback is the wrong one."""
    if _fraction(answer) != 0:
        raise QuestionFormatError(_("an answer of * (anything) must be worth 0%"))
    feedback = _text(answer, "feedback")
    if feedback and question.feedback_incorrect:
        raise QuestionFormatError(
            _(
                "the feedback for a wrong answer is given twice "
                "(in <incorrectfeedback> and in a * answer)"
            )
        )
    question.feedback_incorrect = question.feedback_incorrect or feedback


def _read_short_text(question: ParsedQuestion, answers: list[ET.Element]) -> None:
    for answer in answers:
        text, is_catch_all = answer_from_moodle(_text(answer, "."))
        if is_catch_all:
            _catch_all(question, answer)
            continue
        question.text_answers.append(
            TextAnswer(text, _fraction(answer), _text(answer, "feedback"))
        )


def _read_numeric(
    question: ParsedQuestion, element: ET.Element, answers: list[ET.Element]
) -> None:
    units = [
        (unit.findtext("unit_name") or "").strip()
        for unit in element.findall("units/unit")
    ]
    if any(units):
        raise UnsupportedQuestion(
            _("numeric answers with units are not supported"), QuestionKind.NUMERIC
        )
    for answer in answers:
        value = _text(answer, ".")
        if value == "*":
            _catch_all(question, answer)
            continue
        tolerance = (answer.findtext("tolerance") or "").strip()
        question.numeric_answers.append(
            NumericAnswer(
                value=parse_decimal(value, _("the numeric answer")),
                tolerance=(
                    parse_decimal(tolerance, _("the tolerance"))
                    if tolerance
                    else Decimal(0)
                ),
                fraction=_fraction(answer),
                feedback=_text(answer, "feedback"),
            )
        )


# Writing.

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def to_moodle_xml(
    questions: Iterable[ParsedQuestion],
    category_descriptions: Mapping[str, str] | None = None,
) -> bytes:
    """Write ``questions`` as Moodle XML, which ``parse_moodle_xml`` reads back.

    ``category_descriptions`` gives the ``<info>`` of a category path.

    Everything the model holds fits. Moodle itself ignores the whole-response
    feedback of true/false, short-text and numeric questions, except the wrong-answer
    feedback of the last two, which is written as Moodle's ``*`` answer.
    """
    quiz = ET.Element("quiz")
    questions = list(questions)
    descriptions = category_descriptions or {}

    def add_category(path: str) -> None:
        holder = ET.SubElement(quiz, "question", type="category")
        _add_text(ET.SubElement(holder, "category"), path)
        if description := descriptions.get(path):
            _add_formatted(holder, "info", description, TextFormat.HTML)

    # Described categories holding no question themselves (such as a parent).
    used = {question.category for question in questions}
    for path in sorted(set(descriptions) - used):
        add_category(path)
    category: str | None = None
    for number, question in enumerate(questions, start=1):
        try:
            validate_question(question)
            if question.category != category:
                category = question.category
                add_category(category)
            _write_question(ET.SubElement(quiz, "question"), question)
        except QuestionFormatError as error:
            raise error.located(question=question.name, number=number) from None
    ET.indent(quiz)
    return ET.tostring(quiz, encoding="UTF-8", xml_declaration=True) + b"\n"


def _add_text(parent: ET.Element, text: str) -> ET.Element:
    if match := _NOT_XML.search(text):
        raise QuestionFormatError(
            fill(
                _(
                    "the text holds a control character (U+%(code)s) "
                    "that XML cannot carry"
                ),
                {"code": f"{ord(match.group()):04X}"},
            )
        )
    ET.SubElement(parent, "text").text = text
    return parent


def _add_formatted(
    parent: ET.Element, tag: str, text: str, text_format: TextFormat
) -> ET.Element:
    element = ET.SubElement(parent, tag, format=_FORMAT_NAMES[text_format])
    return _add_text(element, text)


def _add_answer(
    parent: ET.Element,
    fraction: Decimal,
    text: str,
    feedback: str,
    text_format: TextFormat,
) -> ET.Element:
    answer = ET.SubElement(
        parent,
        "answer",
        fraction=fraction_to_percent(fraction),
        format=_FORMAT_NAMES[text_format],
    )
    _add_text(answer, text)
    _add_formatted(answer, "feedback", feedback, text_format)
    return answer


def _write_question(element: ET.Element, question: ParsedQuestion) -> None:
    text_format = question.text_format
    moodle_type = _TYPE_NAMES[QuestionKind(question.kind)]
    all_or_nothing = (
        question.kind == QuestionKind.MULTIPLE_CHOICE and not question.partial_credit
    )
    element.set("type", "multichoiceset" if all_or_nothing else moodle_type)
    _add_text(ET.SubElement(element, "name"), question.name)
    _add_formatted(element, "questiontext", question.text, text_format)
    _add_formatted(element, "generalfeedback", question.general_feedback, text_format)
    ET.SubElement(element, "defaultgrade").text = decimal_text(question.default_mark)
    ET.SubElement(element, "penalty").text = decimal_text(question.penalty)
    ET.SubElement(element, "hidden").text = "0"
    _add_text_element(element, "idnumber", question.idnumber)
    shuffle = "true" if question.shuffle_answers else "false"
    whole_feedback = [
        ("correctfeedback", question.feedback_correct),
        ("partiallycorrectfeedback", question.feedback_partial),
    ]
    if question.kind in CHOICE_KINDS:
        single = question.kind == QuestionKind.SINGLE_CHOICE
        if not all_or_nothing:
            ET.SubElement(element, "single").text = "true" if single else "false"
        ET.SubElement(element, "shuffleanswers").text = shuffle
        ET.SubElement(element, "answernumbering").text = "abc"
    if question.kind in (QuestionKind.MATCHING, QuestionKind.TRUE_FALSE):
        # Moodle shuffles neither true/false nor anything without the flag; we
        # keep the flag wherever a trainer may have set it.
        ET.SubElement(element, "shuffleanswers").text = shuffle
    if question.kind in CHOICE_KINDS or question.kind in (
        QuestionKind.TRUE_FALSE,
        QuestionKind.MATCHING,
        QuestionKind.CLOZE,  # Moodle ignores it there; kept for our own banks
    ):
        whole_feedback.append(("incorrectfeedback", question.feedback_incorrect))
    for tag, text in whole_feedback:
        if text or question.kind in CHOICE_KINDS:
            _add_formatted(element, tag, text, text_format)
    for pair in question.pairs:
        sub = _add_formatted(element, "subquestion", pair.text, text_format)
        _add_text(ET.SubElement(sub, "answer"), pair.answer)

    if question.kind == QuestionKind.ESSAY:
        _write_essay(element, question)
    if question.kind in CHOICE_KINDS or question.kind == QuestionKind.TRUE_FALSE:
        for choice in question.choices:
            _add_answer(
                element, choice.fraction, choice.text, choice.feedback, text_format
            )
    elif question.kind == QuestionKind.SHORT_TEXT:
        ET.SubElement(element, "usecase").text = "1" if question.case_sensitive else "0"
        for answer in question.text_answers:
            _add_answer(
                element,
                answer.fraction,
                answer_to_moodle(answer.text),
                answer.feedback,
                text_format,
            )
    elif question.kind == QuestionKind.NUMERIC:
        for numeric in question.numeric_answers:
            written = _add_answer(
                element,
                numeric.fraction,
                decimal_text(numeric.value),
                numeric.feedback,
                text_format,
            )
            ET.SubElement(written, "tolerance").text = decimal_text(numeric.tolerance)
    if question.kind in (QuestionKind.SHORT_TEXT, QuestionKind.NUMERIC):
        if question.feedback_incorrect:
            _add_answer(
                element, Decimal(0), "*", question.feedback_incorrect, text_format
            )
    for hint in question.hints:
        _add_formatted(element, "hint", hint, text_format)
    if question.tags:
        tags = ET.SubElement(element, "tags")
        for tag in question.tags:
            _add_text(ET.SubElement(tags, "tag"), tag)
    _attach_files(element, question.files)


def _attach_files(element: ET.Element, files: Mapping[str, bytes]) -> None:
    """Put each image in every element whose text refers to it, as Moodle does."""
    if not files:
        return
    holders = [holder for holder in element.iter() if holder.find("text") is not None]
    for holder in holders:
        for name in referenced_names(holder.findtext("text") or ""):
            path, _slash, base = name.rpartition("/")
            file = ET.SubElement(
                holder,
                "file",
                name=base,
                path=f"/{path}/" if path else "/",
                encoding="base64",
            )
            file.text = base64.b64encode(files[name]).decode("ascii")


def _add_text_element(parent: ET.Element, tag: str, text: str) -> None:
    if match := _NOT_XML.search(text):
        raise QuestionFormatError(
            fill(
                _(
                    "the text holds a control character (U+%(code)s) "
                    "that XML cannot carry"
                ),
                {"code": f"{ord(match.group()):04X}"},
            )
        )
    ET.SubElement(parent, tag).text = text


def _write_essay(element: ET.Element, question: ParsedQuestion) -> None:
    """Moodle's essay settings for a plain-text box without attachments."""
    for tag, value in (
        ("responseformat", "plain"),
        ("responserequired", "1"),
        ("responsefieldlines", str(question.response_lines)),
        ("attachments", "0"),
        ("attachmentsrequired", "0"),
    ):
        ET.SubElement(element, tag).text = value
    _add_formatted(element, "graderinfo", question.grader_info, question.text_format)
    _add_formatted(
        element, "responsetemplate", question.response_template, TextFormat.PLAIN
    )
