"""The managers' dashboard in the Wagtail admin, its downloads and its refresh."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import get_language_bidi, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import charts, exports, scope
from .dashboard import build_dashboard
from .event_reports import EVENT_TABLE_SLUGS, build_event_tables
from .figures import BREAKDOWNS
from .forms import DashboardFilterForm
from .scope import Visible
from .summaries import refresh_dashboard_summaries
from .tables import STAGES, TABLE_SLUGS, build_tables
from .templatetags.reporting_tags import date_text, number_text


def _visible(request: HttpRequest) -> Visible:
    """The person's scope (worked out once for the request), or 403."""
    visible = scope.for_request(request)
    if not visible.may_see_dashboard:
        raise PermissionDenied
    return visible


def dashboard_context(request: HttpRequest) -> dict:
    """The form, figures, tables and charts for ``request``'s filters."""
    visible = _visible(request)
    form = DashboardFilterForm(request.GET or None, visible=visible)
    if form.is_bound and not form.is_valid():
        # Refused ids or a bad range: say so, and show nothing filtered wrongly.
        return {"form": form, "dashboard": None}
    dashboard = build_dashboard(visible, form.filters())
    tables = build_tables(dashboard, form.names())
    rtl = get_language_bidi()
    chart_of = {
        "funnel": charts.bar_chart(
            [(str(STAGES[stage]), count) for stage, count in dashboard.funnel],
            number_text,
            rtl=rtl,
            css=[f"chart-bar chart-bar--stage{index}" for index in range(5)],
        ),
        "courses": charts.bar_chart(
            [(row[0], row[4]) for row in tables["courses"].rows],
            number_text,
            rtl=rtl,
            css=["chart-bar chart-bar--lost"],
        ),
        "lessons": charts.bar_chart(
            [(f"{row[0]} · {row[1]}", row[2]) for row in tables["lessons"].rows],
            number_text,
            rtl=rtl,
            css=["chart-bar chart-bar--lost"],
        ),
    }
    for name in BREAKDOWNS:
        chart_of[name] = charts.bar_chart(
            [(row[0], row[1]) for row in tables[name].rows[:15]],
            number_text,
            rtl=rtl,
        )
    query = request.GET.urlencode()
    sections = [
        {
            "table": tables[slug],
            "chart": chart_of.get(slug),
            "csv": _export_url(slug, "csv", query),
            "xlsx": _export_url(slug, "xlsx", query),
        }
        for slug in TABLE_SLUGS
        if slug != "figures"
    ]
    return {
        "form": form,
        "dashboard": dashboard,
        "figures": tables["figures"],
        "figures_csv": _export_url("figures", "csv", query),
        "figures_xlsx": _export_url("figures", "xlsx", query),
        "sections": sections,
        "weekly_chart": charts.weekly_columns(
            dashboard.weeks, date_text, number_text, rtl=rtl
        ),
    }


def _export_url(slug: str, file_format: str, query: str) -> str:
    url = reverse("reporting_export", args=[slug, file_format])
    return f"{url}?{query}" if query else url


class DashboardView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "reporting/dashboard.html"
    page_title = gettext_lazy("Programme dashboard")
    header_icon = "table"

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": "", "label": self.page_title},
        ]

    def dispatch(self, request, *args, **kwargs):
        _visible(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(dashboard_context(self.request))
        return context


def export_view(request: HttpRequest, slug: str, file_format: str) -> HttpResponse:
    visible = _visible(request)
    if slug not in TABLE_SLUGS or file_format not in ("csv", "xlsx"):
        raise Http404
    form = DashboardFilterForm(request.GET or None, visible=visible)
    if form.is_bound and not form.is_valid():
        return HttpResponse(
            _("These filters cannot be used: %(errors)s")
            % {"errors": "; ".join(str(e) for e in form.errors.values())},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    dashboard = build_dashboard(visible, form.filters())
    table = build_tables(dashboard, form.names())[slug]
    if file_format == "csv":
        body, content_type = exports.table_csv(table), exports.CSV_TYPE
    else:
        body, content_type = exports.table_xlsx(table), exports.XLSX_TYPE
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="dashboard-{slug}.{file_format}"'
    )
    return response


@require_POST
def refresh_view(request: HttpRequest) -> HttpResponseRedirect:
    _visible(request)
    refresh_dashboard_summaries.enqueue()
    messages.success(
        request, _("The figures are being brought up to date; reload in a minute.")
    )
    return HttpResponseRedirect(reverse("reporting_dashboard"))


def _event_id(request: HttpRequest) -> int | None:
    try:
        return int(request.GET.get("event", "")[:12]) or None
    except ValueError:
        return None


class EventReportView(WagtailAdminTemplateMixin, TemplateView):
    """Registrations, attendance and no-shows of the events in the user's
    scope (one event with ``?event=<id>``, found among theirs only)."""

    template_name = "reporting/events.html"
    page_title = gettext_lazy("Workshops and events report")
    header_icon = "date"

    def dispatch(self, request, *args, **kwargs):
        _visible(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event_id = _event_id(self.request)
        tables = build_event_tables(self.request.user, event_id)
        query = f"?event={event_id}" if event_id else ""
        context["sections"] = [
            {
                "table": tables[slug],
                "csv": reverse("reporting_event_export", args=[slug, "csv"]) + query,
                "xlsx": reverse("reporting_event_export", args=[slug, "xlsx"]) + query,
            }
            for slug in EVENT_TABLE_SLUGS
        ]
        return context


def event_export_view(
    request: HttpRequest, slug: str, file_format: str
) -> HttpResponse:
    _visible(request)
    if slug not in EVENT_TABLE_SLUGS or file_format not in ("csv", "xlsx"):
        raise Http404
    table = build_event_tables(request.user, _event_id(request))[slug]
    if file_format == "csv":
        body, content_type = exports.table_csv(table), exports.CSV_TYPE
    else:
        body, content_type = exports.table_xlsx(table), exports.XLSX_TYPE
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="events-{slug}.{file_format}"'
    )
    return response
