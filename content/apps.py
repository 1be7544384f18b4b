from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("H5P activities")

    def ready(self):
        from django.db.models.signals import post_delete

        from .models import H5PActivity, H5PHeldPackage
        from .receivers import (
            delete_file_of_deleted_held_package,
            delete_files_of_deleted_activity,
        )

        post_delete.connect(
            delete_files_of_deleted_activity,
            sender=H5PActivity,
            dispatch_uid="content_delete_activity_files",
        )
        post_delete.connect(
            delete_file_of_deleted_held_package,
            sender=H5PHeldPackage,
            dispatch_uid="content_delete_held_package_file",
        )
