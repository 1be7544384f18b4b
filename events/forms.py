"""Admin forms for events."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class WalkInForm(forms.Form):
    email = forms.EmailField(
        label=_("Learner's e-mail"),
        max_length=254,
        help_text=_("The address the learner signs in with."),
    )
