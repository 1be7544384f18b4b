from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from .h5p import H5PValidationError
from .scoping import programmes_of
from .services import import_h5p_package, rejection_message


class H5PUploadForm(forms.Form):
    programme = forms.ModelChoiceField(
        queryset=Page.objects.none(),
        label=_("Programme"),
        help_text=_("Only this programme's trainers see and use the activity."),
    )
    package = forms.FileField(
        label=_("H5P package"),
        help_text=_(
            "An .h5p file exported from any H5P editor (Reuse, then Download as an "
            ".h5p file). It is checked before anything is saved."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".h5p"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["programme"]
        # Only the user's programmes are valid choices: another id is refused.
        field.queryset = programmes_of(user).order_by("title")
        choices = list(field.queryset[:2])
        # A trainer of one programme need not choose; administrators may leave
        # it empty for a site-wide activity.
        self.only_programme = (
            choices[0] if len(choices) == 1 and not user.is_superuser else None
        )
        if self.only_programme is not None:
            field.initial = self.only_programme.pk
        field.required = not user.is_superuser and self.only_programme is None

    def clean_programme(self):
        return self.cleaned_data["programme"] or self.only_programme

    def save(self, uploaded_by):
        """Import the package; a refusal becomes this form's error and returns None."""
        try:
            return import_h5p_package(
                self.cleaned_data["package"],
                uploaded_by=uploaded_by,
                programme=self.cleaned_data["programme"],
            )
        except H5PValidationError as error:
            self.add_error(
                "package", ValidationError(rejection_message(error), code=error.code)
            )
            return None
