"""Compile the project's .po catalogues to .mo without GNU gettext.

Django's compilemessages needs the msgfmt program, which a learner-platform
developer on Windows or a slim container rarely has. polib (already pinned as a
wagtail-localize dependency) writes the same binary catalogues in pure Python.

Sindhi, Pashto and Punjabi (Shahmukhi) have no interface catalogues yet. Their
readers read Urdu far more readily than English, so until a language has a .po
of its own, this command writes the Urdu messages into its .mo file (see
``INTERFACE_FALLBACK_LANGUAGES``). Doing it here rather than with a runtime
fallback has a second reason: Django only routes /sd/... to Sindhi when
``check_for_language("sd")`` finds a catalogue, so the file must exist anyway.
Writing a real catalogue later needs no code change: its .po simply wins.

Django's own messages (month and weekday names, form errors such as "This field
is required.") are borrowed the same way: Django has an Urdu catalogue but none
for Sindhi, Pashto or Punjabi, so without this a Sindhi page in the Urdu
interface would print its dates with English month names. Our messages win
where both catalogues have one.
"""

from pathlib import Path

import django
import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import to_locale


class Command(BaseCommand):
    help = "Compile every .po catalogue in LOCALE_PATHS to .mo."

    def handle(self, *args, **options):
        compiled = 0
        for locale_path in settings.LOCALE_PATHS:
            locale_path = Path(locale_path)
            for po_path in sorted(locale_path.glob("*/LC_MESSAGES/*.po")):
                catalogue = self._read(po_path)
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                compiled += 1
                self.stdout.write(
                    f"{po_path}: {catalogue.percent_translated()}% translated"
                )
            self._borrow_catalogues(locale_path)
        if not compiled:
            raise CommandError("No .po catalogues found in LOCALE_PATHS.")

    def _borrow_catalogues(self, locale_path: Path) -> None:
        fallbacks = getattr(settings, "INTERFACE_FALLBACK_LANGUAGES", {})
        for language, fallback in fallbacks.items():
            own = locale_path / to_locale(language) / "LC_MESSAGES"
            source = locale_path / to_locale(fallback) / "LC_MESSAGES"
            for po_path in sorted(source.glob("*.po")):
                if (own / po_path.name).exists():
                    continue  # the language has its own catalogue now
                catalogue = self._read(po_path)
                if po_path.name == "django.po":
                    self._add_djangos_own(catalogue, fallback)
                catalogue.metadata["Language"] = language
                own.mkdir(parents=True, exist_ok=True)
                target = own / po_path.with_suffix(".mo").name
                catalogue.save_as_mofile(str(target))
                self.stdout.write(
                    f"{target}: {fallback} messages until {language} has its own"
                )

    def _add_djangos_own(self, catalogue: polib.POFile, language: str) -> None:
        """Add Django's translations into ``language`` that ``catalogue`` lacks."""
        djangos = (
            Path(django.__file__).parent
            / "conf/locale"
            / to_locale(language)
            / "LC_MESSAGES/django.po"
        )
        if not djangos.exists():
            return
        ours = {(entry.msgctxt, entry.msgid) for entry in catalogue}
        for entry in self._read(djangos).translated_entries():
            if (entry.msgctxt, entry.msgid) not in ours:
                catalogue.append(entry)

    @staticmethod
    def _read(po_path: Path) -> polib.POFile:
        try:
            return polib.pofile(str(po_path))
        except (OSError, ValueError) as error:
            raise CommandError(f"{po_path}: {error}") from error
