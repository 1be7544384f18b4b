"""Admin: H5P activities (upload, listing, clean-up) and right-to-left editing."""

import json

from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, IndexView

from content.languages import right_to_left_content_languages

from .admin_views import upload_h5p_view
from .models import H5PActivity
from .scoped_admin import ScopedSnippetViewSet
from .scoping import ProgrammeScopedPolicy
from .services import delete_activity_files


class H5PActivityIndexView(IndexView):
    def get_add_url(self):
        if self.user_has_permission("add"):
            return reverse("content_upload_h5p")
        return None


class H5PActivityCreateView(CreateView):
    """Activities are made from an uploaded package, never from an empty form."""

    def dispatch(self, request, *args, **kwargs):
        return redirect("content_upload_h5p")


class H5PActivityViewSet(ScopedSnippetViewSet):
    """A trainer lists, chooses, renames and deletes only their programmes'
    activities (content.scoping); another programme's id is refused."""

    model = H5PActivity
    icon = "pick"
    menu_label = _("H5P activities")
    add_to_admin_menu = True
    menu_order = 250
    list_display = ["title", "language", "main_library", "created_at"]
    search_fields = ["title"]
    panels = [FieldPanel("title")]
    index_view_class = H5PActivityIndexView
    add_view_class = H5PActivityCreateView


register_permission_policy(H5PActivity, ProgrammeScopedPolicy(H5PActivity))
register_snippet(H5PActivityViewSet)


@hooks.register("register_admin_urls")
def register_h5p_upload_url():
    return [path("h5p/upload/", upload_h5p_view, name="content_upload_h5p")]


@hooks.register("after_delete_snippet")
def delete_h5p_activity_files(request, instances):
    for instance in instances:
        if isinstance(instance, H5PActivity):
            delete_activity_files(instance)


@hooks.register("insert_editor_js")
def right_to_left_editor_js():
    # The editor's own config names the page's locale (ACTIVE_CONTENT_LOCALE);
    # the script sets dir="rtl" on text fields and Draftail editors when that
    # locale is one of these.
    return format_html(
        '<script src="{}" data-rtl-locales="{}" defer></script>',
        static("content/js/right_to_left_editor.js"),
        json.dumps(right_to_left_content_languages()),
    )
