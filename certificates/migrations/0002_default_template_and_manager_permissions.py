"""Made the default certificate template and the programme managers' permissions.

Both now come from ``lms.home.reference_data.ensure_reference_data``, run after
every migrate and flush; this migration stays, empty, for its place in the
history.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0001_certificates_templates_workshops_and_audit_log"),
        ("accounts", "0002_groups_provinces_and_districts"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = []
