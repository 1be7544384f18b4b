"""Made the Sindhi, Pashto and Punjabi (Shahmukhi) locales.

Every locale of ``WAGTAIL_CONTENT_LANGUAGES`` now comes from
``lms.home.reference_data.ensure_reference_data``, run after every migrate and
flush; this migration stays, empty, for its place in the history.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("home", "0002_create_home_page")]

    operations = []
