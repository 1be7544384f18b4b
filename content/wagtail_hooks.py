"""Admin: H5P activities (upload, listing, clean-up)."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    CreateView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from .forms import DeclinePackageForm, H5PUploadForm
from .h5p import H5PValidationError
from .models import H5PActivity, H5PHeldPackage, H5PLibrary, H5PStartFailure
from .progress import reports_results
from .scoped_admin import ScopedInspectView, ScopedSnippetViewSet
from .scoping import ProgrammeScopedPolicy, scoped
from .services import (
    ApprovalRefused,
    approve_held_package,
    decline_held_package,
    may_decide,
)


class H5PActivityCreateView(CreateView):
    """The snippet's own add view: activities are made from an uploaded package
    (checked whole before anything is written), never from an empty form. The
    "add" permission is checked by the view, as for any snippet."""

    def get(self, request, *args, **kwargs):
        return self._upload_page(H5PUploadForm(user=request.user))

    def post(self, request, *args, **kwargs):
        form = H5PUploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            saved = form.save(request.user)
            if isinstance(saved, H5PHeldPackage):
                messages.success(
                    request,
                    _(
                        "“%(title)s” needs new libraries: it was sent to the "
                        "programme managers for approval. You will be told by "
                        "e-mail."
                    )
                    % {"title": saved.title},
                )
                return redirect("wagtailsnippets_content_h5pheldpackage:list")
            if saved is not None:
                messages.success(
                    request,
                    _("H5P activity “%(title)s” uploaded.") % {"title": saved.title},
                )
                return redirect(self.index_url_name)
        return self._upload_page(form)

    def _upload_page(self, form):
        return TemplateResponse(
            self.request,
            "content/admin/upload_h5p.html",
            {"form": form, "page_title": _("Upload an H5P package")},
        )


class H5PActivityViewSet(ScopedSnippetViewSet):
    """A trainer lists, chooses, renames and deletes only their programmes'
    activities (content.scoping); another programme's id is refused."""

    model = H5PActivity
    icon = "pick"
    menu_label = _("H5P activities")
    list_display = [
        "title",
        "language",
        "main_library",
        Column(
            "start_failure_count",
            label=_("learners it failed to start for"),
            sort_key="start_failure_count",
        ),
        Column(
            "reports_results",
            label=_("can a lesson require it"),
            accessor=lambda activity: (
                gettext("yes")
                if reports_results(activity)
                else gettext("no: it never reports results (practice only)")
            ),
        ),
        "requirement_waived",
        "created_at",
    ]
    list_filter = ["requirement_waived"]
    search_fields = ["title"]
    panels = [
        FieldPanel("title"),
        FieldPanel("remote_media_origins"),
        FieldPanel("requirement_waived"),
    ]
    add_view_class = H5PActivityCreateView

    def get_queryset(self, request):
        # The user's programmes' activities; one query for the whole listing,
        # however many failures.
        return (
            super()
            .get_queryset(request)
            .annotate(start_failure_count=Count("start_failures"))
            .select_related("main_library")
        )


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Records kept by the system: the admin may look, never add or change."""

    READ_ACTIONS = frozenset({"view"})

    # Superusers included: Django's has_perm would grant them anything.
    def user_has_permission(self, user, action):
        return action in self.READ_ACTIONS and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions)


class ScopedReadOnlyPermissionPolicy(ProgrammeScopedPolicy, ReadOnlyPermissionPolicy):
    """Read-only, and only the rows of the user's own programmes: the scoped
    checks come first and ask the read-only ones about the action."""


register_permission_policy(
    H5PStartFailure, ScopedReadOnlyPermissionPolicy(H5PStartFailure)
)


class H5PStartFailureViewSet(ScopedSnippetViewSet):
    """Which activities did not start for which learners: trainers look here
    (or at the count on the activity listing) and may then waive the activity."""

    model = H5PStartFailure
    icon = "warning"
    menu_label = _("Activities that failed to start")
    list_display = ["activity", "user", "reason", "times", "last_failed_at"]
    # No filter by activity: its choices would list every programme's
    # activities. Search by title finds one instead.
    list_filter = ["reason"]
    search_fields = ["activity__title"]
    inspect_view_enabled = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("activity", "user")


register_permission_policy(H5PLibrary, ReadOnlyPermissionPolicy(H5PLibrary))


class H5PLibraryViewSet(SnippetViewSet):
    """Installed libraries: versions and how many activities use each. Libraries
    come and change only through package uploads (content.services.libraries)."""

    model = H5PLibrary
    icon = "code"
    menu_label = _("H5P libraries")
    list_display = [
        "machine_name",
        Column("version", label=_("version")),
        Column(
            "activity_count",
            label=_("activities using it"),
            sort_key="activity_count",
        ),
        "updated_at",
    ]
    search_fields = ["machine_name"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "machine_name",
        "major_version",
        "minor_version",
        "patch_version",
        "runnable",
        "activities_using",
        "updated_at",
    ]

    def get_queryset(self, request):
        return H5PLibrary.objects.annotate(activity_count=Count("activities")).order_by(
            "machine_name", "major_version", "minor_version"
        )


register_permission_policy(
    H5PHeldPackage, ScopedReadOnlyPermissionPolicy(H5PHeldPackage)
)


class HeldPackageInspectView(ScopedInspectView):
    """A held package, with approve and decline for those who may decide."""

    template_name = "content/admin/held_package_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        held = self.object
        if held.status == H5PHeldPackage.Status.PENDING and may_decide(
            self.request.user, held
        ):
            context["approve_url"] = reverse(
                "wagtailsnippets_content_h5pheldpackage:approve", args=[held.pk]
            )
            context["decline_form"] = DeclinePackageForm()
            context["decline_url"] = reverse(
                "wagtailsnippets_content_h5pheldpackage:decline", args=[held.pk]
            )
        return context


def _held_package_to_decide(request, pk: int) -> H5PHeldPackage:
    """A held package of the user's programmes (404 otherwise) that they may
    decide on (403 otherwise)."""
    held = get_object_or_404(scoped(request.user, H5PHeldPackage.objects.all()), pk=pk)
    if not may_decide(request.user, held):
        raise PermissionDenied
    return held


def _inspect(held_pk: int):
    return redirect("wagtailsnippets_content_h5pheldpackage:inspect", held_pk)


@require_POST
def approve_held_package_view(request, pk: int):
    held = _held_package_to_decide(request, pk)
    try:
        activity = approve_held_package(held.pk, request.user)
    except (H5PValidationError, ApprovalRefused) as error:
        messages.error(request, gettext(error.template) % error.params)
        return _inspect(held.pk)
    messages.success(
        request,
        _("Approved: “%(title)s” is now an activity of its programme.")
        % {"title": activity.title},
    )
    return _inspect(held.pk)


@require_POST
def decline_held_package_view(request, pk: int):
    held = _held_package_to_decide(request, pk)
    form = DeclinePackageForm(request.POST)
    if form.is_valid():
        try:
            decline_held_package(held.pk, request.user, form.cleaned_data["reason"])
        except ApprovalRefused as error:
            messages.error(request, gettext(error.template) % error.params)
        else:
            messages.success(
                request,
                _("Declined: “%(title)s”. Its trainer is told why.")
                % {"title": held.title},
            )
    else:
        messages.error(request, " ".join(str(e) for e in form.errors.get("reason", [])))
    return _inspect(held.pk)


class H5PHeldPackageViewSet(ScopedSnippetViewSet):
    """Packages trainers sent for approval because they need new libraries:
    trainers see their programmes' own; programme managers approve (the
    libraries installed, the activity made) or decline with a reason."""

    model = H5PHeldPackage
    icon = "tasks"
    menu_label = _("Packages sent for approval")
    list_display = ["title", "programme", "submitted_by", "status", "submitted_at"]
    list_filter = ["status"]
    search_fields = ["title"]
    inspect_view_enabled = True
    inspect_view_class = HeldPackageInspectView
    inspect_view_fields = [
        "title",
        "programme",
        "submitted_by",
        "submitted_at",
        "libraries_to_install",
        "status",
        "decided_by",
        "decided_at",
        "decline_reason",
        "activity",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("programme", "submitted_by")

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("approve/<int:pk>/", approve_held_package_view, name="approve"),
            path("decline/<int:pk>/", decline_held_package_view, name="decline"),
        ]


class H5PViewSetGroup(SnippetViewSetGroup):
    menu_label = _("H5P")
    menu_icon = "pick"
    menu_order = 250
    items = (
        H5PActivityViewSet,
        H5PLibraryViewSet,
        H5PStartFailureViewSet,
        H5PHeldPackageViewSet,
    )


register_permission_policy(H5PActivity, ProgrammeScopedPolicy(H5PActivity))
register_snippet(H5PViewSetGroup)


class StartFailuresPanel(Component):
    """On the admin's home page: activities that did not start for learners and
    still hold lessons up, so trainers hear of them without looking."""

    name = "h5p_start_failures"
    order = 150
    template_name = "content/admin/start_failures_panel.html"

    def __init__(self, activities):
        self.activities = activities

    def get_context_data(self, parent_context=None):
        return {"activities": self.activities}


@hooks.register("construct_homepage_panels")
def add_start_failures_panel(request, panels):
    if not request.user.has_perm("content.view_h5pstartfailure"):
        return
    activities = list(
        scoped(request.user, H5PActivity.objects.filter(requirement_waived=False))
        .annotate(start_failure_count=Count("start_failures"))
        .filter(start_failure_count__gt=0)
        .order_by("-start_failure_count")[:10]
    )
    if activities:
        panels.append(StartFailuresPanel(activities))


# How long a decided package stays on its sender's admin home page.
PACKAGE_OUTCOME_DAYS = 30


class PackageOutcomesPanel(Component):
    """On the admin's home page of whoever sent packages for approval: each one
    still waiting, and each decided in the last days with its outcome (the
    activity made, or the reason it was declined). The e-mail may be missed; the
    admin is where the trainer works."""

    name = "h5p_package_outcomes"
    order = 140
    template_name = "content/admin/package_outcomes_panel.html"

    def __init__(self, packages):
        self.packages = packages

    def get_context_data(self, parent_context=None):
        return {"packages": self.packages, "days": PACKAGE_OUTCOME_DAYS}


@hooks.register("construct_homepage_panels")
def add_package_outcomes_panel(request, panels):
    since = timezone.now() - timedelta(days=PACKAGE_OUTCOME_DAYS)
    # Only the user's own packages: they sent them, whatever their scope now.
    packages = list(
        H5PHeldPackage.objects.filter(submitted_by=request.user)
        .filter(Q(status=H5PHeldPackage.Status.PENDING) | Q(decided_at__gte=since))
        .select_related("activity")
        .order_by("-decided_at", "-submitted_at")[:10]
    )
    if packages:
        panels.append(PackageOutcomesPanel(packages))
