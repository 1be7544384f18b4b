"""Images embedded in Moodle XML: ``<file name=".." path="/" encoding="base64">``.

Moodle's texts refer to them as ``@@PLUGINFILE@@/name`` (the name URL-encoded).
A question keeps its images by that name (``ParsedQuestion.files``), and its
texts keep the reference unchanged, so an export writes both back as they came.
Only PNG, JPEG, GIF and WebP images are taken, each checked by Pillow.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
from urllib.parse import quote, unquote

from django.utils.translation import gettext_lazy as _

from .questions import ParsedQuestion, QuestionFormatError, fill

PLUGINFILE = "@@PLUGINFILE@@"
MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_FILE_BYTES = 20 * 1024 * 1024  # a whole question-bank file
MAX_IMAGE_PIXELS = 25_000_000
IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif"}
IMAGE_TYPES["WEBP"] = "image/webp"
_REFERENCE = re.compile(re.escape(PLUGINFILE) + r"/([^\"'\s<>)]+)")


def referenced_names(text: str) -> list[str]:
    """The file names ``text`` refers to, decoded, in order, once each."""
    names: list[str] = []
    for match in _REFERENCE.finditer(text):
        name = unquote(match.group(1).split("?", 1)[0])
        if name not in names:
            names.append(name)
    return names


def reference(name: str) -> str:
    return f"{PLUGINFILE}/{quote(name)}"


def question_texts(question: ParsedQuestion) -> list[str]:
    """Every text of a question that may refer to an image."""
    texts = [
        question.text,
        question.general_feedback,
        question.feedback_correct,
        question.feedback_partial,
        question.feedback_incorrect,
        *question.hints,
    ]
    for answer in [*question.choices, *question.text_answers]:
        texts += [answer.text, answer.feedback]
    texts += [answer.feedback for answer in question.numeric_answers]
    texts += [pair.text for pair in question.pairs]
    return [text for text in texts if text]


def decode_image(name: str, encoded: str) -> bytes:
    """The bytes of an embedded image, or QuestionFormatError saying why not."""
    try:
        data = base64.b64decode("".join(encoded.split()), validate=True)
    except (binascii.Error, ValueError):
        raise QuestionFormatError(
            fill(_('the file "%(name)s" is not valid base64'), {"name": name})
        ) from None
    check_image(name, data)
    return data


def check_image(name: str, data: bytes) -> str:
    """The image's MIME type, or QuestionFormatError if it is not one we take."""
    from PIL import Image, UnidentifiedImageError

    if len(data) > MAX_IMAGE_BYTES:
        raise QuestionFormatError(
            fill(
                _(
                    'the image "%(name)s" is %(size)s MB; an image may be at most '
                    "%(limit)s MB"
                ),
                {
                    "name": name,
                    "size": f"{len(data) / 1024 / 1024:.1f}",
                    "limit": MAX_IMAGE_BYTES // 1024 // 1024,
                },
            )
        )
    not_an_image = QuestionFormatError(
        fill(
            _(
                'the file "%(name)s" is not a PNG, JPEG, GIF or WebP image, '
                "the only files a question may hold"
            ),
            {"name": name},
        )
    )
    too_large = QuestionFormatError(
        fill(_('the image "%(name)s" has too many pixels'), {"name": name})
    )
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except Image.DecompressionBombError:
        raise too_large from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise not_an_image from None
    if image_format not in IMAGE_TYPES:
        raise not_an_image
    if width * height > MAX_IMAGE_PIXELS:
        raise too_large
    return IMAGE_TYPES[image_format]


def check_references(question: ParsedQuestion) -> None:
    """Every ``@@PLUGINFILE@@`` reference names a file the question holds; files
    nothing refers to are dropped."""
    used: list[str] = []
    for text in question_texts(question):
        for name in referenced_names(text):
            if name not in question.files:
                raise QuestionFormatError(
                    fill(
                        _(
                            'the text refers to the file "%(name)s", which the '
                            "question does not hold"
                        ),
                        {"name": name},
                    )
                )
            if name not in used:
                used.append(name)
    question.files = {name: question.files[name] for name in used}
