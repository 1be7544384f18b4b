"""The blocks trainers build lessons from."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from content.blocks import H5PActivityBlock
from languages.served import content_language_choices

# A text alternative that is a file name, or only says "image", tells a screen
# reader's user nothing (in English or Urdu).
UNHELPFUL_ALT_TEXT = re.compile(
    r"\.(avif|gif|jpe?g|png|svg|webp)$|^(image|picture|photo|img|تصویر|فوٹو|عکس)$",
    re.IGNORECASE,
)


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("text alternative"),
        required=False,
        help_text=_(
            "What the image shows, for people who cannot see it, in the lesson's "
            "language. Needed unless the image is decorative."
        ),
    )
    decorative = blocks.BooleanBlock(
        label=_("decorative"),
        required=False,
        help_text=_(
            "Tick only if the image adds nothing a reader needs: screen readers "
            "then pass over it."
        ),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False)

    class Meta:
        icon = "image"
        template = "courses/blocks/image_block.html"
        label = _("Image")

    def clean(self, value):
        from wagtail.blocks import StructBlockValidationError

        cleaned = super().clean(value)
        if cleaned.get("decorative"):
            return cleaned
        alt_text = (cleaned.get("alt_text") or "").strip()
        if not alt_text:
            message = _("Say what the image shows, or tick “decorative”.")
        elif UNHELPFUL_ALT_TEXT.search(alt_text):
            message = _(
                "This reads like a file name or a bare word. Say what the image shows."
            )
        else:
            return cleaned
        raise StructBlockValidationError(
            block_errors={"alt_text": ValidationError(message)}
        )


class VideoBlock(blocks.StructBlock):
    video_file = DocumentChooserBlock(
        label=_("video file"),
        required=False,
        help_text=_("An MP4 or WebM file. Leave empty to embed a video instead."),
    )
    embed = EmbedBlock(
        label=_("embedded video"),
        required=False,
        help_text=_("A YouTube or Vimeo address."),
    )
    poster = ImageChooserBlock(label=_("poster image"), required=False)
    captions = DocumentChooserBlock(label=_("captions (WebVTT)"), required=False)
    captions_language = blocks.ChoiceBlock(
        label=_("captions language"),
        choices=content_language_choices,
        default="ur",
        required=False,
    )
    title = blocks.CharBlock(label=_("title"), required=False)
    transcript = blocks.RichTextBlock(
        label=_("transcript"),
        required=False,
        features=["bold", "italic", "ol", "ul", "link"],
        help_text=_(
            "Everything said and shown in the video, for people who cannot hear "
            "or see it, or cannot play it on their data."
        ),
    )

    class Meta:
        icon = "media"
        template = "courses/blocks/video_block.html"
        label = _("Video")

    def clean(self, value):
        from wagtail.blocks import StructBlockValidationError

        cleaned = super().clean(value)
        if not cleaned.get("video_file") and not cleaned.get("embed"):
            raise StructBlockValidationError(
                block_errors={
                    "video_file": ValidationError(
                        _("Choose a video file or give a video address.")
                    )
                }
            )
        return cleaned


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    description = blocks.CharBlock(label=_("description"), required=False)

    class Meta:
        icon = "doc-full"
        template = "courses/blocks/document_block.html"
        label = _("Downloadable document")


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[
            ("note", _("Note")),
            ("tip", _("Tip")),
            ("activity", _("Classroom activity")),
            ("warning", _("Take care")),
        ],
        default="note",
    )
    text = blocks.RichTextBlock(
        label=_("text"), features=["bold", "italic", "link", "ol", "ul"]
    )

    class Meta:
        icon = "help"
        template = "courses/blocks/callout_block.html"
        label = _("Callout")


class QuizBlock(blocks.StructBlock):
    """A quiz in a lesson. Grading and answers stay on the server."""

    quiz = SnippetChooserBlock("courses.Quiz", label=_("quiz"))
    heading = blocks.CharBlock(
        label=_("heading"),
        required=False,
        help_text=_("Shown instead of the quiz's title, in the lesson's language."),
    )
    intro = blocks.TextBlock(label=_("introduction"), required=False)

    class Meta:
        icon = "tasks"
        template = "courses/blocks/quiz_block.html"
        label = _("Quiz")

    def get_context(self, value, parent_context=None):
        from .quizzes.reads import quiz_status

        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        quiz = value.get("quiz")
        context["heading"] = value.get("heading")
        context["intro"] = value.get("intro")
        context["status"] = (
            quiz_status(request.user, quiz) if quiz is not None and request else None
        )
        return context


LESSON_RICH_TEXT_FEATURES = [
    "h2",
    "h3",
    "bold",
    "italic",
    "ol",
    "ul",
    "link",
    "document-link",
    "blockquote",
]


class LessonBodyBlock(blocks.StreamBlock):
    """A lesson's content. Quizzes and H5P activities join here as they arrive."""

    text = blocks.RichTextBlock(
        label=_("Text"),
        features=LESSON_RICH_TEXT_FEATURES,
        template="courses/blocks/text_block.html",
    )
    image = ImageBlock()
    video = VideoBlock()
    document = DocumentBlock()
    callout = CalloutBlock()
    quiz = QuizBlock()
    h5p = H5PActivityBlock()
