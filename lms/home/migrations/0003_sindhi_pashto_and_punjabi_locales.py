"""Content may be written in Sindhi, Pashto and Punjabi (Shahmukhi) as well."""

from django.db import migrations

LANGUAGE_CODES = ["sd", "ps", "pnb"]


def add_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for code in LANGUAGE_CODES:
        Locale.objects.get_or_create(language_code=code)


def remove_unused_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Page = apps.get_model("wagtailcore", "Page")
    used = set(Page.objects.values_list("locale__language_code", flat=True))
    Locale.objects.filter(language_code__in=set(LANGUAGE_CODES) - used).delete()


class Migration(migrations.Migration):
    dependencies = [("home", "0002_create_home_page")]

    operations = [migrations.RunPython(add_locales, remove_unused_locales)]
