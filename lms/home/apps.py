from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "lms.home"
    label = "home"
    verbose_name = _("Home page")

    def ready(self) -> None:
        from .reference_data import create_after_migrate

        # Once per migrate or flush: Django sends post_migrate for each app.
        post_migrate.connect(
            create_after_migrate,
            sender=self,
            dispatch_uid="lms.home.reference_data",
        )
