"""Forms for registering, signing in and editing a profile."""

from __future__ import annotations

from dataclasses import fields

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from .models import District, Profile, Province, User
from .services import ProfileDetails

REQUIRED_MESSAGE = _("Please fill in this field.")
NAME_TOO_LONG = _(
    "Please use at most %(limit_value)d characters (you used %(show_value)d)."
)
PASSWORD_MISMATCH = _("The two passwords do not match.")


def own_error_messages(form: forms.BaseForm) -> None:
    """Give every field messages from our catalogue, which speaks Urdu."""
    for field in form.fields.values():
        field.error_messages["required"] = REQUIRED_MESSAGE
        if isinstance(field, forms.CharField) and field.max_length:
            field.error_messages["max_length"] = NAME_TOO_LONG
        if isinstance(field, forms.EmailField):
            field.error_messages["invalid"] = _("Enter a valid e-mail address.")
        if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
            field.error_messages["invalid_choice"] = _("Please choose from the list.")


class GroupedDistricts(BaseChoiceIterator):
    """Districts under their province's name, read when the widget renders."""

    def __init__(self, queryset):
        self.queryset = queryset

    def __iter__(self):
        grouped: dict[str, list[tuple[int, str]]] = {}
        for district in self.queryset.order_by("province__name_en", "name_en"):
            grouped.setdefault(district.province.name, []).append(
                (district.pk, district.name)
            )
        yield ("", "—")
        yield from ((province, districts) for province, districts in grouped.items())


class DistrictChoiceField(forms.ModelChoiceField):
    """Districts grouped under their province, so the list is usable without JS."""

    def __init__(self, **kwargs):
        super().__init__(queryset=District.objects.select_related("province"), **kwargs)

    def _get_choices(self):
        return GroupedDistricts(self.queryset)

    choices = property(_get_choices, forms.ChoiceField.choices.fset)


class ProfileFieldsForm(forms.Form):
    certificate_name_en = forms.CharField(
        label=_("Your name in English, as it must appear on certificates"),
        max_length=Profile.NAME_MAX_LENGTH,
    )
    certificate_name_ur = forms.CharField(
        label=_("Your name in Urdu, as it must appear on certificates"),
        max_length=Profile.NAME_MAX_LENGTH,
        required=False,
    )
    role = forms.ChoiceField(label=_("I am a"), choices=Profile.Role.choices)
    sector = forms.ChoiceField(label=_("I work in the"), choices=Profile.Sector.choices)
    gender = forms.ChoiceField(
        label=_("Gender"), choices=Profile.Gender.choices, required=False
    )
    province = forms.ModelChoiceField(
        label=_("Province or territory"), queryset=Province.objects.all()
    )
    district = DistrictChoiceField(label=_("District"))
    institution = forms.CharField(
        label=_("School, college or university"), max_length=200
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=settings.INTERFACE_LANGUAGES
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        own_error_messages(self)
        # Each name is typed in its own language and direction, whatever the
        # page's; screen readers switch voice for it.
        self.fields["certificate_name_en"].widget.attrs.update(
            {"autocomplete": "name", "dir": "ltr", "lang": "en"}
        )
        self.fields["certificate_name_ur"].widget.attrs.update(
            {"dir": "rtl", "lang": "ur"}
        )

    def clean_certificate_name_en(self) -> str:
        return " ".join(self.cleaned_data["certificate_name_en"].split())

    def clean_certificate_name_ur(self) -> str:
        return " ".join(self.cleaned_data["certificate_name_ur"].split())

    def clean(self):
        cleaned = super().clean()
        province, district = cleaned.get("province"), cleaned.get("district")
        if province and district and district.province_id != province.pk:
            self.add_error(
                "district",
                _(
                    "%(district)s is not in %(province)s. "
                    "Choose a district of %(province)s."
                )
                % {"district": district.name, "province": province.name},
            )
        return cleaned

    def profile_details(self) -> ProfileDetails:
        return ProfileDetails(
            **{
                field.name: self.cleaned_data[field.name]
                for field in fields(ProfileDetails)
            }
        )


class RegistrationForm(ProfileFieldsForm):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    field_order = ["email", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["password1"].help_text = " ".join(
            str(text) for text in password_validation.password_validators_help_texts()
        )

    def clean_email(self) -> str:
        # Whether the address has an account is never said here: the view
        # answers the same and the owner is told by e-mail.
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", PASSWORD_MISMATCH)
        elif password1:
            candidate = User(
                email=cleaned.get("email", ""),
                first_name=cleaned.get("certificate_name_en", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class EmailAuthenticationForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "That e-mail address and password do not match an account. "
            "Passwords are case-sensitive."
        ),
        "inactive": _("This account is not active."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        own_error_messages(self)
        self.fields["username"].label = _("E-mail address")
        self.fields["password"].label = _("Password")


class OwnPasswordResetForm(PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        own_error_messages(self)
        self.fields["email"].label = _("E-mail address")


class OwnSetPasswordForm(SetPasswordForm):
    error_messages = {"password_mismatch": PASSWORD_MISMATCH}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        own_error_messages(self)
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password2"].label = _("New password again")
        self.fields["new_password2"].help_text = _("Type the same password again.")


class OwnPasswordChangeForm(PasswordChangeForm):
    error_messages = {
        "password_mismatch": PASSWORD_MISMATCH,
        "password_incorrect": _("Your current password is not right. Try again."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        own_error_messages(self)
        self.fields["old_password"].label = _("Current password")
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password2"].label = _("New password again")
        self.fields["new_password2"].help_text = _("Type the same password again.")
