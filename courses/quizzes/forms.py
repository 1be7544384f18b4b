"""Admin forms that offer a trainer only their own programmes' courses and banks."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm


class ScopedBankForm(WagtailAdminModelForm):
    """Limits ``category``, ``parent``, ``course`` and ``programme`` choices, in
    the form and in its inline rows, to the user's programmes. A choice outside
    them is not a valid choice, so a forged id is refused like any bad value."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None or user.is_superuser:
            return
        self._scope_fields(self.fields, user)
        for formset in self.formsets.values():
            # Rows added in the browser are built from the formset's form class.
            formset.form = _scoped_form_class(formset.form, user)
            for form in formset.forms:
                self._scope_fields(form.fields, user)

    @staticmethod
    def _scope_fields(fields, user) -> None:
        from . import access

        for name in ("category", "parent"):
            if name in fields:
                fields[name].queryset = access.scoped(user, fields[name].queryset)
        for name in ("course", "programme"):
            field = fields.get(name)
            if field is not None and hasattr(field, "queryset"):
                field.queryset = field.queryset.filter(
                    pk__in=access.editable_pages(user).values("pk")
                )


def _scoped_form_class(form_class, user):
    class Scoped(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            ScopedBankForm._scope_fields(self.fields, user)

    Scoped.__name__ = form_class.__name__
    return Scoped


class QuizForm(ScopedBankForm):
    """A quiz draws only from its course's bank or its programme's shared one."""

    def is_valid(self):
        if not super().is_valid():
            return False
        from . import access

        course = self.cleaned_data.get("course")
        if course is None:
            return True
        allowed = set(access.bank_categories(course.pk).values_list("pk", flat=True))
        foreign = [
            form.cleaned_data["category"]
            for form in self.formsets["draw_rules"].forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("category") is not None
            and form.cleaned_data["category"].pk not in allowed
        ]
        if foreign:
            self.add_error(
                None,
                _(
                    "A quiz draws questions only from its course's or its "
                    "programme's bank: “%(category)s” is not one of them."
                )
                % {"category": foreign[0]},
            )
            return False
        return True


class TextListField(forms.CharField):
    """A list of texts (a JSON list on the model) edited in one text box: one
    item per line, or with ``paragraphs`` one per paragraph (an empty line
    between two items, so that an item may take several lines)."""

    def __init__(self, *, paragraphs: bool = False, **kwargs: Any):
        self.paragraphs = paragraphs
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4, "dir": "auto"}))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ("\n\n" if self.paragraphs else "\n").join(value)
        return value

    def to_python(self, value: Any) -> list[str]:
        text = (super().to_python(value) or "").replace("\r\n", "\n")
        pattern = r"\n\s*\n" if self.paragraphs else r"\n"
        return [item.strip() for item in re.split(pattern, text) if item.strip()]

    def has_changed(self, initial: Any, data: Any) -> bool:
        return self.to_python(data) != list(initial or [])


class QuestionForm(ScopedBankForm):
    """Holds a question written in the admin to the same rules as an imported one."""

    hints = TextListField(
        paragraphs=True,
        label=gettext_lazy("Hints"),
        help_text=gettext_lazy(
            "Kept for Moodle: one hint per paragraph, with an empty line between "
            "two hints."
        ),
    )
    tags = TextListField(
        label=gettext_lazy("Tags"),
        help_text=gettext_lazy("Kept for Moodle: one tag per line."),
        max_length=2000,
    )

    def _unchanged(self, name: str) -> Any:
        """An untouched list comes back exactly as stored (an imported hint may
        hold an empty line, which the text box would split)."""
        initial = self.initial.get(name)
        shown = self.fields[name].prepare_value(initial)
        typed = (self.data.get(self.add_prefix(name)) or "").replace("\r\n", "\n")
        return initial if isinstance(initial, list) and typed == shown else None

    def clean_hints(self) -> list[str]:
        unchanged = self._unchanged("hints")
        return unchanged if unchanged is not None else self.cleaned_data["hints"]

    def clean_tags(self) -> list[str]:
        unchanged = self._unchanged("tags")
        tags = unchanged if unchanged is not None else self.cleaned_data["tags"]
        if any(len(tag) > 100 for tag in tags):
            raise forms.ValidationError(_("A tag may have at most 100 characters."))
        return tags

    def is_valid(self):
        if not super().is_valid():
            return False
        from ..quiz_formats import QuestionFormatError, validate_question
        from ..quiz_formats.questions import check_wrong_options_subtract
        from .banks import as_parsed_fields

        answers = [
            form.cleaned_data
            for form in self.formsets["options"].forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            validate_question(as_parsed_fields(self.cleaned_data, answers))
            check_wrong_options_subtract(
                self.cleaned_data.get("kind") or "",
                bool(self.cleaned_data.get("partial_credit")),
                [answer.get("fraction") or Decimal(0) for answer in answers],
            )
        except QuestionFormatError as error:
            self.add_error(None, error.message)
            return False
        return True
