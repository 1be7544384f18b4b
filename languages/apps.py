from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LanguagesConfig(AppConfig):
    """The languages content is served in, their fonts and direction, and Urdu
    text handling: below every other app (no models, no migrations)."""

    name = "languages"
    verbose_name = _("Languages and text")
