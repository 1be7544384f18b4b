"""Question banks shaped as Moodle 4 writes them, built here (never copied).

``moodle_xml_bank`` writes every number as Moodle does (``1.0000000``,
``fraction="33.33333"``), comments before each question, a nested category with a
description, every type we import (an essay, and a multichoice with an embedded
image among them), a cloze question of every gap type (``cloze``, written as
Moodle writes it: no ``<defaultgrade>``, the mark being the gaps' weights) and a
type we do not import (calculated). ``MOODLE_GIFT`` follows the shapes
of Moodle's own GIFT test file: an essay and a matching question among other
supported ones.
"""

from __future__ import annotations

import base64

# multichoice x3, truefalse, shortanswer, numerical, matching, description, essay,
# cloze ... and a multichoice with an embedded image (last in the file)
SUPPORTED_XML = 11
UNSUPPORTED_XML = {"calculated": 1}

# The smallest valid PNG: 1x1 transparent pixel.
PNG_1X1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def _text(tag: str, value: str, fmt: str = "html") -> str:
    return (
        f'    <{tag} format="{fmt}">\n'
        f"      <text><![CDATA[{value}]]></text>\n"
        f"    </{tag}>\n"
    )


def _answer(fraction: str, value: str, feedback: str = "", fmt="html") -> str:
    return (
        f'    <answer fraction="{fraction}" format="{fmt}">\n'
        f"      <text><![CDATA[{value}]]></text>\n"
        f'      <feedback format="html">\n'
        f"        <text>{feedback}</text>\n"
        f"      </feedback>\n"
        f"    </answer>\n"
    )


def _head(kind: str, number: int, name: str, text: str, grade="1.0000000") -> str:
    return (
        f"<!-- question: {number}  -->\n"
        f'  <question type="{kind}">\n'
        f"    <name>\n      <text>{name}</text>\n    </name>\n"
        f"{_text('questiontext', text)}"
        f"{_text('generalfeedback', '')}"
        f"    <defaultgrade>{grade}</defaultgrade>\n"
        f"    <penalty>0.3333333</penalty>\n"
        f"    <hidden>0</hidden>\n"
        f"    <idnumber></idnumber>\n"
    )


def _category(path: str, info: str = "") -> str:
    return (
        "<!-- question: 0  -->\n"
        '  <question type="category">\n'
        f"    <category>\n      <text>{path}</text>\n    </category>\n"
        f"{_text('info', info)}"
        "    <idnumber></idnumber>\n"
        "  </question>\n"
    )


def _choice_feedback() -> str:
    return (
        "    <shuffleanswers>true</shuffleanswers>\n"
        "    <answernumbering>abc</answernumbering>\n"
        "    <showstandardinstruction>0</showstandardinstruction>\n"
        + _text("correctfeedback", "Your answer is correct.")
        + _text("partiallycorrectfeedback", "Your answer is partially correct.")
        + _text("incorrectfeedback", "Your answer is incorrect.")
        + "    <shownumcorrect/>\n"
    )


def multichoice(number: int, name: str, grade: str = "1.0000000") -> str:
    return (
        _head("multichoice", number, name, "<p>Which is a prime?</p>", grade)
        + "    <single>true</single>\n"
        + _choice_feedback()
        + _answer("100", "<p>7</p>", "Seven is prime.")
        + _answer("0", "<p>8</p>", "Eight is 2 × 4.")
        + _answer("0", "<p>9</p>")
        + '    <hint format="html">\n      <text>Try dividing.</text>\n    </hint>\n'
        + "  </question>\n"
    )


def multiresponse(number: int, name: str) -> str:
    return (
        _head("multichoice", number, name, "<p>Tick the three primes.</p>")
        + "    <single>false</single>\n"
        + _choice_feedback()
        + _answer("33.33333", "2")
        + _answer("33.33333", "3")
        + _answer("33.33333", "5")
        + _answer("-100", "4", "Four is 2 × 2.")
        + "  </question>\n"
    )


def truefalse(number: int, name: str) -> str:
    return (
        _head("truefalse", number, name, "<p>The Indus flows into the sea.</p>")
        + _answer("100", "true", "Yes, the Arabian Sea.", "moodle_auto_format")
        + _answer("0", "false", "It does.", "moodle_auto_format")
        + "  </question>\n"
    )


def shortanswer(number: int, name: str) -> str:
    return (
        _head("shortanswer", number, name, "<p>Capital of Pakistan?</p>")
        + "    <usecase>0</usecase>\n"
        + _answer("100", "Islamabad", "Right.", "moodle_auto_format")
        + _answer("50", "Isb", "Write it in full.", "moodle_auto_format")
        + "  </question>\n"
    )


def numerical(number: int, name: str) -> str:
    return (
        _head("numerical", number, name, "<p>Pi to two places?</p>")
        + '    <answer fraction="100" format="moodle_auto_format">\n'
        + "      <text>3.14</text>\n"
        + '      <feedback format="html">\n        <text></text>\n      </feedback>\n'
        + "      <tolerance>0.0050000</tolerance>\n"
        + "    </answer>\n"
        + "    <unitgradingtype>0</unitgradingtype>\n"
        + "    <unitpenalty>0.1000000</unitpenalty>\n"
        + "    <showunits>3</showunits>\n"
        + "    <unitsleft>0</unitsleft>\n"
        + "  </question>\n"
    )


def essay(number: int, name: str) -> str:
    return (
        _head("essay", number, name, "<p>Describe your classroom.</p>")
        + "    <responseformat>editor</responseformat>\n"
        + "    <responserequired>1</responserequired>\n"
        + "    <responsefieldlines>15</responsefieldlines>\n"
        + "    <minwordlimit></minwordlimit>\n    <maxwordlimit></maxwordlimit>\n"
        + "    <attachments>0</attachments>\n"
        + _text("graderinfo", "")
        + _text("responsetemplate", "")
        + "  </question>\n"
    )


def matching(number: int, name: str) -> str:
    pairs = "".join(
        '    <subquestion format="html">\n'
        f"      <text><![CDATA[<p>{left}</p>]]></text>\n"
        f"      <answer>\n        <text>{right}</text>\n      </answer>\n"
        "    </subquestion>\n"
        for left, right in (("Lahore", "Punjab"), ("Quetta", "Balochistan"))
    )
    return (
        _head("matching", number, name, "<p>Match city and province.</p>")
        + "    <shuffleanswers>true</shuffleanswers>\n"
        + _text("correctfeedback", "Your answer is correct.")
        + _text("partiallycorrectfeedback", "Your answer is partially correct.")
        + _text("incorrectfeedback", "Your answer is incorrect.")
        + pairs
        + "  </question>\n"
    )


def description(number: int, name: str) -> str:
    return (
        _head("description", number, name, "<p>Read the case below.</p>", "0.0000000")
        + "  </question>\n"
    )


# Every gap type Moodle reads, with weights, %n% fractions, feedback, escapes
# (\} \# \~ \/ \"), an HTML entity and a tolerance; 11 marks in all.
CLOZE_TEXT = (
    "<p>Karachi is in {2:SHORTANSWER:=Sindh#Right, Sindh.~%50%Sind#Nearly: "
    "Sindh.~*#Karachi is the capital of Sindh.} province.</p>"
    "<p>Write its name as on the map: {1:SHORTANSWER_C:=Karachi#Right~"
    "%50%karachi#Use a capital K.} and its code {1:SAC:=KHI} "
    "or its old name {1:SA:=Kurrachee~=Kurachi}.</p>"
    "<p>It lies at about {2:NUMERICAL:=24.86:0.05#Right.~%50%25:0.5#Close.} "
    "degrees north and {1:NM:=67:1} east.</p>"
    "<p>Its port: {1:MULTICHOICE:=Keamari#Right~Gwadar#That is in Balochistan.}, "
    "{1:MC:=Port Qasim~Ormara}; its river {1:MCV:=Indus~Ravi}, "
    "{1:MCH:=Lyari~Chenab} {1:MCS:=one \\} brace~two \\# hash} "
    "{1:MCVS:=a \\~ tilde~b \\/ slash} {1:MCHS:=say \\&quot;hi\\&quot;~say bye}.</p>"
    "<p>Coastal cities: {2:MULTIRESPONSE:=Karachi~=Gwadar~Lahore~Multan} "
    "{1:MR:=Ormara~Quetta} {1:MRS:%100%Pasni~%-100%Sialkot}.</p>"
)
CLOZE_WEIGHT = 19


def cloze(number: int, name: str, text: str = CLOZE_TEXT) -> str:
    """A cloze question as Moodle 4 exports one: no <defaultgrade>, with a hint."""
    return (
        f"<!-- question: {number}  -->\n"
        '  <question type="cloze">\n'
        f"    <name>\n      <text>{name}</text>\n    </name>\n"
        f"{_text('questiontext', text)}"
        f"{_text('generalfeedback', '<p>Karachi is Sindh’s capital.</p>')}"
        "    <penalty>0.3333333</penalty>\n"
        "    <hidden>0</hidden>\n"
        "    <idnumber></idnumber>\n"
        f"{_text('hint', '<p>Look at a map of Sindh.</p>')}"
        "  </question>\n"
    )


def calculated(number: int, name: str) -> str:
    return (
        _head("calculated", number, name, "<p>The area of a {r} m circle?</p>")
        + _answer("100", "3.14159 * {r} * {r}")
        + "  </question>\n"
    )


def with_image(number: int, name: str) -> str:
    encoded = base64.b64encode(PNG_1X1).decode()
    return (
        _head(
            "multichoice",
            number,
            name,
            '<p>What is shown? <img src="@@PLUGINFILE@@/dot.png" alt="dot"></p>',
        ).replace(
            "]]></text>\n    </questiontext>",
            "]]></text>\n"
            f'      <file name="dot.png" path="/" encoding="base64">{encoded}</file>\n'
            "    </questiontext>",
        )
        + "    <single>true</single>\n"
        + _choice_feedback()
        + _answer("100", "A dot")
        + _answer("0", "A line")
        + "  </question>\n"
    )


def moodle_xml_bank(*, supported_only: bool = False, grade="1.0000000") -> bytes:
    """A Moodle 4 export: nested categories, every type, 8-digit numbers."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n',
        _category("$course$/top/Unit 1", "<p>The first unit.</p>"),
        multichoice(11, "Primes single", grade),
        multiresponse(12, "Primes multiple"),
        truefalse(13, "Indus"),
        _category("$course$/top/Unit 1/Week 2", "Second week's questions"),
        shortanswer(14, "Capital"),
        numerical(15, "Pi"),
        multichoice(16, "Primes again"),
        matching(17, "Cities"),
        description(18, "Case study"),
        essay(19, "My classroom"),
        cloze(20, "Karachi cloze"),
    ]
    if not supported_only:
        parts += [
            calculated(21, "Area formula"),
        ]
    parts += [with_image(22, "Dot picture"), "</quiz>\n"]
    return "".join(parts).encode("utf-8")


MOODLE_GIFT_SUPPORTED = 9  # every question, the essay too
MOODLE_GIFT = """\
// essay
::Q8:: How do you open a lesson? {}

// question: 2  name: Classroom tools
::Classroom tools::[html]Match the <b>tool</b> to its use.{
    =[html]Shows pictures to the whole class. -> Projector
    =[moodle]Holds chalk writing. -> Blackboard
    =[plain]Keeps the register. -> Attendance book
    = -> Stapler
}

// multiple choice with specified feedback for right and wrong answers
::Q2:: Which colour is between orange and green?
{
    =yellow # right; good!
    ~red # [html]wrong, it's yellow
    ~[plain]blue # wrong, it's yellow
}

// multiple choice, multiple response
::colours:: Which colours are between orange and blue?
{
    ~%50%yellow # right; good!
    ~%-100%red # [html]wrong
    ~%50%green # right; good!
    ~%-100%[plain]purple # wrong
}

// math range question
::Q5:: What is a number from 1 to 5? {#3:2~#Completely wrong}

// question: 666  name: Shortanswer
::Shortanswer::Which is the national bird?{
    =Chukar#Good!
    =%50%Partridge#Nearly.
    =%0%*#Completely wrong
}

// true/false, with general feedback
::Q1:: 42 is the number of provinces.{
FALSE#There are four provinces.#You gave the right answer.
####Pakistan has four provinces.}

// name 0-11
::2-08 TSL::TSL is a teaching method.{T}

// name 0-11
::2-08 TSL::TSL is a teaching method.{TRUE}
"""
