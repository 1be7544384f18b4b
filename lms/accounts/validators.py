"""Django's password validators with messages of our own.

Django's Urdu catalogue leaves these messages untranslated, and a learner who
reads Urdu must understand why a password was refused. Subclassing keeps
Django's checks and lets our catalogue carry the words.
"""

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class LongEnoughValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d "
            "character.",
            "This password is too short. It must contain at least %(min_length)d "
            "characters.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return ngettext(
            "Use at least %(min_length)d character.",
            "Use at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


class NotCommonValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return _("This password is too common. Choose one that is hard to guess.")

    def get_help_text(self) -> str:
        return _("Do not use a common password.")


class NotOnlyDigitsValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return _("This password is entirely numeric. Add letters too.")

    def get_help_text(self) -> str:
        return _("Do not use only numbers.")


class NotSimilarToAccountValidator(
    password_validation.UserAttributeSimilarityValidator
):
    def get_error_message(self) -> str:
        return _("This password is too similar to your e-mail address or name.")

    def get_help_text(self) -> str:
        return _("Do not use your e-mail address or name.")
