"""Admin forms that offer a trainer only their own programmes' courses and banks."""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminModelForm


class ScopedBankForm(WagtailAdminModelForm):
    """Limits ``category``, ``parent`` and ``course`` choices to the user's
    programmes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from . import access

        user = self.for_user
        if user is None or user.is_superuser:
            return
        if "category" in self.fields:
            field = self.fields["category"]
            field.queryset = access.scoped(user, field.queryset)
        if "parent" in self.fields:
            field = self.fields["parent"]
            field.queryset = access.scoped(user, field.queryset)
        if "course" in self.fields and hasattr(self.fields["course"], "queryset"):
            field = self.fields["course"]
            field.queryset = field.queryset.filter(
                pk__in=access.editable_pages(user).values("pk")
            )


class QuestionForm(ScopedBankForm):
    """Holds a question written in the admin to the same rules as an imported one."""

    def is_valid(self):
        if not super().is_valid():
            return False
        from ..quiz_formats import QuestionFormatError, validate_question
        from .banks import as_parsed_fields

        answers = [
            form.cleaned_data
            for form in self.formsets["options"].forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            validate_question(as_parsed_fields(self.cleaned_data, answers))
        except QuestionFormatError as error:
            self.add_error(None, error.message)
            return False
        return True
