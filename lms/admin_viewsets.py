"""Pieces shared by the admin's read-only listings built on Wagtail's viewsets."""

from __future__ import annotations

from typing import Any


class ReadOnlyViewSetMixin:
    """For a ``ModelViewSet`` whose rows change only through services: its views
    link to no add, edit, delete, history or usage view (the viewset's own
    ``get_urlpatterns`` registers none of them)."""

    def get_common_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_common_view_kwargs(  # type: ignore[misc]
            add_url_name=None,
            edit_url_name=None,
            delete_url_name=None,
            history_url_name=None,
            usage_url_name=None,
            **kwargs,
        )
