"""manage.py restore SRC: fill an empty site from a backup archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lms.backups.services import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into an empty site (a new "
        "database, media folder and key folder). A damaged archive is refused "
        "before anything is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path)

    def handle(self, *args, source: Path, **options):
        try:
            manifest = restore_backup(source)
        except BackupError as error:
            raise CommandError(
                _("Refused, nothing was restored: %(reason)s") % {"reason": error}
            ) from None
        self.stdout.write(
            _("Restored %(path)s, made %(created)s (app %(version)s).")
            % {
                "path": source,
                "created": manifest["created_at"],
                "version": manifest["versions"]["app"],
            }
        )
