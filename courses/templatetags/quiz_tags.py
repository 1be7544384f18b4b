"""How question texts are shown to learners."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import linebreaks_filter, linebreaksbr
from django.utils.safestring import SafeString

from ..models import Question
from ..quiz_formats.embedded_files import PLUGINFILE
from ..quizzes.question_images import question_html

register = template.Library()


@register.filter
def question_text(question: Question, paragraphs: bool = False) -> SafeString:
    """The question's text: with its images as safe HTML when it shows any,
    else as plain text (imported HTML without its tags), line breaks kept."""
    if PLUGINFILE in question.text and question.images.all():
        return question_html(question, question.text)
    text = question.display_text
    if paragraphs:
        return linebreaks_filter(text, autoescape=True)
    return linebreaksbr(text, autoescape=True)
