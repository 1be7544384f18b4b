"""Made the four staff and learner groups, and Pakistan's provinces and districts.

That data now comes from ``lms.home.reference_data.ensure_reference_data``, run
after every migrate and flush; this migration stays, empty, for its place in
the history.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = []
