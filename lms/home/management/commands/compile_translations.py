"""Compile the project's .po catalogues to .mo without GNU gettext.

Django's compilemessages needs the msgfmt program, which a learner-platform
developer on Windows or a slim container rarely has. polib (already pinned as a
wagtail-localize dependency) writes the same binary catalogues in pure Python.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile every .po catalogue in LOCALE_PATHS to .mo."

    def handle(self, *args, **options):
        compiled = 0
        for locale_path in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_path).glob("*/LC_MESSAGES/*.po")):
                try:
                    catalogue = polib.pofile(str(po_path))
                except (OSError, ValueError) as error:
                    raise CommandError(f"{po_path}: {error}") from error
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                compiled += 1
                self.stdout.write(
                    f"{po_path}: {catalogue.percent_translated()}% translated"
                )
        if not compiled:
            raise CommandError("No .po catalogues found in LOCALE_PATHS.")
