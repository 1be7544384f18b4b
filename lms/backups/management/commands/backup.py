"""manage.py backup DEST: the database, media and certificate keys in one archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lms.backups.services import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write one .tar.gz archive (a file name, or a folder to put it in) with "
        "the database, media files and certificate signing keys, and a manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("dest", type=Path)

    def handle(self, *args, dest: Path, **options):
        try:
            path, manifest = create_backup(dest)
        except BackupError as error:
            raise CommandError(
                _("Backup failed: %(reason)s") % {"reason": error}
            ) from None
        contents = manifest["contents"]
        self.stdout.write(
            _(
                "Backup written to %(path)s (%(size)s bytes): %(database)s, "
                "%(keys)s signing keys, media: %(media)s"
            )
            % {
                "path": path,
                "size": path.stat().st_size,
                "database": manifest["database"]["vendor"],
                "keys": contents["certificate_keys"],
                "media": contents["media_files"],
            }
        )
