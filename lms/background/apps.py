from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackgroundConfig(AppConfig):
    """Background work that survives faults: retries with backoff, a worker
    that notices lost workers and lost database connections, and the failed
    tasks view for staff."""

    name = "lms.background"
    label = "background"
    verbose_name = _("Background tasks")
