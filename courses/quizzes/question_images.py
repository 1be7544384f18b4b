"""Images embedded in questions: stored as Wagtail images, shown as safe HTML.

Imported images go into the programme's collection (so its trainers find them in
the image chooser and nobody else does). Question texts keep Moodle's
``@@PLUGINFILE@@/name`` reference; ``question_html`` turns a text holding one into
HTML with only an allow-list of tags, each reference an ``<img>`` with alt text.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from pathlib import PurePath

from bs4 import BeautifulSoup
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.safestring import SafeString, mark_safe
from wagtail.images import get_image_model
from wagtail.whitelist import DEFAULT_ELEMENT_RULES, Whitelister, attribute_rule

from .. import authoring as pages
from ..models import CoursePage, Question, QuestionImage
from ..quiz_formats import ParsedQuestion
from ..quiz_formats.embedded_files import PLUGINFILE, referenced_names

RENDITION = "max-800x800"


def save(
    question: Question,
    parsed: ParsedQuestion,
    course: CoursePage,
    stored_files: list[str] | None,
) -> list[QuestionImage]:
    """Store ``parsed.files`` as images of ``question`` (inside the caller's
    transaction); the names of the files written go to ``stored_files``."""
    image_model = get_image_model()
    collection = pages.programme_collection(course.get_parent().specific)
    alts = _alt_texts(parsed)
    rows = []
    for name, data in parsed.files.items():
        image = image_model(
            title=(alts.get(name) or PurePath(name).name)[:255],
            description=alts.get(name, "")[:255],
            collection=collection,
            file=ImageFile(io.BytesIO(data), name=PurePath(name).name),
        )
        image._set_image_file_metadata()
        image.save()
        if stored_files is not None:
            stored_files.append(image.file.name)
        rows.append(QuestionImage(question=question, name=name, image=image))
    return QuestionImage.objects.bulk_create(rows)


def delete_files(names: Iterable[str]) -> None:
    """Delete files written by an import that did not commit."""
    for name in names:
        default_storage.delete(name)


def files_of(question: Question) -> dict[str, bytes]:
    """The question's images by name, as an export writes them."""
    files = {}
    for row in question.images.all():
        with row.image.open_file() as file:
            files[row.name] = file.read()
    return files


def _alt_texts(parsed: ParsedQuestion) -> dict[str, str]:
    """The first alt text given to each image in the question's texts."""
    from ..quiz_formats.embedded_files import question_texts

    alts: dict[str, str] = {}
    for text in question_texts(parsed):
        if PLUGINFILE not in text:
            continue
        for img in BeautifulSoup(text, "html.parser").find_all("img"):
            names = referenced_names(str(img.get("src", "")))
            alt = " ".join(str(img.get("alt", "")).split())
            if names and alt:
                alts.setdefault(names[0], alt)
    return alts


_TEXT_FIELDS = (
    "text",
    "feedback_correct",
    "feedback_partial",
    "feedback_incorrect",
    "general_feedback",
)


def _mentions_image(question: Question) -> bool:
    """Whether a loaded text of the question (or of its prefetched answers) shows
    an image; deferred fields are not loaded for this."""
    deferred = question.get_deferred_fields()
    texts = [getattr(question, name) for name in _TEXT_FIELDS if name not in deferred]
    for option in getattr(question, "_prefetched_objects_cache", {}).get("options", ()):
        texts += [option.text, option.feedback]
    return any(PLUGINFILE in text for text in texts)


def prefetch_images(questions: Iterable[Question], also: Iterable[int] = ()) -> None:
    """Load the images of the questions whose texts show one (and of those in
    ``also``): one query for the rows and their images, one for the renditions;
    none without images."""
    also = set(also)
    with_images = [q for q in questions if q.pk in also or _mentions_image(q)]
    if with_images:
        prefetch_related_objects(
            with_images,
            Prefetch(
                "images",
                queryset=QuestionImage.objects.select_related("image").prefetch_related(
                    "image__renditions"
                ),
            ),
        )


# Tags that are removed with their content, never shown as text.
_DROPPED = frozenset({"script", "style", "iframe", "object", "embed", "template"})
_DROPPED |= {"svg", "math", "noscript", "textarea", "select", "button", "form"}


class _QuestionHtml(Whitelister):
    def __init__(self, images: Mapping[str, object]):
        self.element_rules = {
            **DEFAULT_ELEMENT_RULES,
            "span": attribute_rule({}),
            "u": attribute_rule({}),
            "table": attribute_rule({}),
            "tr": attribute_rule({}),
            "td": attribute_rule({}),
            "th": attribute_rule({}),
            "tbody": attribute_rule({}),
            "thead": attribute_rule({}),
            "img": self._image,
        }
        self.images = images

    def clean_tag_node(self, doc, tag):
        if tag.name in _DROPPED:
            tag.decompose()
            return
        super().clean_tag_node(doc, tag)

    def _image(self, tag) -> None:
        names = referenced_names(str(tag.get("src", "")))
        image = self.images.get(names[0]) if names else None
        if image is None:  # only the question's own images, never a remote one
            tag.decompose()
            return
        rendition = image.get_rendition(RENDITION)
        alt = " ".join(str(tag.get("alt", "")).split()) or image.default_alt_text
        tag.attrs = {
            "src": rendition.url,
            "alt": alt,
            "width": str(rendition.width),
            "height": str(rendition.height),
            "class": "quiz-image",
        }


def question_html(question: Question, text: str) -> SafeString:
    """``text`` of ``question`` as safe HTML with its images; any other markup
    outside the allow-list is removed."""
    images = {row.name: row.image for row in question.images.all()}
    return mark_safe(_QuestionHtml(images).clean(text))  # noqa: S308 - cleaned
