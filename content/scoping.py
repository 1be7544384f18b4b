"""Programme isolation as a rule of the data: what a trainer may see and touch.

Every model a trainer can reach names, in ``programme_lookups``, the lookups
from one of its rows to the page that owns it (a course or a programme). A row
belongs to a user when one of those pages is a page the user may edit; Wagtail's
page permissions decide that, so granting a group a programme grants its whole
bank. This module knows only Wagtail's pages, not the courses app above it:
the courses app declares its models' lookups and registers which pages are
programmes (``register_programme_pages``) in its ``ready()``.

Superusers see everything; a model with no lookups is seen by nobody else.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model, Q, QuerySet
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy

_programme_pages: Callable[[], QuerySet[Page]] | None = None


def register_programme_pages(pages: Callable[[], QuerySet[Page]]) -> None:
    """The courses app names its programme pages (one per translation key)."""
    global _programme_pages
    _programme_pages = pages


def editable_pages(user) -> QuerySet[Page]:
    """The pages ``user`` may change: their programmes and everything below."""
    return PagePermissionPolicy().instances_user_has_any_permission_for(
        user, ["change"]
    )


def all_programmes() -> QuerySet[Page]:
    """Every programme page, once (as the courses app registered them)."""
    if _programme_pages is None:
        return Page.objects.none()
    return _programme_pages()


def programmes_of(user) -> QuerySet[Page]:
    """The programme pages ``user`` works in (every programme for a superuser)."""
    programmes = all_programmes()
    if user.is_superuser:
        return programmes
    return programmes.filter(pk__in=editable_pages(user).values("pk"))


def owner_filter(user, lookups: tuple[str, ...]) -> Q:
    pages = editable_pages(user).values("pk")
    condition = Q(pk__in=[])
    for lookup in lookups:
        condition |= Q(**{f"{lookup}__in": pages})
    return condition


def scoped(user, queryset: QuerySet) -> QuerySet:
    """The rows of ``queryset`` that belong to the programmes ``user`` edits."""
    if not (user.is_active and user.is_authenticated):
        return queryset.none()
    if user.is_superuser:
        return queryset
    lookups = getattr(queryset.model, "programme_lookups", ())
    if not lookups:
        return queryset.none()
    return queryset.filter(owner_filter(user, lookups))


def in_scope(user, instance: Model) -> bool:
    model = type(instance)
    return scoped(user, model._default_manager.filter(pk=instance.pk)).exists()


class ProgrammeScopedPolicy(ModelPermissionPolicy):
    """Model permissions, and only for objects of the user's own programmes.

    Wagtail asks this policy for listings, choosers and every edit or delete, so
    one registration covers every admin view of the model.
    """

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and in_scope(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions) and in_scope(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return scoped(user, self.model._default_manager.all())
