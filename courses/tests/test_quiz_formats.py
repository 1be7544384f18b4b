import pickle
from decimal import Decimal

import pytest
from django.utils import translation

from courses.quiz_formats import (
    CSV_COLUMNS,
    CSV_TEMPLATE,
    CSV_TEMPLATE_HEADER,
    NumericAnswer,
    ParsedChoice,
    ParsedQuestion,
    QuestionFormatError,
    QuestionKind,
    TextAnswer,
    TextFormat,
    decode_text,
    parse_csv,
    parse_gift,
    parse_moodle_xml,
    to_gift,
    to_moodle_xml,
    validate_question,
)

D = Decimal

GIFT_BANK = r"""// Question bank for NTTP Module 1, written by hand the way trainers do.
// Lines starting with // are comments.

$CATEGORY: $course$/top/NTTP/Module 1

::Capital:: What is the capital of Pakistan? {
	=Islamabad#Right, Islamabad has been the capital since 1967.
	~Karachi#Karachi was the first capital.
	~Lahore
}

::دارالحکومت:: پاکستان کا دارالحکومت کون سا شہر ہے؟ {
	=اسلام آباد#درست!
	~کراچی#کراچی پہلا دارالحکومت تھا۔
	~لاہور
	####اسلام آباد ۱۹۶۷ سے دارالحکومت ہے۔
}

::Provinces:: Which of these are provinces of Pakistan? {
	~%50%Punjab
	~%50%Sindh
	// A comment inside a question does not end it.
	~%-100%Lahore#Lahore is a city.
}

::صوبے:: ان میں سے کون سے صوبے ہیں؟ {
	~%33.33333%پنجاب
	~%33.33333%سندھ
	~%33.33334%بلوچستان
	~%-100%کراچی#کراچی ایک شہر ہے۔
}

::Bloom:: The revised Bloom's taxonomy has six levels.{T}

::Flat earth:: The Earth is flat.{FALSE#Look at a photo from space.#Right: it is round.}

::قومی زبان:: اردو پاکستان کی قومی زبان ہے۔{
	TRUE#قومی زبان اردو ہی ہے۔#شاباش!
	####آئین کی دفعہ ۲۵۱ دیکھیں۔
}

::Pi:: What is pi to two decimal places?{#3.14:0.005}

::Range:: Give a whole number from 1 to 5.{#1..5}

::Independence:: In which year did Pakistan become independent?{#
	=1947:0#Correct.
	=%50%1947:2#Close, but not exact.
	~#See the history notes.
}

::Teacher:: What is "استاد" in English?{
	=teacher
	=%50%tutor#A tutor teaches too, but not in school.
	=%0%*#Think of who teaches in a school.
}

::اساتذہ:: "Teacher" کو اردو میں کیا کہتے ہیں؟{=استاد =معلم =ٹیچر}

Lahore is the capital of {~Sindh =Punjab ~Balochistan} province.

What is 2 + 2?{=4 ~3 ~5}

$CATEGORY: $course$/top/NTTP/Module 2

::Braces:: In GIFT, what wraps the answers\: \{ and \}?{
	=Curly braces \{\}#Yes, \{ opens and \} closes.
	~Square brackets
	~Equals \= signs
}

::Two lines:: First line\nsecond line.{T}

::Backslash:: Windows paths use \\ between folders.{TRUE}

::HTML::[html]<p>Which tag makes <b>bold</b> text?</p>{
	=&lt;b&gt;
	~&lt;i&gt;
}

::Markdown::[markdown]Is **this** bold?{T}

::Plain::[plain]Is 5 < 6?{TRUE}

::Negative:: What is 3 - 10?{#-7}

::Classroom:: Which are good ways to check understanding? {
	~%50%Ask open questions#Yes.
	~%50%Use exit tickets
	~%-50%Only ask "any questions?"
	~%-50%Wait for the test
}
"""

MODULE_1 = "$course$/top/NTTP/Module 1"
MODULE_2 = "$course$/top/NTTP/Module 2"


@pytest.fixture
def gift_questions():
    return parse_gift(GIFT_BANK)


def by_name(questions):
    return {question.name: question for question in questions}


def test_gift_bank_is_read_whole_in_order(gift_questions):
    assert [(q.name, q.kind) for q in gift_questions] == [
        ("Capital", "single_choice"),
        ("دارالحکومت", "single_choice"),
        ("Provinces", "multiple_choice"),
        ("صوبے", "multiple_choice"),
        ("Bloom", "true_false"),
        ("Flat earth", "true_false"),
        ("قومی زبان", "true_false"),
        ("Pi", "numeric"),
        ("Range", "numeric"),
        ("Independence", "numeric"),
        ("Teacher", "short_text"),
        ("اساتذہ", "short_text"),
        ("Lahore is the capital of _____ province.", "single_choice"),
        ("What is 2 + 2?", "single_choice"),
        ("Braces", "single_choice"),
        ("Two lines", "true_false"),
        ("Backslash", "true_false"),
        ("HTML", "single_choice"),
        ("Markdown", "true_false"),
        ("Plain", "true_false"),
        ("Negative", "numeric"),
        ("Classroom", "multiple_choice"),
    ]


def test_gift_categories_apply_to_the_questions_after_them(gift_questions):
    categories = [q.category for q in gift_questions]
    assert categories == [MODULE_1] * 14 + [MODULE_2] * 8


def test_gift_single_choice_with_feedback(gift_questions):
    capital = gift_questions[0]
    assert capital == ParsedQuestion(
        kind=QuestionKind.SINGLE_CHOICE,
        name="Capital",
        text="What is the capital of Pakistan?",
        text_format=TextFormat.MOODLE,
        choices=[
            ParsedChoice(
                "Islamabad", D(1), "Right, Islamabad has been the capital since 1967."
            ),
            ParsedChoice("Karachi", D(0), "Karachi was the first capital."),
            ParsedChoice("Lahore", D(0), ""),
        ],
        category=MODULE_1,
    )


def test_gift_urdu_question_with_general_feedback(gift_questions):
    question = by_name(gift_questions)["دارالحکومت"]
    assert question.text == "پاکستان کا دارالحکومت کون سا شہر ہے؟"
    assert question.choices == [
        ParsedChoice("اسلام آباد", D(1), "درست!"),
        ParsedChoice("کراچی", D(0), "کراچی پہلا دارالحکومت تھا۔"),
        ParsedChoice("لاہور", D(0), ""),
    ]
    assert question.general_feedback == "اسلام آباد ۱۹۶۷ سے دارالحکومت ہے۔"


def test_gift_multiple_choice_weights(gift_questions):
    questions = by_name(gift_questions)
    assert [
        (c.text, c.fraction, c.feedback) for c in questions["Provinces"].choices
    ] == [
        ("Punjab", D("0.5"), ""),
        ("Sindh", D("0.5"), ""),
        ("Lahore", D(-1), "Lahore is a city."),
    ]
    assert [c.fraction for c in questions["صوبے"].choices] == [
        D("0.3333333"),
        D("0.3333333"),
        D("0.3333334"),
        D(-1),
    ]


def test_gift_true_false_feedback_goes_wrong_then_right(gift_questions):
    questions = by_name(gift_questions)
    bloom = questions["Bloom"]
    assert bloom.correct_choice is True
    assert bloom.choices == [
        ParsedChoice("true", D(1), ""),
        ParsedChoice("false", D(0), ""),
    ]
    flat = questions["Flat earth"]
    assert flat.correct_choice is False
    # {FALSE#shown for a wrong answer#shown for the right one}
    assert flat.choices == [
        ParsedChoice("true", D(0), "Look at a photo from space."),
        ParsedChoice("false", D(1), "Right: it is round."),
    ]
    urdu = questions["قومی زبان"]
    assert urdu.correct_choice is True
    assert urdu.choices == [
        ParsedChoice("true", D(1), "شاباش!"),
        ParsedChoice("false", D(0), "قومی زبان اردو ہی ہے۔"),
    ]
    assert urdu.general_feedback == "آئین کی دفعہ ۲۵۱ دیکھیں۔"


def test_gift_numeric_answers(gift_questions):
    questions = by_name(gift_questions)
    assert questions["Pi"].numeric_answers == [NumericAnswer(D("3.14"), D("0.005"))]
    # A range min..max is kept as its middle and half its width.
    assert questions["Range"].numeric_answers == [NumericAnswer(D(3), D(2))]
    assert questions["Negative"].numeric_answers == [NumericAnswer(D(-7), D(0))]
    independence = questions["Independence"]
    assert independence.numeric_answers == [
        NumericAnswer(D(1947), D(0), D(1), "Correct."),
        NumericAnswer(D(1947), D(2), D("0.5"), "Close, but not exact."),
    ]
    assert independence.feedback_incorrect == "See the history notes."


def test_gift_short_text_answers(gift_questions):
    questions = by_name(gift_questions)
    teacher = questions["Teacher"]
    assert teacher.text == 'What is "استاد" in English?'
    assert teacher.text_answers == [
        TextAnswer("teacher", D(1), ""),
        TextAnswer("tutor", D("0.5"), "A tutor teaches too, but not in school."),
    ]
    assert teacher.feedback_incorrect == "Think of who teaches in a school."
    assert teacher.accepted_texts == ["teacher", "tutor"]
    assert questions["اساتذہ"].accepted_texts == ["استاد", "معلم", "ٹیچر"]


def test_gift_missing_word_and_unnamed_questions(gift_questions):
    missing_word = gift_questions[12]
    assert missing_word.text == "Lahore is the capital of _____ province."
    assert [c.text for c in missing_word.choices if c.fraction == 1] == ["Punjab"]
    assert gift_questions[13].name == gift_questions[13].text == "What is 2 + 2?"


def test_gift_escapes_become_literal_characters(gift_questions):
    questions = by_name(gift_questions)
    braces = questions["Braces"]
    assert braces.text == "In GIFT, what wraps the answers: { and }?"
    assert braces.choices == [
        ParsedChoice("Curly braces {}", D(1), "Yes, { opens and } closes."),
        ParsedChoice("Square brackets", D(0), ""),
        ParsedChoice("Equals = signs", D(0), ""),
    ]
    assert questions["Two lines"].text == "First line\nsecond line."
    assert questions["Backslash"].text == "Windows paths use \\ between folders."


def test_gift_format_markers(gift_questions):
    questions = by_name(gift_questions)
    html = questions["HTML"]
    assert html.text_format == TextFormat.HTML
    assert html.text == "<p>Which tag makes <b>bold</b> text?</p>"
    assert [c.text for c in html.choices] == ["&lt;b&gt;", "&lt;i&gt;"]
    assert questions["Markdown"].text_format == TextFormat.MARKDOWN
    assert questions["Markdown"].text == "Is **this** bold?"
    assert questions["Plain"].text_format == TextFormat.PLAIN
    assert questions["Plain"].text == "Is 5 < 6?"
    assert questions["Capital"].text_format == TextFormat.MOODLE


def test_gift_tolerates_bom_and_windows_line_endings():
    text = "\ufeff// comment\r\n\r\n::Q::سوال؟{T}\r\n\r\n::R::Next?{=a ~b}\r\n"
    questions = parse_gift(text)
    assert [(q.name, q.text) for q in questions] == [("Q", "سوال؟"), ("R", "Next?")]


def test_gift_round_trip(gift_questions):
    written = to_gift(gift_questions)
    assert parse_gift(written) == gift_questions
    assert to_gift(parse_gift(written)) == written


def test_gift_bank_round_trips_through_moodle_xml(gift_questions):
    assert parse_moodle_xml(to_moodle_xml(gift_questions)) == gift_questions


def test_gift_writer_escapes_special_characters():
    question = ParsedQuestion(
        kind=QuestionKind.SHORT_TEXT,
        name="Specials: {~=#}",
        text="Type 2*3 = ? # or {x}\nthen // this",
        text_answers=[TextAnswer("2*3", D(1), "a \\ backslash"), TextAnswer("6")],
        feedback_incorrect="Try: 2*3",
    )
    written = to_gift([question])
    assert "\n\n" not in written.strip()  # a raw line break would end the question
    assert parse_gift(written) == [question]


def test_gift_single_choice_with_several_full_mark_options_stays_single_choice():
    question = ParsedQuestion(
        kind=QuestionKind.SINGLE_CHOICE,
        name="Either",
        text="Name a province capital.",
        choices=[ParsedChoice("Lahore", D(1)), ParsedChoice("Quetta", D(1))],
    )
    assert parse_gift(to_gift([question])) == [question]


# GIFT faults: the line and question of the first fault, and nothing returned.


def gift_error(text: str) -> QuestionFormatError:
    with pytest.raises(QuestionFormatError) as caught:
        parse_gift(text)
    return caught.value


def test_gift_unclosed_brace_names_its_line():
    text = "::One:: First?{T}\n\n::Two:: Second?\n{\n=a\n~b\n\n::Three:: Third?{F}\n"
    error = gift_error(text)
    assert (error.line, error.question, error.number) == (4, "Two", 2)
    assert "'{' is not closed" in error.message
    assert str(error).startswith('line 4, question 2, "Two": ')


def test_gift_closing_brace_without_opening():
    error = gift_error("::Q:: Oops } here {T}\n")
    assert error.line == 1
    assert "'}' has no '{'" in error.message


def test_gift_two_questions_without_a_blank_line_between():
    error = gift_error("::A:: One?{T}\n::B:: Two?{F}\n")
    assert error.line == 2
    assert "only one answer block" in error.message


def test_gift_choice_question_without_a_right_answer():
    text = "::Fine:: Good?{T}\n\n// next\n::No answer:: Which?{\n~a\n~b\n}\n"
    error = gift_error(text)
    assert (error.line, error.question) == (4, "No answer")
    assert "no option is marked correct" in error.message


def test_gift_multiple_choice_weights_must_add_up():
    error = gift_error("::Half:: Pick{~%50%a ~%25%b ~c}")
    assert "add up to 75%" in error.message


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("{#abc}", '"abc" is not a number'),
        ("{#3,14}", '"3,14" is not a number'),
        ("{#1..x}", '"x" is not a number'),
        ("{#5..1}", "runs backwards"),
        ("{#3.14:abc}", 'tolerance "abc" is not a number'),
    ],
)
def test_gift_bad_numeric_answer(answer, message):
    error = gift_error(f"::Ok:: Fine?{{T}}\n\n::Number::\nHow many?\n{answer}\n")
    assert (error.line, error.question) == (5, "Number")
    assert message in error.message


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("::Star:: Any word?{=teach*}", "wildcard"),
    ],
)
def test_gift_unsupported_question_types_are_refused(question, message):
    error = gift_error(f"::Ok:: Fine?{{T}}\n\n{question}\n")
    assert (error.line, error.question) == (3, question[2:].split("::")[0])
    assert message in error.message


def test_gift_weight_out_of_range():
    error = gift_error("::W:: Pick{\n=a\n~%150%b\n}")
    assert error.line == 3
    assert "150%" in error.message


def test_gift_equals_with_a_weight_is_refused():
    error = gift_error("::W:: Pick{=%50%a ~b}")
    assert "write ~%50%" in error.message


def test_gift_unclosed_name():
    error = gift_error("\n\n::Name without end What?{T}")
    assert error.line == 3
    assert "not closed with ::" in error.message


def test_gift_wildcard_short_answers_are_refused():
    error = gift_error("::Star:: Any word?{=teach*}")
    assert "wildcard" in error.message
    error = gift_error("::Star:: Any word?{=teacher =%100%*#anything}")
    assert "must be worth 0%" in error.message


def test_gift_file_without_questions_is_refused():
    assert "no questions" in gift_error("// only a comment\n\n$CATEGORY: x\n").message


def test_gift_keeps_in_comments_what_its_syntax_cannot_hold():
    question = ParsedQuestion(
        kind=QuestionKind.TRUE_FALSE,
        name="Marked",
        text="Worth two?",
        choices=[ParsedChoice("true", D(1)), ParsedChoice("false", D(0))],
        default_mark=D(2),
        feedback_correct="Well done",
        feedback_incorrect="Read lesson 2\nagain",
        feedback_partial="unused",
        hints=["Think of lesson 2", "<b>Really</b>"],
        penalty=D("0.5"),
        shuffle_answers=False,
        idnumber="TF-1]",
        tags=["unit 1", "rules"],
    )
    written = to_gift([question])
    # Moodle's own syntax where it has one: the answer block's feedback (which
    # Moodle shows), idnumber and tags; the rest in one "// lms:" comment.
    assert "{\n\tTRUE#Read lesson 2\\nagain#Well done\n}" in written
    assert "// [id:TF-1\\]] [tag:unit 1] [tag:rules]\n" in written
    assert '// lms:{"points":"2","true_false_feedback":"question"' in written
    assert parse_gift(written) == [question]


def test_gift_comments_with_bad_settings_refuse_the_file_naming_the_line():
    error = gift_error('::A::Q? {T}\n\n// lms:{"points": 2}\n::B::Q? {T}\n')
    assert error.line == 3 and "wrong type" in str(error.message)
    error = gift_error("// lms:{nope\n::B::Q? {T}\n")
    assert error.line == 1 and "not valid JSON" in str(error.message)
    error = gift_error('// lms:{"colour":"red"}\n::B::Q? {T}\n')
    assert '"colour" is not a setting' in str(error.message)
    error = gift_error('// lms:{"penalty":"2"}\n::B::Q? {T}\n')
    assert "penalty 200%" in str(error.message)
    # An ordinary comment is only a comment.
    [question] = parse_gift("// points: 5 [not a tag]\n::B::Q? {T}\n")
    assert (question.default_mark, question.tags) == (D(1), [])


# Moodle XML.

MOODLE_XML_BANK = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<!-- question: 0  -->
  <question type="category">
    <category>
      <text>$course$/top/Classroom</text>
    </category>
    <info format="html">
      <text></text>
    </info>
    <idnumber></idnumber>
  </question>

<!-- question: 101  -->
  <question type="multichoice">
    <name>
      <text>Capital</text>
    </name>
    <questiontext format="html">
      <text><![CDATA[<p>What is the capital of <b>Pakistan</b>?</p>]]></text>
    </questiontext>
    <generalfeedback format="html">
      <text><![CDATA[<p>Islamabad since 1967.</p>]]></text>
    </generalfeedback>
    <defaultgrade>2.0000000</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <idnumber></idnumber>
    <single>true</single>
    <shuffleanswers>true</shuffleanswers>
    <answernumbering>abc</answernumbering>
    <showstandardinstruction>0</showstandardinstruction>
    <correctfeedback format="html">
      <text>Your answer is correct.</text>
    </correctfeedback>
    <partiallycorrectfeedback format="html">
      <text>Your answer is partially correct.</text>
    </partiallycorrectfeedback>
    <incorrectfeedback format="html">
      <text>Your answer is incorrect.</text>
    </incorrectfeedback>
    <shownumcorrect/>
    <answer fraction="100" format="html">
      <text><![CDATA[<p>Islamabad</p>]]></text>
      <feedback format="html">
        <text>Right.</text>
      </feedback>
    </answer>
    <answer fraction="0" format="html">
      <text><![CDATA[<p>Karachi</p>]]></text>
      <feedback format="html">
        <text>The first capital.</text>
      </feedback>
    </answer>
    <answer fraction="0" format="html">
      <text><![CDATA[<p>Lahore</p>]]></text>
      <feedback format="html">
        <text></text>
      </feedback>
    </answer>
  </question>

  <question type="multichoice">
    <name><text>دارالحکومت</text></name>
    <questiontext format="html">
      <text>پاکستان کا دارالحکومت کون سا شہر ہے؟</text>
    </questiontext>
    <generalfeedback format="html"><text></text></generalfeedback>
    <defaultgrade>1.0000000</defaultgrade>
    <single>true</single>
    <correctfeedback format="html"><text>شاباش!</text></correctfeedback>
    <partiallycorrectfeedback format="html"><text></text></partiallycorrectfeedback>
    <incorrectfeedback format="html"><text>دوبارہ کوشش کریں۔</text></incorrectfeedback>
    <answer fraction="100">
      <text>اسلام آباد</text>
      <feedback><text>درست</text></feedback>
    </answer>
    <answer fraction="0"><text>کراچی</text><feedback><text></text></feedback></answer>
    <answer fraction="0"><text>لاہور</text><feedback><text></text></feedback></answer>
  </question>

  <question type="multichoice">
    <name><text>Provinces</text></name>
    <questiontext format="moodle_auto_format">
      <text>Which are provinces?</text>
    </questiontext>
    <single>false</single>
    <answer fraction="50"><text>Punjab</text></answer>
    <answer fraction="50"><text>Sindh</text></answer>
    <answer fraction="-100">
      <text>Lahore</text>
      <feedback><text>A city.</text></feedback>
    </answer>
  </question>

  <question type="multichoice">
    <name><text>صوبے</text></name>
    <questiontext format="plain_text">
      <text>ان میں سے کون سے صوبے ہیں؟</text>
    </questiontext>
    <single>false</single>
    <answer fraction="33.33333"><text>پنجاب</text></answer>
    <answer fraction="33.33333"><text>سندھ</text></answer>
    <answer fraction="33.33333"><text>بلوچستان</text></answer>
    <answer fraction="-50"><text>کراچی</text></answer>
    <answer fraction="-50"><text>لاہور</text></answer>
  </question>

  <question type="truefalse">
    <name><text>Bloom</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>Bloom's taxonomy has six levels.</p>]]></text>
    </questiontext>
    <generalfeedback format="html"><text></text></generalfeedback>
    <defaultgrade>1.0000000</defaultgrade>
    <penalty>1.0000000</penalty>
    <hidden>0</hidden>
    <answer fraction="100" format="moodle_auto_format">
      <text>true</text>
      <feedback format="html"><text>Yes: remember to create.</text></feedback>
    </answer>
    <answer fraction="0" format="moodle_auto_format">
      <text>false</text>
      <feedback format="html"><text>It has six.</text></feedback>
    </answer>
  </question>

  <question type="truefalse">
    <name><text>زمین</text></name>
    <questiontext format="html"><text>زمین چپٹی ہے۔</text></questiontext>
    <answer fraction="0"><text>true</text><feedback><text>غلط</text></feedback></answer>
    <answer fraction="100">
      <text>false</text>
      <feedback><text>درست</text></feedback>
    </answer>
  </question>

  <question type="truefalse">
    <name><text>Old export</text></name>
    <questiontext><text>Older Moodle wrote True and False.</text></questiontext>
    <answer fraction="100"><text>True</text></answer>
    <answer fraction="0"><text>False</text></answer>
  </question>

  <question type="shortanswer">
    <name><text>Teacher</text></name>
    <questiontext format="html"><text>What is "استاد" in English?</text></questiontext>
    <generalfeedback format="html"><text></text></generalfeedback>
    <defaultgrade>1.0000000</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <usecase>0</usecase>
    <answer fraction="100" format="moodle_auto_format">
      <text>teacher</text>
      <feedback format="html"><text>Yes.</text></feedback>
    </answer>
    <answer fraction="50" format="moodle_auto_format">
      <text>tutor</text>
      <feedback format="html"><text>Close.</text></feedback>
    </answer>
    <answer fraction="0" format="moodle_auto_format">
      <text>*</text>
      <feedback format="html"><text>Think of schools.</text></feedback>
    </answer>
  </question>

  <question type="shortanswer">
    <name><text>اساتذہ</text></name>
    <questiontext><text>"Teacher" کو اردو میں کیا کہتے ہیں؟</text></questiontext>
    <answer fraction="100"><text>استاد</text></answer>
    <answer fraction="100"><text>معلم</text></answer>
  </question>

  <question type="shortanswer">
    <name><text>Multiply</text></name>
    <questiontext><text>Which symbol multiplies in a spreadsheet?</text></questiontext>
    <answer fraction="100"><text>\\*</text></answer>
  </question>

  <question type="numerical">
    <name><text>Independence</text></name>
    <questiontext format="html">
      <text>In which year did Pakistan become independent?</text>
    </questiontext>
    <generalfeedback format="html"><text></text></generalfeedback>
    <defaultgrade>1.0000000</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <answer fraction="100" format="moodle_auto_format">
      <text>1947</text>
      <feedback format="html"><text>Correct.</text></feedback>
      <tolerance>0</tolerance>
    </answer>
    <answer fraction="50" format="moodle_auto_format">
      <text>1947</text>
      <feedback format="html"><text>Close.</text></feedback>
      <tolerance>2</tolerance>
    </answer>
    <answer fraction="0" format="moodle_auto_format">
      <text>*</text>
      <feedback format="html"><text>See the notes.</text></feedback>
      <tolerance>0</tolerance>
    </answer>
    <unitgradingtype>0</unitgradingtype>
    <unitpenalty>0.1000000</unitpenalty>
    <showunits>3</showunits>
    <unitsleft>0</unitsleft>
  </question>

  <question type="numerical">
    <name><text>کلاس</text></name>
    <questiontext><text>ایک کلاس میں ۳۰ طلبہ ہیں، آدھے کتنے ہوئے؟</text></questiontext>
    <answer fraction="100"><text>15</text></answer>
  </question>

  <question type="numerical">
    <name><text>Temperature</text></name>
    <questiontext><text>Skardu at night in January, in degrees?</text></questiontext>
    <answer fraction="100"><text>-12.5</text><tolerance>2.5</tolerance></answer>
  </question>

<!-- question: 0  -->
  <question type="category">
    <category>
      <text>$course$/top/Classroom/اردو</text>
    </category>
  </question>

  <question type="multichoice">
    <name><text>Markdown</text></name>
    <questiontext format="markdown"><text>Which is **bold**?</text></questiontext>
    <answer fraction="100"><text>**this**</text></answer>
    <answer fraction="0"><text>_this_</text></answer>
  </question>

  <question type="multichoice">
    <name><text>Partial</text></name>
    <questiontext><text>Best way to start a lesson?</text></questiontext>
    <single>1</single>
    <answer fraction="100"><text>A question</text></answer>
    <answer fraction="50"><text>A recap</text></answer>
    <answer fraction="0"><text>Silence</text></answer>
  </question>

  <question type="multichoice">
    <name><text></text></name>
    <questiontext><text>A question without a name?</text></questiontext>
    <answer fraction="100"><text>Yes</text></answer>
    <answer fraction="0"><text>No</text></answer>
  </question>

  <question type="truefalse">
    <name><text>General</text></name>
    <questiontext><text>Feedback helps learning.</text></questiontext>
    <generalfeedback><text>Hattie ranks it highly.</text></generalfeedback>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>
  </question>

  <question type="shortanswer">
    <name><text>Province of Lahore</text></name>
    <questiontext><text>Which province is Lahore in?</text></questiontext>
    <answer fraction="100"><text>Punjab</text></answer>
    <answer fraction="100"><text>پنجاب</text></answer>
  </question>

  <question type="numerical">
    <name><text>Pi</text></name>
    <questiontext><text>Pi to two places?</text></questiontext>
    <answer fraction="100"><text>3.14</text><tolerance>0.005</tolerance></answer>
  </question>

  <question type="multichoice">
    <name><text>Mark with entity &amp; escape</text></name>
    <questiontext format="html"><text>&lt;p&gt;5 &gt; 3?&lt;/p&gt;</text></questiontext>
    <defaultgrade>0.5</defaultgrade>
    <answer fraction="100"><text>Yes</text></answer>
    <answer fraction="0"><text>No</text></answer>
  </question>

  <question type="truefalse">
    <name><text>اعتماد</text></name>
    <questiontext>
      <text>اچھا استاد سوال پوچھنے کی حوصلہ افزائی کرتا ہے۔</text>
    </questiontext>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>
  </question>
</quiz>
""".encode()

CLASSROOM = "$course$/top/Classroom"
CLASSROOM_URDU = "$course$/top/Classroom/اردو"


@pytest.fixture
def xml_questions():
    return parse_moodle_xml(MOODLE_XML_BANK)


def test_moodle_xml_bank_is_read_whole_in_order(xml_questions):
    assert [(q.name, q.kind, q.category) for q in xml_questions] == [
        ("Capital", "single_choice", CLASSROOM),
        ("دارالحکومت", "single_choice", CLASSROOM),
        ("Provinces", "multiple_choice", CLASSROOM),
        ("صوبے", "multiple_choice", CLASSROOM),
        ("Bloom", "true_false", CLASSROOM),
        ("زمین", "true_false", CLASSROOM),
        ("Old export", "true_false", CLASSROOM),
        ("Teacher", "short_text", CLASSROOM),
        ("اساتذہ", "short_text", CLASSROOM),
        ("Multiply", "short_text", CLASSROOM),
        ("Independence", "numeric", CLASSROOM),
        ("کلاس", "numeric", CLASSROOM),
        ("Temperature", "numeric", CLASSROOM),
        ("Markdown", "single_choice", CLASSROOM_URDU),
        ("Partial", "single_choice", CLASSROOM_URDU),
        ("A question without a name?", "single_choice", CLASSROOM_URDU),
        ("General", "true_false", CLASSROOM_URDU),
        ("Province of Lahore", "short_text", CLASSROOM_URDU),
        ("Pi", "numeric", CLASSROOM_URDU),
        ("Mark with entity & escape", "single_choice", CLASSROOM_URDU),
        ("اعتماد", "true_false", CLASSROOM_URDU),
    ]


def test_moodle_xml_multichoice_with_all_feedback(xml_questions):
    assert xml_questions[0] == ParsedQuestion(
        kind=QuestionKind.SINGLE_CHOICE,
        name="Capital",
        text="<p>What is the capital of <b>Pakistan</b>?</p>",
        text_format=TextFormat.HTML,
        choices=[
            ParsedChoice("<p>Islamabad</p>", D(1), "Right."),
            ParsedChoice("<p>Karachi</p>", D(0), "The first capital."),
            ParsedChoice("<p>Lahore</p>", D(0), ""),
        ],
        feedback_correct="Your answer is correct.",
        feedback_partial="Your answer is partially correct.",
        feedback_incorrect="Your answer is incorrect.",
        general_feedback="<p>Islamabad since 1967.</p>",
        category=CLASSROOM,
        default_mark=D(2),
    )


def test_moodle_xml_urdu_and_multiple_answers(xml_questions):
    urdu = xml_questions[1]
    assert urdu.text == "پاکستان کا دارالحکومت کون سا شہر ہے؟"
    assert urdu.choices[0] == ParsedChoice("اسلام آباد", D(1), "درست")
    assert (urdu.feedback_correct, urdu.feedback_incorrect) == (
        "شاباش!",
        "دوبارہ کوشش کریں۔",
    )
    assert [c.fraction for c in xml_questions[2].choices] == [
        D("0.5"),
        D("0.5"),
        D(-1),
    ]
    assert xml_questions[3].text_format == TextFormat.PLAIN
    assert [c.fraction for c in xml_questions[3].choices] == [
        D("0.3333333"),
        D("0.3333333"),
        D("0.3333333"),
        D("-0.5"),
        D("-0.5"),
    ]


def test_moodle_xml_true_false(xml_questions):
    bloom, earth, old = xml_questions[4:7]
    assert bloom.correct_choice is True
    assert bloom.choices == [
        ParsedChoice("true", D(1), "Yes: remember to create."),
        ParsedChoice("false", D(0), "It has six."),
    ]
    assert earth.correct_choice is False
    assert earth.choices[1] == ParsedChoice("false", D(1), "درست")
    assert old.correct_choice is True
    assert old.text_format == TextFormat.MOODLE


def test_moodle_xml_short_answers(xml_questions):
    teacher, urdu, multiply = xml_questions[7:10]
    assert teacher.text_answers == [
        TextAnswer("teacher", D(1), "Yes."),
        TextAnswer("tutor", D("0.5"), "Close."),
    ]
    assert teacher.feedback_incorrect == "Think of schools."
    assert urdu.accepted_texts == ["استاد", "معلم"]
    assert multiply.accepted_texts == ["*"]  # \* is a literal asterisk in Moodle


def test_moodle_xml_numeric_answers(xml_questions):
    independence, urdu, temperature = xml_questions[10:13]
    assert independence.numeric_answers == [
        NumericAnswer(D(1947), D(0), D(1), "Correct."),
        NumericAnswer(D(1947), D(2), D("0.5"), "Close."),
    ]
    assert independence.feedback_incorrect == "See the notes."
    assert urdu.text == "ایک کلاس میں ۳۰ طلبہ ہیں، آدھے کتنے ہوئے؟"
    assert urdu.numeric_answers == [NumericAnswer(D(15), D(0))]
    assert temperature.numeric_answers == [NumericAnswer(D("-12.5"), D("2.5"))]


def test_moodle_xml_other_details(xml_questions):
    questions = by_name(xml_questions)
    assert questions["Markdown"].text_format == TextFormat.MARKDOWN
    assert [c.fraction for c in questions["Partial"].choices] == [D(1), D("0.5"), D(0)]
    assert questions["General"].general_feedback == "Hattie ranks it highly."
    escaped = questions["Mark with entity & escape"]
    assert escaped.text == "<p>5 > 3?</p>"
    assert escaped.default_mark == D("0.5")


def test_moodle_xml_round_trip(xml_questions):
    written = to_moodle_xml(xml_questions)
    assert written.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert parse_moodle_xml(written) == xml_questions
    assert to_moodle_xml(parse_moodle_xml(written)) == written


def test_a_moodle_xml_bank_goes_through_gift_unchanged(xml_questions):
    assert parse_gift(to_gift(xml_questions)) == xml_questions


def test_moodle_xml_tolerates_a_bom():
    questions = parse_moodle_xml(b"\xef\xbb\xbf" + MOODLE_XML_BANK)
    assert len(questions) == 21


# Moodle XML faults: the question's number and name.


def xml_error(data: bytes) -> QuestionFormatError:
    with pytest.raises(QuestionFormatError) as caught:
        parse_moodle_xml(data)
    return caught.value


def question_xml(body: str, moodle_type: str = "multichoice", name: str = "Bad") -> str:
    return (
        f'<question type="{moodle_type}"><name><text>{name}</text></name>'
        f"<questiontext><text>Some text</text></questiontext>{body}</question>"
    )


GOOD_XML_QUESTION = question_xml(
    '<answer fraction="100"><text>true</text></answer>'
    '<answer fraction="0"><text>false</text></answer>',
    "truefalse",
    "Good",
)


def quiz(*questions: str) -> bytes:
    return ("<quiz>" + "".join(questions) + "</quiz>").encode()


MALFORMED_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="truefalse">
    <name><text>Broken</text></name>
    <questiontext><text>Oops</text>
  </question>
</quiz>
"""


def test_moodle_xml_malformed_names_the_line():
    data = MALFORMED_XML
    error = xml_error(data)
    assert error.line == 6
    assert "not valid XML" in error.message


@pytest.mark.parametrize("moodle_type", ["multianswer", "ddwtos"])
def test_moodle_xml_unknown_type_names_the_question(moodle_type):
    error = xml_error(
        quiz(GOOD_XML_QUESTION, GOOD_XML_QUESTION, question_xml("", moodle_type))
    )
    assert (error.number, error.question) == (3, "Bad")
    assert f'"{moodle_type}" is not supported' in error.message


def test_moodle_xml_choice_without_a_right_answer():
    bad = question_xml(
        '<answer fraction="0"><text>a</text></answer>'
        '<answer fraction="0"><text>b</text></answer>'
    )
    error = xml_error(quiz(GOOD_XML_QUESTION, bad))
    assert (error.number, error.question) == (2, "Bad")
    assert "no option is marked correct" in error.message


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('<answer fraction="100"><text>abc</text></answer>', '"abc" is not a number'),
        (
            '<answer fraction="100"><text>3</text><tolerance>x</tolerance></answer>',
            'tolerance "x" is not a number',
        ),
        (
            '<answer fraction="100"><text>3</text></answer>'
            "<units><unit><multiplier>1</multiplier><unit_name>cm</unit_name></unit>"
            "</units>",
            "units",
        ),
        ('<answer fraction="hundred"><text>3</text></answer>', "fraction"),
        ('<answer fraction="150"><text>3</text></answer>', "150%"),
    ],
)
def test_moodle_xml_bad_numeric(body, message):
    error = xml_error(quiz(GOOD_XML_QUESTION, question_xml(body, "numerical")))
    assert (error.number, error.question) == (2, "Bad")
    assert message in error.message


@pytest.mark.parametrize(
    ("body", "moodle_type", "message"),
    [
        (
            '<answer fraction="100"><text>yes</text></answer>'
            '<answer fraction="0"><text>no</text></answer>',
            "truefalse",
            '"true" or "false"',
        ),
        ("<single>maybe</single>", "multichoice", "<single>"),
        ('<answer fraction="100"><text>teach*</text></answer>', "shortanswer", "*"),
        (
            '<answer fraction="100"><text>a</text><file name="a.png">AAAA</file>'
            "</answer>",
            "shortanswer",
            "not a PNG, JPEG, GIF or WebP image",
        ),
        ("<defaultgrade>0</defaultgrade>", "shortanswer", "mark must be above 0"),
    ],
)
def test_moodle_xml_other_faults_name_the_question(body, moodle_type, message):
    error = xml_error(quiz(question_xml(body, moodle_type, "Faulty")))
    assert (error.number, error.question) == (1, "Faulty")
    assert message in error.message


def test_moodle_xml_refuses_entities():
    data = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>
<quiz>&lol2;</quiz>"""
    assert "DTD" in xml_error(data).message


def test_moodle_xml_refuses_other_roots_and_empty_banks():
    assert "not a Moodle <quiz>" in xml_error(b"<html></html>").message
    assert "no questions" in xml_error(b"<quiz></quiz>").message


# CSV.

CSV_BANK = (
    CSV_TEMPLATE_HEADER
    + "\n"
    + "\n".join(
        [
            "single_choice,Module 1,Capital,What is the capital?,Lahore,Islamabad,"
            "Karachi,,,,2,,,Well done.,It is Islamabad.,",
            'multiple_choice,Module 1,,"Which are provinces?\nTick all.",Punjab,Sindh,'
            "Lahore,Balochistan,Quetta,,1;2;4,,,,,3",
            "true_false,Module 1,زمین,زمین گول ہے۔,,,,,,,درست,,,,,",
            "TRUE_FALSE,Module 1,Flat,The earth is flat.,,,,,,,False,,,,,",
            "numeric,Module 2,کلاس,۳۰ کا آدھا؟,,,,,,,۱۵,,,,,",
            "Numeric,Module 2,Pi,Pi?,,,,,,,3.14,0.005,,,,0.5",
            "short_text,Module 2,اساتذہ,Teacher کو اردو میں کیا کہتے ہیں؟,,,,,,,,,"
            "استاد; معلم ;ٹیچر,,غلط,",
            r"Short text,Module 2,Semicolon,Name the separator,,,,,,,,,a\;b;c,,,",
        ]
    )
    + "\n"
)


def test_csv_bank_is_read_whole():
    questions = parse_csv(CSV_BANK)
    assert [(q.name, q.kind, q.category) for q in questions] == [
        ("Capital", "single_choice", "Module 1"),
        ("Which are provinces? Tick all.", "multiple_choice", "Module 1"),
        ("زمین", "true_false", "Module 1"),
        ("Flat", "true_false", "Module 1"),
        ("کلاس", "numeric", "Module 2"),
        ("Pi", "numeric", "Module 2"),
        ("اساتذہ", "short_text", "Module 2"),
        ("Semicolon", "short_text", "Module 2"),
    ]
    capital, provinces, earth, flat, half, pi, teachers, semicolon = questions
    assert capital == ParsedQuestion(
        kind=QuestionKind.SINGLE_CHOICE,
        name="Capital",
        text="What is the capital?",
        text_format=TextFormat.PLAIN,
        choices=[
            ParsedChoice("Lahore", D(0)),
            ParsedChoice("Islamabad", D(1)),
            ParsedChoice("Karachi", D(0)),
        ],
        feedback_correct="Well done.",
        feedback_incorrect="It is Islamabad.",
        category="Module 1",
    )
    assert provinces.text == "Which are provinces?\nTick all."
    assert provinces.default_mark == D(3)
    assert earth.correct_choice is True
    assert flat.correct_choice is False
    assert half.numeric_answers == [NumericAnswer(D(15), D(0))]
    assert pi.numeric_answers == [NumericAnswer(D("3.14"), D("0.005"))]
    assert pi.default_mark == D("0.5")
    assert teachers.accepted_texts == ["استاد", "معلم", "ٹیچر"]
    assert teachers.feedback_incorrect == "غلط"
    assert semicolon.accepted_texts == ["a;b", "c"]


def test_csv_multiple_choice_shares_marks_and_penalises_wrong_ticks():
    provinces = parse_csv(CSV_BANK)[1]
    fractions = [c.fraction for c in provinces.choices]
    right = [fractions[0], fractions[1], fractions[3]]
    wrong = [fractions[2], fractions[4]]
    assert sum(right) == 1
    assert sum(wrong) == -1
    assert max(right) - min(right) <= D("0.0000001")
    assert wrong == [D("-0.5"), D("-0.5")]
    assert sum(fractions) == 0  # ticking every box earns nothing


def test_csv_template_is_valid_and_documented():
    assert CSV_TEMPLATE_HEADER == ",".join(CSV_COLUMNS)
    assert CSV_TEMPLATE.startswith(CSV_TEMPLATE_HEADER)
    kinds = {question.kind for question in parse_csv(CSV_TEMPLATE)}
    # Matching questions, descriptions and essays come from GIFT or Moodle XML;
    # a cloze row is its text with the gaps in it (test_quiz_cloze).
    assert kinds == set(QuestionKind) - {
        QuestionKind.MATCHING,
        QuestionKind.DESCRIPTION,
        QuestionKind.ESSAY,
        QuestionKind.CLOZE,
    }


def test_csv_with_bom_semicolons_and_any_column_order():
    text = (
        "\ufeffQuestion;Type;Correct;Option 1;Option 2\r\n"
        "کون سا صحیح ہے؟;single choice;۲;الف;ب\r\n"
    )
    [question] = parse_csv(text)
    assert question.kind == QuestionKind.SINGLE_CHOICE
    assert [c.fraction for c in question.choices] == [D(0), D(1)]


def test_csv_round_trips_through_both_writers():
    questions = parse_csv(CSV_BANK)
    assert parse_moodle_xml(to_moodle_xml(questions)) == questions
    assert parse_gift(to_gift(questions)) == questions


def csv_error(text: str) -> QuestionFormatError:
    with pytest.raises(QuestionFormatError) as caught:
        parse_csv(text)
    return caught.value


def test_csv_bad_type_names_the_physical_line():
    text = (
        "type,question,option_1,option_2,correct\n"
        'single_choice,"A question\non two lines",a,b,1\n'
        "\n"
        "multi_choice,Which?,a,b,1\n"
    )
    error = csv_error(text)
    assert (error.line, error.number) == (5, 2)
    assert 'the type "multi_choice" is not one of single_choice' in error.message


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("single_choice,Q,a,b,,3,,", "names option 3, but the options are 1 to 2"),
        ("single_choice,Q,a,b,,1;2,,", "use multiple_choice"),
        ("single_choice,Q,a,,c,1,,", "option_3 is filled but option_2 is empty"),
        ("single_choice,Q,a,b,,,,", '"correct" is empty'),
        ("multiple_choice,Q,a,b,,x,,", "names option x"),
        ("multiple_choice,Q,a,b,,1;1,,", "twice"),
        ("true_false,Q,,,,maybe,,", 'true or false, not "maybe"'),
        ("true_false,Q,a,,,true,,", 'does not use "options"'),
        ("numeric,Q,,,,12 apples,,", '"12 apples" is not a number'),
        ("short_text,Q,,,,answer,,", 'write the answers in "accepted_answers"'),
        ("short_text,Q,,,,,,", '"accepted_answers" is empty'),
        ("single_choice,,a,b,,1,,", "no text"),
        ("single_choice,Q,a,b,,1,,-1", "mark must be above 0"),
        (",Q,a,b,,1,,", "the type is empty"),
    ],
)
def test_csv_row_faults_name_the_line(row, message):
    text = (
        "type,question,option_1,option_2,option_3,correct,accepted_answers,mark\n"
        "true_false,Fine?,,,,true,,\n" + row + "\n"
    )
    error = csv_error(text)
    assert error.line == 3
    assert message in error.message


def test_csv_row_fault_layout_is_valid_with_a_good_row():
    text = (
        "type,question,option_1,option_2,option_3,correct,accepted_answers,mark\n"
        "true_false,Fine?,,,,true,,\n"
        "numeric,Q,,,,12,,\n"
    )
    assert [q.kind for q in parse_csv(text)] == ["true_false", "numeric"]


def test_csv_header_faults():
    assert "is not known" in csv_error("type,question,colour\n").message
    assert '"question" is missing' in csv_error("type,name\nnumeric,x\n").message
    assert "appears twice" in csv_error("type,question,type\n").message
    assert "no questions" in csv_error(CSV_TEMPLATE_HEADER + "\n,,,\n").message
    assert "empty" in csv_error("").message


def test_csv_row_longer_than_the_header():
    error = csv_error("type,question,correct\nnumeric,Q?,1,extra\n")
    assert error.line == 2
    assert "4 cells" in error.message


# Shared rules and helpers.


def test_decode_text_reads_utf8_with_or_without_bom():
    assert decode_text("\ufeffسوال".encode()) == "سوال"
    assert decode_text("سوال".encode()) == "سوال"


def test_decode_text_refuses_other_encodings_with_the_line():
    with pytest.raises(QuestionFormatError) as caught:
        decode_text(b"type,question\nnumeric,caf\xe9\n")
    assert caught.value.line == 2
    assert "UTF-8" in caught.value.message


def true_false(**changes) -> ParsedQuestion:
    question = ParsedQuestion(
        kind=QuestionKind.TRUE_FALSE,
        name="TF",
        text="Is it?",
        choices=[ParsedChoice("true", D(1)), ParsedChoice("false", D(0))],
    )
    for field, value in changes.items():
        setattr(question, field, value)
    return question


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"text": "  "}, "no text"),
        ({"name": ""}, "no name"),
        ({"kind": "calculated"}, "not a question type"),
        ({"kind": "essay"}, "an essay question cannot have answers"),
        ({"choices": [ParsedChoice("true", D(1))]}, "one right and one wrong"),
        (
            {"choices": [ParsedChoice("true", D(1)), ParsedChoice("no", D(0))]},
            "one right and one wrong",
        ),
        ({"numeric_answers": [NumericAnswer(D(1))]}, "cannot have numeric answers"),
        (
            {"choices": [ParsedChoice("true", D(2)), ParsedChoice("false", D(0))]},
            "200%",
        ),
    ],
)
def test_validate_question_names_the_broken_rule(changes, message):
    validate_question(true_false())
    with pytest.raises(QuestionFormatError) as caught:
        validate_question(true_false(**changes))
    assert message in caught.value.message


def test_writers_validate_before_writing():
    broken = true_false(
        choices=[ParsedChoice("true", D(0)), ParsedChoice("false", D(0))]
    )
    for write in (to_gift, to_moodle_xml):
        with pytest.raises(QuestionFormatError) as caught:
            write([true_false(), broken])
        assert (caught.value.number, caught.value.question) == (2, "TF")


# Messages in the reader's language: the place and the fault are put together
# when the error is shown, so a trainer with an Urdu interface reads Urdu.

BAD_RANGE_GIFT = "::Ok:: Fine?{T}\n\n::Number::\nHow many?\n{#5..1}\n"
BAD_PICK_CSV = (
    "type,question,option_1,option_2,option_3,correct,accepted_answers,mark\n"
    "true_false,Fine?,,,,true,,\n"
    "single_choice,Q,a,b,,3,,\n"
)
BAD_XML = MALFORMED_XML


@pytest.mark.parametrize(
    ("read", "data", "place", "fault"),
    [
        (parse_gift, BAD_RANGE_GIFT, 'سطر 5، سوال 2، "Number": ', "رینج 5..1 الٹی"),
        (parse_csv, BAD_PICK_CSV, "سطر 3، سوال 2: ", "لیکن آپشنز 1 سے 2 تک ہیں"),
        (parse_moodle_xml, BAD_XML, "سطر 6: ", "فائل درست XML نہیں ہے"),
        (
            parse_moodle_xml,
            quiz(
                GOOD_XML_QUESTION,
                question_xml("<answer><text>abc</text></answer>", "numerical"),
            ),
            'سوال 2، "Bad": ',
            'عددی جواب "abc" عدد نہیں ہے',
        ),
    ],
)
def test_import_errors_read_in_urdu_with_their_place(read, data, place, fault):
    with translation.override("ur"), pytest.raises(QuestionFormatError) as caught:
        read(data)
    with translation.override("ur"):
        text = str(caught.value)
    assert text.startswith(place)
    assert fault in text


def test_an_error_reads_in_the_language_active_when_it_is_shown():
    with translation.override("en"):
        error = gift_error(BAD_RANGE_GIFT)
    english = 'line 5, question 2, "Number": the range 5..1 runs backwards'
    urdu = 'سطر 5، سوال 2، "Number": رینج 5..1 الٹی لکھی گئی ہے (بڑی قدر پہلے ہے)'
    with translation.override("en"):
        assert str(error) == english
    with translation.override("ur"):
        assert str(error) == urdu
        assert str(error.message) == "رینج 5..1 الٹی لکھی گئی ہے (بڑی قدر پہلے ہے)"
    # A copy sent to another process (a task, say) stays lazy too.
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - bytes made just above
    with translation.override("en"):
        assert str(error) == str(copy) == english
    with translation.override("ur"):
        assert str(copy) == urdu


def test_a_message_built_from_parts_is_translated_whole():
    with pytest.raises(QuestionFormatError) as caught:
        parse_csv("type,question,correct,tolerance\nnumeric,Q?,3,abc\n")
    assert (
        str(caught.value) == 'line 2, question 1: the tolerance "abc" is not a number'
    )
    with translation.override("ur"):
        assert str(caught.value) == 'سطر 2، سوال 1: گنجائش "abc" عدد نہیں ہے'


def test_an_error_without_a_place_is_its_message():
    error = QuestionFormatError("plain words")
    assert str(error) == error.message == "plain words"
    assert repr(error) == "QuestionFormatError('plain words', None, None, None)"


def test_moodle_xml_settings_are_read_as_moodle_writes_them():
    short = question_xml(
        "<penalty>0.1000000</penalty><idnumber>CAP-1</idnumber><usecase>1</usecase>"
        '<answer fraction="100" format="moodle_auto_format"><text>Lahore</text>'
        "<feedback><text></text></feedback></answer>"
        '<hint format="html"><text><![CDATA[<p>A big city</p>]]></text>'
        "<shownumcorrect/><clearwrong/></hint>"
        '<hint format="html"><text>Starts with L</text></hint>'
        "<tags><tag><text>cities</text></tag><tag><text>unit 1</text></tag></tags>",
        "shortanswer",
        "Capital",
    )
    set_type = question_xml(
        "<shuffleanswers>0</shuffleanswers>"
        '<answer fraction="100"><text>A</text></answer>'
        '<answer fraction="100"><text>B</text></answer>'
        '<answer fraction="0"><text>C</text></answer>',
        "multichoiceset",
        "All or nothing",
    )
    capital, all_or_nothing = parse_moodle_xml(quiz(short, set_type))
    assert (capital.penalty, capital.idnumber, capital.case_sensitive) == (
        D("0.1"),
        "CAP-1",
        True,
    )
    assert capital.hints == ["<p>A big city</p>", "Starts with L"]
    assert capital.tags == ["cities", "unit 1"]
    assert all_or_nothing.kind == QuestionKind.MULTIPLE_CHOICE
    assert (all_or_nothing.partial_credit, all_or_nothing.shuffle_answers) == (
        False,
        False,
    )
    # The plugin marks each right option 100%; here they share the mark.
    assert [c.fraction for c in all_or_nothing.choices] == [D("0.5"), D("0.5"), 0]
    written = to_moodle_xml([capital, all_or_nothing]).decode()
    assert "<usecase>1</usecase>" in written and "<penalty>0.1</penalty>" in written
    assert '<question type="multichoiceset">' in written
    assert "<single>" not in written.split('type="multichoiceset"')[1]
    assert parse_moodle_xml(written.encode()) == [capital, all_or_nothing]
    error = xml_error(quiz(question_xml("<usecase>maybe</usecase>", "shortanswer")))
    assert '<usecase> must be true or false, not "maybe"' in str(error.message)
