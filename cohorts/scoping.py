"""Who a coordinator may see: the one place that answers it.

Every admin view, report, export and message about learners asks these
functions, so a scope is decided once:

- a superuser or a member of "Programme managers" sees everything;
- a ``CoordinatorAssignment`` with only a programme sees that programme (its
  courses in every language, its cohorts, the learners enrolled in them);
- one with a province or a district sees only the learners whose profile is in
  that province or district, and the cohorts held there;
- one with a cohort, or a place among a cohort's ``coordinators``, sees that
  cohort: its members and their enrolments in its courses.

A user with several assignments sees their union; a user with none sees nothing.
Each function returns a lazy queryset built from two small reads (the user's
assignments and their programmes' pages), whatever the number of learners.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from courses.models import CoursePage, Enrolment, ProgrammePage
from lms.accounts import services as accounts
from lms.accounts.models import District, User

from .models import Cohort, CoordinatorAssignment

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

COORDINATORS_GROUP = accounts.COORDINATORS_GROUP


@dataclass(frozen=True)
class Area:
    """One assignment, resolved: the programme's pages in every language and
    the narrowing, if any."""

    programme_ids: tuple[int, ...]
    programme_paths: tuple[str, ...]
    province_id: int | None = None
    district_id: int | None = None
    cohort_id: int | None = None
    cohort_course_ids: tuple[int, ...] = ()


def sees_everything(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=accounts.PROGRAMME_MANAGERS_GROUP).exists()


def areas(user: User | AnonymousUser) -> list[Area]:
    """The user's assignments and cohort coordinations, resolved (5 queries)."""
    if not user.is_authenticated or not user.is_active:
        return []
    assignments = list(
        CoordinatorAssignment.objects.filter(user=user).values(
            "programme__translation_key", "province_id", "district_id", "cohort_id"
        )
    )
    coordinated = list(
        Cohort.objects.filter(Q(coordinators=user) | Q(assignments__user=user))
        .distinct()
        .values("pk", "programme__translation_key")
    )
    if not assignments and not coordinated:
        return []
    keys = {row["programme__translation_key"] for row in assignments + coordinated}
    pages: dict[Any, list[tuple[int, str]]] = {}
    for pk, path, key in ProgrammePage.objects.filter(
        translation_key__in=keys
    ).values_list("pk", "path", "translation_key"):
        pages.setdefault(key, []).append((pk, path))
    # A cohort's courses in every language: a learner may take the Urdu one.
    chosen = list(
        Cohort.courses.through.objects.filter(
            cohort_id__in=[row["pk"] for row in coordinated]
        ).values_list("cohort_id", "coursepage__translation_key")
    )
    translations: dict[Any, list[int]] = {}
    for pk, key in CoursePage.objects.filter(
        translation_key__in={key for _cohort, key in chosen}
    ).values_list("pk", "translation_key"):
        translations.setdefault(key, []).append(pk)
    cohort_courses: dict[int, list[int]] = {}
    for cohort_id, key in chosen:
        cohort_courses.setdefault(cohort_id, []).extend(translations.get(key, []))

    def ids(key: Any) -> tuple[int, ...]:
        return tuple(pk for pk, _path in pages.get(key, []))

    def paths(key: Any) -> tuple[str, ...]:
        return tuple(path for _pk, path in pages.get(key, []))

    result = [
        Area(
            ids(row["programme__translation_key"]),
            paths(row["programme__translation_key"]),
            province_id=row["province_id"],
            district_id=row["district_id"],
        )
        for row in assignments
        if row["cohort_id"] is None
    ]
    result += [
        Area(
            ids(row["programme__translation_key"]),
            paths(row["programme__translation_key"]),
            cohort_id=row["pk"],
            cohort_course_ids=tuple(cohort_courses.get(row["pk"], ())),
        )
        for row in coordinated
    ]
    return result


def _in_programme(area: Area, course_field: str) -> Q:
    """``course_field`` (a path to a CoursePage) lies under the area's programme."""
    which = Q(pk__in=[])
    for path in area.programme_paths:
        which |= Q(**{f"{course_field}__path__startswith": path})
    return which


def _in_place(area: Area, profile: str) -> Q:
    if area.district_id:
        return Q(**{f"{profile}__district_id": area.district_id})
    if area.province_id:
        return Q(**{f"{profile}__province_id": area.province_id})
    return Q()


def _enrolment_filter(area: Area) -> Q:
    which = _in_programme(area, "course")
    if area.cohort_id is not None:
        which &= Q(user__cohort_memberships__cohort_id=area.cohort_id)
        if area.cohort_course_ids:
            which &= Q(course_id__in=area.cohort_course_ids)
        return which
    return which & _in_place(area, "user__profile")


def _known_areas(user: User | AnonymousUser, known: list[Area] | None) -> list[Area]:
    """``known`` (the areas of someone the caller found does not see
    everything), else ``user``'s areas read now."""
    return areas(user) if known is None else known


def enrolments_in_scope(
    user: User | AnonymousUser,
    queryset: QuerySet[Enrolment] | None = None,
    *,
    known: list[Area] | None = None,
) -> QuerySet[Enrolment]:
    """The enrolments ``user`` may see, narrowed from ``queryset`` if given.
    ``known``: the user's ``areas``, when the caller read them already and
    found the user does not see everything."""
    queryset = Enrolment.objects.all() if queryset is None else queryset
    if known is None and sees_everything(user):
        return queryset
    found = _known_areas(user, known)
    if not found:
        return queryset.none()
    which = Q(pk__in=[])
    for area in found:
        which |= _enrolment_filter(area)
    return queryset.filter(pk__in=Enrolment.objects.filter(which).values("pk"))


def learners_in_scope(user: User | AnonymousUser) -> QuerySet[User]:
    """The learners ``user`` may see: enrolled in, or members of a cohort of,
    their programmes (narrowed to their place or cohort)."""
    if sees_everything(user):
        return User.objects.all()
    found = areas(user)
    if not found:
        return User.objects.none()
    which = Q(pk__in=[])
    for area in found:
        if area.cohort_id is not None:
            which |= Q(cohort_memberships__cohort_id=area.cohort_id)
            continue
        taking = _in_programme(area, "enrolments__course") | Q(
            cohort_memberships__cohort__programme_id__in=area.programme_ids
        )
        which |= taking & _in_place(area, "profile")
    return User.objects.filter(pk__in=User.objects.filter(which).values("pk"))


def cohorts_in_scope(
    user: User | AnonymousUser, *, known: list[Area] | None = None
) -> QuerySet[Cohort]:
    """The cohorts ``user`` may see and act on (``known``: as for
    ``enrolments_in_scope``)."""
    if known is None and sees_everything(user):
        return Cohort.objects.all()
    found = _known_areas(user, known)
    if not found:
        return Cohort.objects.none()
    which = Q(pk__in=[])
    for area in found:
        if area.cohort_id is not None:
            which |= Q(pk=area.cohort_id)
        elif area.district_id:
            which |= Q(
                programme_id__in=area.programme_ids, district_id=area.district_id
            )
        elif area.province_id:
            which |= Q(programme_id__in=area.programme_ids) & (
                Q(province_id=area.province_id)
                | Q(district__province_id=area.province_id)
            )
        else:
            which |= Q(programme_id__in=area.programme_ids)
    return Cohort.objects.filter(pk__in=Cohort.objects.filter(which).values("pk"))


def can_see_learner(user: User | AnonymousUser, learner: User) -> bool:
    return learners_in_scope(user).filter(pk=learner.pk).exists()


def can_see_cohort(user: User | AnonymousUser, cohort: Cohort) -> bool:
    return cohorts_in_scope(user).filter(pk=cohort.pk).exists()


def _cohort_in_area(area: Area, cohort: Cohort) -> bool:
    """``cohorts_in_scope``'s rule for one area, without a query."""
    if area.cohort_id is not None:
        return area.cohort_id == cohort.pk
    if cohort.programme_id not in area.programme_ids:
        return False
    if area.district_id:
        return cohort.district_id == area.district_id
    if area.province_id:
        return cohort.province_id == area.province_id or (
            cohort.district is not None
            and cohort.district.province_id == area.province_id
        )
    return True


def may_enrol_from(
    user: User | AnonymousUser,
    cohort: Cohort,
    district: District,
    *,
    known: list[Area] | None = None,
) -> bool:
    """Whether ``user`` may enrol a learner of ``district`` into ``cohort``: the
    cohort is theirs, and a province or district coordinator only enrols their
    place's learners (a cohort or programme coordinator anyone's). ``known``:
    the user's ``areas``, when the caller read them already."""
    if sees_everything(user):
        return True
    for area in areas(user) if known is None else known:
        if not _cohort_in_area(area, cohort):
            continue
        if area.district_id and area.district_id != district.pk:
            continue
        if area.province_id and area.province_id != district.province_id:
            continue
        return True
    return False


def cohort_courses(cohort: Cohort) -> QuerySet[CoursePage]:
    """The live courses a cohort takes: those chosen, or all of its programme's."""
    chosen = CoursePage.objects.live().filter(cohorts=cohort)
    if chosen.exists():
        return chosen
    return CoursePage.objects.live().descendant_of(cohort.programme)
