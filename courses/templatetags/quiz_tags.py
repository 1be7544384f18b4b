"""How question texts are shown to learners."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import linebreaks_filter, linebreaksbr
from django.utils.safestring import SafeString

from ..models import Question
from ..quizzes.reads import with_images

register = template.Library()


@register.filter
def question_text(question: Question, paragraphs: bool = False) -> SafeString:
    """The question's text: with its images as safe HTML when it shows any,
    else as plain text (imported HTML without its tags), line breaks kept."""
    text = question.text
    if question.is_cloze:  # its gaps hold its answers: show them as [1], [2]...
        from ..quiz_formats.cloze import blank_out

        text = blank_out(text)
    shown = with_images(question, text)
    if shown is not None:
        return SafeString(shown)
    text = question.display_text
    if paragraphs:
        return linebreaks_filter(text, autoescape=True)
    return linebreaksbr(text, autoescape=True)
