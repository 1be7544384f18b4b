from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .h5p import H5PValidationError
from .services import import_h5p_package, rejection_message


class H5PUploadForm(forms.Form):
    package = forms.FileField(
        label=_("H5P package"),
        help_text=_(
            "An .h5p file exported from any H5P editor (Reuse, then Download as an "
            ".h5p file). It is checked before anything is saved."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".h5p"}),
    )

    def save(self, uploaded_by):
        """Import the package; a refusal becomes this form's error and returns None."""
        try:
            return import_h5p_package(
                self.cleaned_data["package"], uploaded_by=uploaded_by
            )
        except H5PValidationError as error:
            self.add_error(
                "package", ValidationError(rejection_message(error), code=error.code)
            )
            return None
