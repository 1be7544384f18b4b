from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Awards")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Certificates sit below awards: the CPD record asks its providers, and
        # this app adds itself as one (certificates never import awards).
        from certificates.services import cpd_records

        from .record import awards_in_record

        cpd_records.add_award_provider(awards_in_record)
