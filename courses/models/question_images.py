"""Images a question's texts show, by the name they refer to them with."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.images import get_image_model_string


class QuestionImage(models.Model):
    """``@@PLUGINFILE@@/<name>`` in a question's texts shows ``image``.

    The texts keep Moodle's reference unchanged, so a bank exports as it came in;
    the image is a Wagtail image in the programme's collection. A translation of
    the question copies these rows and shares the images.
    """

    question = ParentalKey(
        "courses.Question", on_delete=models.CASCADE, related_name="images"
    )
    name = models.CharField(_("name"), max_length=255)
    image = models.ForeignKey(
        get_image_model_string(),
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("image"),
    )

    class Meta:
        verbose_name = _("question image")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "name"], name="question_image_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name
