"""Workshops and events in figures: registrations, attendance per session,
no-shows, by province, district, gender and sector. Every table starts from
``events.scoping.events_in_scope``, so a coordinator counts only their own
events; each table is a fixed number of queries, however many events."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates.models import Certificate
from events.models import Attendance, EventSession, Registration
from events.scoping import events_in_scope
from lms.accounts.models import District, Province, User

from .tables import BREAKDOWN_HEADERS, CHOICES, Cell, Table

REGISTERED = Registration.Status.REGISTERED
EVENT_TABLE_SLUGS = (
    "events",
    "sessions",
    "province",
    "district",
    "gender",
    "sector",
)
BREAKDOWN_TITLES = {
    "province": _("Registered and attended, by province"),
    "district": _("Registered and attended, by district"),
    "gender": _("Registered and attended, by gender"),
    "sector": _("Registered and attended, by sector"),
}


def _events_table(events, now) -> Table:  # type: ignore[no-untyped-def]
    attended = Attendance.objects.filter(
        session__event_id=OuterRef("event_id"), learner_id=OuterRef("learner_id")
    )
    places = Registration.objects.filter(event__in=events, status=REGISTERED)
    came = dict(
        places.filter(Exists(attended))
        .values_list("event_id")
        .annotate(count=Count("pk"))
        .values_list("event_id", "count")
    )
    # Certificates earned by attendance (or given by a staff override), those
    # still standing: a revoked or replaced one no longer counts.
    certified = dict(
        Certificate.objects.filter(
            workshop__event__in=events, is_current=True, revoked_at__isnull=True
        )
        .values_list("workshop__event")
        .annotate(count=Count("pk"))
        .values_list("workshop__event", "count")
    )
    ended = set(
        EventSession.objects.filter(event__in=events, ends_at__lte=now)
        .values_list("event_id", flat=True)
        .distinct()
    )
    rows: list[list[Cell]] = []
    for event in (
        events.select_related("district")
        .annotate(
            registered=Count(
                "registrations", filter=Q(registrations__status=REGISTERED)
            ),
            waiting=Count(
                "registrations",
                filter=Q(registrations__status=Registration.Status.WAITLISTED),
            ),
            cancelled=Count(
                "registrations",
                filter=Q(registrations__status=Registration.Status.CANCELLED),
            ),
        )
        .order_by("-created_at", "pk")
    ):
        attended_count = came.get(event.pk, 0)
        rows.append(
            [
                event.title,
                str(event.district or ""),
                event.get_status_display(),
                event.capacity,
                event.registered,
                event.waiting,
                event.cancelled,
                attended_count,
                # No-shows only once a session is over.
                event.registered - attended_count if event.pk in ended else None,
                certified.get(event.pk, 0),
            ]
        )
    return Table(
        "events",
        _("Events"),
        [
            _("Event"),
            _("District"),
            _("Status"),
            _("Places"),
            _("Registered"),
            _("Waiting"),
            _("Cancelled"),
            _("Attended"),
            _("No-shows"),
            _("Certificates"),
        ],
        rows,
    )


def _sessions_table(events, now) -> Table:  # type: ignore[no-untyped-def]
    registered_here = Registration.objects.filter(
        event_id=OuterRef("session__event_id"),
        learner_id=OuterRef("learner_id"),
        status=REGISTERED,
    )
    came = dict(
        Attendance.objects.filter(session__event__in=events)
        .filter(Exists(registered_here))
        .values_list("session_id")
        .annotate(count=Count("pk"))
        .values_list("session_id", "count")
    )
    walk_ins = dict(
        Attendance.objects.filter(session__event__in=events)
        .exclude(Exists(registered_here))
        .values_list("session_id")
        .annotate(count=Count("pk"))
        .values_list("session_id", "count")
    )
    places = dict(
        Registration.objects.filter(event__in=events, status=REGISTERED)
        .values_list("event_id")
        .annotate(count=Count("pk"))
        .values_list("event_id", "count")
    )
    rows: list[list[Cell]] = []
    for session in (
        EventSession.objects.filter(event__in=events)
        .select_related("event")
        .order_by("starts_at", "pk")
    ):
        registered = places.get(session.event_id, 0)
        attended = came.get(session.pk, 0)
        rows.append(
            [
                session.event.title,
                timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M"),
                session.get_mode_display(),
                registered,
                attended,
                walk_ins.get(session.pk, 0),
                registered - attended if session.ends_at <= now else None,
            ]
        )
    return Table(
        "sessions",
        _("Attendance per session"),
        [
            _("Event"),
            _("Starts (Pakistan time)"),
            _("Held"),
            _("Registered"),
            _("Attended"),
            _("Attended without a place"),
            _("No-shows"),
        ],
        rows,
    )


def _breakdown(events, name: str) -> Table:  # type: ignore[no-untyped-def]
    attended = Attendance.objects.filter(
        session__event_id=OuterRef("event_id"), learner_id=OuterRef("learner_id")
    )
    field = f"learner__profile__{name}"
    if name in ("province", "district"):
        field += "_id"
    counts = (
        Registration.objects.filter(event__in=events, status=REGISTERED)
        .annotate(came=Exists(attended))
        .values(field)
        .annotate(registered=Count("pk"), attended=Count("pk", filter=Q(came=True)))
        .order_by("-registered")
    )
    labels: dict[object, str]
    if name == "province":
        labels = {p.pk: p.name for p in Province.objects.all()}
    elif name == "district":
        labels = {
            d.pk: d.name
            for d in District.objects.filter(pk__in=[row[field] for row in counts])
        }
    else:
        labels = {key: str(label) for key, label in CHOICES[name].items()}
    rows: list[list[Cell]] = [
        [
            labels.get(row[field], "—"),
            row["registered"],
            row["attended"],
        ]
        for row in counts
    ]
    return Table(
        name,
        BREAKDOWN_TITLES[name],
        [BREAKDOWN_HEADERS[name], _("Registered"), _("Attended")],
        rows,
    )


def build_event_tables(user: User, event_id: int | None = None) -> dict[str, Table]:
    events = events_in_scope(user)
    if event_id is not None:
        events = events.filter(pk=event_id)
    now = timezone.now()
    tables = {
        "events": _events_table(events, now),
        "sessions": _sessions_table(events, now),
    }
    for name in BREAKDOWN_TITLES:
        tables[name] = _breakdown(events, name)
    return tables
