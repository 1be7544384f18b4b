"""The page editor refuses another programme's quiz, activity, image or document.

The choosers already list only the user's own; this is the server's side of
it, for a forged id in a lesson body, a course's cover or final assessment.
Only references the page did not hold before are checked, so a page that
already shows a shared file keeps saving.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.fields import RichTextField, StreamField


class ProgrammeReferencesPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        user = self.for_user
        if user is None or user.is_superuser:
            return cleaned
        for name, field in self.instance._meta._forward_fields_map.items():
            if name not in cleaned or name not in self.fields:
                continue
            before = _references(field, getattr(self.instance, name, None))
            added = _references(field, cleaned[name]) - before
            foreign = _foreign(user, added)
            if foreign:
                self.add_error(
                    name,
                    _(
                        "This points at another programme's quiz, activity, image "
                        "or document. Choose one of your own programme's."
                    ),
                )
        return cleaned


def _references(field, value) -> set[tuple[str, int]]:
    from .packages.references import (
        UnknownBlock,
        collect_references,
        collect_rich_text_references,
    )

    if value is None or value == "":
        return set()
    if isinstance(field, StreamField):
        try:
            return collect_references(field.stream_block, value.get_prep_value())
        except UnknownBlock:
            return set()
    if isinstance(field, RichTextField):
        return collect_rich_text_references(str(value))
    kinds = {"wagtailimages": "image", "wagtaildocs": "document"}
    target = getattr(field, "related_model", None)
    if target is None or not hasattr(value, "pk"):
        return set()
    kind = kinds.get(target._meta.app_label) or {"quiz": "quiz"}.get(
        target._meta.model_name
    )
    return {(kind, value.pk)} if kind else set()


def _foreign(user, references: set[tuple[str, int]]) -> set[tuple[str, int]]:
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.permissions import policy_registry

    from content.models import H5PActivity
    from content.scoping import scoped

    from .models import Quiz

    def choosable(model):
        # Wagtail's own collection permissions, as its choosers apply them.
        policy = policy_registry.get_by_type(model)
        return lambda ids: policy.instances_user_has_any_permission_for(
            user, ["choose"]
        ).filter(pk__in=ids)

    allowed = {
        "image": choosable(get_image_model()),
        "document": choosable(get_document_model()),
        "quiz": lambda ids: scoped(user, Quiz.objects.filter(pk__in=ids)),
        "h5p": lambda ids: scoped(user, H5PActivity.objects.filter(pk__in=ids)),
    }
    models = {
        "image": get_image_model(),
        "document": get_document_model(),
        "quiz": Quiz,
        "h5p": H5PActivity,
    }
    foreign = set()
    for kind, check in allowed.items():
        ids = {object_id for found, object_id in references if found == kind}
        if not ids:
            continue
        # An id of nothing at all is the chooser field's own error to report.
        existing = set(
            models[kind].objects.filter(pk__in=ids).values_list("pk", flat=True)
        )
        permitted = set(check(ids).values_list("pk", flat=True))
        foreign |= {(kind, object_id) for object_id in existing - permitted}
    return foreign
