from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lms.accounts"
    label = "accounts"
    verbose_name = _("Accounts and profiles")

    def ready(self) -> None:
        from lms import checks  # noqa: F401 - registers the system checks
        from lms.spreadsheets import protect_wagtail_exports

        protect_wagtail_exports()
