"""Translating courses with wagtail-localize, and knowing when a translation lags.

A trainer translates a course and its lessons (in the admin's side-by-side editor,
or here): each page gets a ``TranslationSource`` holding its extracted strings and
a ``Translation`` into the target locale. A translated page goes live only once
every string is translated, so a half-done translation never passes for a
finished one (wagtail-localize itself would fill the gaps with source text).

A translation is out of date when its source page was published after its
strings were last extracted, or when the strings were re-extracted but the
translated page has not been saved from them since. ``sync_translations`` does
what the admin's "Sync translated pages" does: extract again, then save.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import ngettext
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation, TranslationSource


class TranslationStatus(StrEnum):
    CURRENT = "current"
    OUT_OF_DATE = "out_of_date"
    INCOMPLETE = "incomplete"


@dataclass(frozen=True)
class PageTranslationStatus:
    page: Page
    translation: Translation
    status: TranslationStatus


def _subtree(page: Page) -> list[Page]:
    return [
        page.specific,
        *(p.specific for p in page.get_descendants().order_by("path")),
    ]


@transaction.atomic
def start_translation(
    page: Page, language_code: str, user: AbstractBaseUser | None = None
) -> list[Translation]:
    """Open a translation of ``page`` and every page under it into a language.

    The translated pages are saved as drafts; ``publish_translation`` makes them
    live once their strings are translated.
    """
    locale = Locale.objects.get(language_code=language_code)
    translations = []
    for source_page in _subtree(page):
        source, _created = TranslationSource.get_or_create_from_instance(source_page)
        translation, _created = Translation.objects.get_or_create(
            source=source, target_locale=locale
        )
        # Saving a page writes its live row even as a draft, so an existing
        # translation is left alone until its strings are complete.
        if source_page.get_translation_or_none(locale) is None:
            translation.save_target(user=user, publish=False)
        translations.append(translation)
    return translations


def translation_status(translation: Translation) -> TranslationStatus:
    total, translated = translation.get_progress()
    if translated < total:
        return TranslationStatus.INCOMPLETE
    source_page = translation.source.get_source_instance()
    extracted_at = translation.source.last_updated_at
    if source_page.last_published_at and source_page.last_published_at > extracted_at:
        return TranslationStatus.OUT_OF_DATE
    target = translation.get_target_instance()
    saved_at = target.latest_revision_created_at
    if saved_at is None or saved_at < extracted_at:
        return TranslationStatus.OUT_OF_DATE
    return TranslationStatus.CURRENT


def course_translation_statuses(
    page: Page, language_code: str
) -> list[PageTranslationStatus]:
    """The status of each page of a course's translation into a language."""
    translations = {
        t.source.object_id: t
        for t in Translation.objects.filter(
            target_locale__language_code=language_code,
            source__object_id__in=[p.translation_key for p in _subtree(page)],
            source__locale=page.locale,
        ).select_related("source", "target_locale")
    }
    return [
        PageTranslationStatus(
            p,
            translations[p.translation_key],
            translation_status(translations[p.translation_key]),
        )
        for p in _subtree(page)
        if p.translation_key in translations
    ]


@transaction.atomic
def publish_translation(
    translation: Translation, user: AbstractBaseUser | None = None
) -> Page:
    """Save and publish a translated page; refused while strings are missing."""
    total, translated = translation.get_progress()
    if translated < total:
        raise TranslationIncomplete(total - translated)
    translation.save_target(user=user, publish=True)
    return translation.get_target_instance()


@transaction.atomic
def sync_translations(page: Page, user: AbstractBaseUser | None = None) -> int:
    """Re-extract the strings of ``page`` and its subtree, and publish every
    translation whose strings are all translated. Returns how many translated
    pages were published; the others show as incomplete until translated."""
    saved = 0
    for source_page in _subtree(page):
        source = TranslationSource.objects.filter(
            object_id=source_page.translation_key, locale=source_page.locale
        ).first()
        if source is None:
            continue
        source.update_from_db()
        for translation in source.translations.filter(enabled=True):
            total, translated = translation.get_progress()
            # Saving writes the live row with source text in the gaps; a page
            # with new untranslated strings waits for ``publish_translation``.
            if translated == total:
                translation.save_target(user=user, publish=True)
                saved += 1
    return saved


class TranslationIncomplete(Exception):
    def __init__(self, missing: int):
        self.missing = missing
        self.message = ngettext(
            "%(count)d string is not translated yet.",
            "%(count)d strings are not translated yet.",
            missing,
        ) % {"count": missing}
        super().__init__(self.message)
