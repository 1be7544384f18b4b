"""Admin forms that offer a trainer only their own programmes' courses and banks."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
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


class QuestionForm(ScopedBankForm):
    """Holds a question written in the admin to the same rules as an imported one."""

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
