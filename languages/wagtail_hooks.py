import json

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from .served import right_to_left_content_languages


@hooks.register("insert_editor_js")
def right_to_left_editor_js():
    # The editor's own config names the page's locale (ACTIVE_CONTENT_LOCALE);
    # the script sets dir="rtl" on text fields and Draftail editors when that
    # locale is one of these.
    return format_html(
        '<script src="{}" data-rtl-locales="{}" defer></script>',
        static("languages/right_to_left_editor.js"),
        json.dumps(right_to_left_content_languages()),
    )
