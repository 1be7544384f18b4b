"""Replaced Wagtail's placeholder root page with our home page.

The home page and the default Site now come from
``lms.home.reference_data.ensure_reference_data``, run after every migrate and
flush; this migration stays, empty, for its place in the history.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = []
