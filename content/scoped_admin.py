"""Snippet admin views that show and hand out only the user's programmes' rows.

Wagtail's snippet views ask the permission policy whether a user holds a model
permission, but list, choose and fetch rows by id from the whole table. These
classes put ``content.scoping.scoped`` in front of each of those reads, so the
listing, the chooser modal and every URL with an id refuse another programme's
rows (404 for a chooser, 403 for an edit page). The courses app uses them for
its question banks and quizzes, this app for H5P activities.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from wagtail.snippets.views import chooser as chooser_views
from wagtail.snippets.views import snippets as snippet_views

from .scoping import in_scope, scoped


class ScopedObjectMixin:
    """Refuse a trainer an object outside their programmes, whatever the URL."""

    def get_object(self, *args, **kwargs):
        instance = super().get_object(*args, **kwargs)
        if not in_scope(self.request.user, instance):
            raise PermissionDenied
        return instance


class ScopedEditView(ScopedObjectMixin, snippet_views.EditView):
    pass


class ScopedDeleteView(ScopedObjectMixin, snippet_views.DeleteView):
    pass


class ScopedCopyView(ScopedObjectMixin, snippet_views.CopyView):
    pass


class ScopedUsageView(ScopedObjectMixin, snippet_views.UsageView):
    pass


class ScopedHistoryView(ScopedObjectMixin, snippet_views.HistoryView):
    pass


class ScopedInspectView(ScopedObjectMixin, snippet_views.InspectView):
    pass


class ScopedChooseListMixin:
    def get_object_list(self):
        return scoped(self.request.user, super().get_object_list())


class ScopedChooseView(ScopedChooseListMixin, chooser_views.ChooseView):
    pass


class ScopedChooseResultsView(ScopedChooseListMixin, chooser_views.ChooseResultsView):
    pass


class ScopedChosenView(chooser_views.SnippetChosenView):
    def get_object(self, pk):
        return scoped(self.request.user, self.model_class.objects.all()).get(pk=pk)


class ScopedChosenMultipleView(chooser_views.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return scoped(self.request.user, super().get_objects(pks))


class ScopedChooserViewSet(chooser_views.SnippetChooserViewSet):
    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView
    chosen_view_class = ScopedChosenView
    chosen_multiple_view_class = ScopedChosenMultipleView


class ScopedSnippetViewSet(snippet_views.SnippetViewSet):
    """A snippet viewset whose every view sees only the user's programmes' rows."""

    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    copy_view_class = ScopedCopyView
    usage_view_class = ScopedUsageView
    history_view_class = ScopedHistoryView
    inspect_view_class = ScopedInspectView
    chooser_viewset_class = ScopedChooserViewSet

    def get_queryset(self, request):
        return scoped(request.user, self.model._default_manager.all())
