"""The dashboard's filters: every id checked against what the person may see."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage, ProgrammePage
from lms.accounts.models import District, Profile, Province

from .figures import Filters
from .scope import Visible


def _limited(visible: Visible, queryset: QuerySet, lookup: str) -> QuerySet:
    """``queryset`` narrowed to rows some visible enrolment leads to."""
    if visible.nothing:
        return queryset.none()
    if visible.everything:
        return queryset
    return queryset.filter(pk__in=visible.enrolments.values(lookup))


class ListSelect(forms.Select):
    """A select drawn in Python: Django's template per option took a fifth of
    a second for the 200 courses and 160 districts of a national programme."""

    def render(self, name, value, attrs=None, renderer=None):
        attributes = self.build_attrs(self.attrs, attrs)
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option, " selected" if str(option) == chosen else "", label)
                for option, label in self.choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(attributes), options
        )


def _page_label(title: str, language_code: str) -> str:
    return f"{title} ({language_code})"


def _choice(
    label: Promise, *, coerce: Callable[[Any], Any] | None = None, choices=()
) -> forms.TypedChoiceField:
    """An optional filter drawn as a plain select: empty means "All". Ids
    (``coerce=int``) get their choices per person, in the form's ``__init__``."""
    extra = {} if coerce is None else {"coerce": coerce}
    return forms.TypedChoiceField(
        widget=ListSelect,
        label=label,
        required=False,
        empty_value=None,
        choices=choices,
        **extra,
    )


class DashboardFilterForm(forms.Form):
    """One query per choice list, whatever is chosen: an id outside the lists
    (another district's, a course the person cannot see) is refused."""

    programme = _choice(_("Programme"), coerce=int)
    course = _choice(_("Course"), coerce=int)
    province = _choice(_("Province"), coerce=int)
    district = _choice(_("District"), coerce=int)
    gender = _choice(
        _("Gender"),
        choices=[("", _("All")), *Profile.Gender.choices[:-1], ("-", _("Not given"))],
    )
    sector = _choice(_("Sector"), choices=[("", _("All")), *Profile.Sector.choices])
    role = _choice(_("Role"), choices=[("", _("All")), *Profile.Role.choices])
    cohort = _choice(_("Cohort"), coerce=int)
    date_from = forms.DateField(
        label=_("Enrolled from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_("Enrolled until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, visible: Visible, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        everyone = [("", _("All"))]
        programmes = self._programmes(visible)
        self.fields["programme"].choices = everyone + programmes
        courses = _limited(visible, CoursePage.objects.all(), "course_id")
        self.fields["course"].choices = everyone + [
            (pk, _page_label(title, code))
            for pk, title, code in courses.order_by("title", "locale_id").values_list(
                "pk", "title", "locale__language_code"
            )
        ]
        provinces = _limited(visible, Province.objects.all(), "user__profile__province")
        self.fields["province"].choices = everyone + [
            (province.pk, province.name) for province in provinces
        ]
        self.fields["cohort"].choices = everyone + [
            (cohort.pk, cohort.name) for cohort in visible.cohorts.order_by("name_en")
        ]
        districts = _limited(visible, District.objects.all(), "user__profile__district")
        self.fields["district"].choices = everyone + [
            (district.pk, district.name) for district in districts
        ]

    @staticmethod
    def _programmes(visible: Visible) -> list[tuple[int, str]]:
        programmes = ProgrammePage.objects.order_by("title", "locale_id")
        if visible.nothing:
            return []
        rows = programmes.values_list("pk", "title", "locale__language_code", "path")
        if visible.everything:
            return [(pk, _page_label(title, code)) for pk, title, code, _ in rows]
        course_paths = set(
            CoursePage.objects.filter(
                pk__in=visible.enrolments.values("course_id")
            ).values_list("path", flat=True)
        )
        parents = {path[:-4] for path in course_paths}
        return [
            (pk, _page_label(title, code))
            for pk, title, code, path in rows
            if path in parents
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error(
                "date_to", _("The end of the range must not be before its start.")
            )
        return cleaned

    def filters(self) -> Filters:
        """The chosen filters (none if the form is not valid)."""
        if not self.is_valid():
            return Filters()
        data = dict(self.cleaned_data)
        if data.get("gender") == "-":
            data["gender"] = ""  # "prefer not to say" is stored as ""
        return Filters(
            **{name: data.get(name) for name in Filters.__dataclass_fields__}
        )

    def names(self) -> dict[str, dict[int, str]]:
        """Labels for the ids the dashboard shows, from the lists already read."""
        return {
            name: {
                value: str(label)
                for value, label in self.fields[name].choices
                if value != ""
            }
            for name in ("programme", "course", "province", "district", "cohort")
        }
