from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from .h5p import H5PValidationError
from .models import H5PActivity, H5PHeldPackage
from .scoping import programmes_of
from .services import (
    ApprovalRefused,
    import_h5p_package,
    send_package_for_approval,
)
from .services.libraries import INSTALL_LIBRARY_PERMISSION


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
    send_for_approval = forms.BooleanField(
        label=_("Send for approval if it needs new libraries"),
        required=False,
        help_text=_(
            "If the package needs H5P libraries this site does not have yet, a "
            "programme manager is asked to install them. Nothing plays until "
            "they approve; you are told by e-mail either way."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.has_perm(INSTALL_LIBRARY_PERMISSION):
            # They install libraries themselves.
            del self.fields["send_for_approval"]
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

    def save(self, uploaded_by) -> H5PActivity | H5PHeldPackage | None:
        """Import the package, or hold it for approval when it needs libraries
        the uploader may not install and they asked for that; a refusal becomes
        this form's error and returns None."""
        package = self.cleaned_data["package"]
        programme = self.cleaned_data["programme"]
        try:
            return import_h5p_package(
                package, uploaded_by=uploaded_by, programme=programme
            )
        except H5PValidationError as error:
            if not (
                error.code == "library_not_installed"
                and self.cleaned_data.get("send_for_approval")
                and programme is not None
            ):
                self._refuse(error)
                return None
        try:
            return send_package_for_approval(package, uploaded_by, programme)
        except (H5PValidationError, ApprovalRefused) as error:
            self._refuse(error)
            return None

    def _refuse(self, error: H5PValidationError | ApprovalRefused) -> None:
        message = gettext(error.template) % error.params
        self.add_error("package", ValidationError(message, code=error.code))


class DeclinePackageForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it declined?"),
        help_text=_("The trainer who sent it reads this."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
    )
