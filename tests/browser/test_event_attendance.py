"""Issue 19's acceptance: a teacher registers for a two-session workshop on a
phone, gets the .ics, checks in at both sessions by scanning the trainer's
rotating QR, and receives the certificate after the second; a teacher at one
session only gets the "what is missing" e-mail; a screenshot of an old QR is
refused. And the trainer's phone keeps check-ins made offline and sends them
once the connection is back, each recorded once.

Time is moved by moving the sessions (their times are set around "now"
before each step) and, for the screenshot, by moving the server's clock for
the check-in codes. Screenshots go to /tmp/shots-checkin/ for a person.
"""

from __future__ import annotations

import datetime
import subprocess
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate
from courses import authoring
from courses.models import ProgrammePage
from events import services as event_services
from events.attendance import codes
from events.models import Attendance, Event, EventSession

from .conftest import PHONE, log_in
from .driver import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}
SHOTS = Path("/tmp/shots-checkin")  # noqa: S108 - screenshots for a person, not data
PASSWORD = "green-mango-tree-42"


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def place(session: EventSession, start_minutes: int, minutes: int = 120) -> None:
    """Move a session to start ``start_minutes`` from now."""
    session.starts_at = timezone.now() + datetime.timedelta(minutes=start_minutes)
    session.ends_at = session.starts_at + datetime.timedelta(minutes=minutes)
    session.save(update_fields=["starts_at", "ends_at"])


def signed_in(page, email: str) -> None:
    log_in(page, email, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def scanned_url(page) -> str:
    """What a phone camera reads from the QR on the trainer's screen."""
    SHOTS.mkdir(exist_ok=True)
    image = SHOTS / "qr-on-screen.png"
    page.locator("#checkin-qr").screenshot(path=str(image))
    decoded = subprocess.run(  # noqa: S603 - a fixed tool on a file we wrote
        ["/usr/bin/zbarimg", "--raw", "-q", str(image)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert decoded == page.get_attribute("#checkin-qr", "data-url")
    return urlsplit(decoded).path


@pytest.fixture
def workshop(home_page):
    programme = authoring.create_programme(
        home_page,
        "NTTP",
        "nttp",
        audience=ProgrammePage.Audience.TEACHERS,
    )
    event = Event.objects.create(
        slug="classroom-management",
        title_en="Classroom management workshop",
        title_ur="کلاس روم مینجمنٹ ورکشاپ",
        programme=programme,
        capacity=30,
        cpd_hours=Decimal("6"),
        status=Event.Status.PUBLISHED,
        attendance_rule=Event.AttendanceRule.ALL_SESSIONS,
    )
    now = timezone.now()
    for day in (1, 2):
        EventSession.objects.create(
            event=event,
            title_en=f"Day {day}",
            title_ur=f"دن {day}",
            starts_at=now + datetime.timedelta(days=day),
            ends_at=now + datetime.timedelta(days=day, hours=3),
            venue="Government High School, Lahore",
        )
    return event


def test_teacher_checks_in_at_both_sessions_and_gets_the_certificate(
    browser, live_server, make_learner, workshop, monkeypatch
):
    first, second = workshop.sessions.order_by("starts_at")
    trainer = make_learner(email="trainer@example.org", password=PASSWORD)
    trainer.is_superuser = True
    trainer.save()
    ayesha = make_learner(
        email="ayesha@example.org",
        password=PASSWORD,
        certificate_name_en="Ayesha Siddiqui",
        certificate_name_ur="عائشہ صدیقی",
    )
    bilal = make_learner(
        email="bilal@example.org",
        password=PASSWORD,
        certificate_name_en="Bilal Ahmed",
        certificate_name_ur="بلال احمد",
        preferred_language="ur",
    )
    event_services.register(workshop, bilal)

    phone = browser.new_context(
        viewport=PHONE, base_url=live_server.url, accept_downloads=True
    )
    other_phone = browser.new_context(viewport=PHONE, base_url=live_server.url)
    laptop = browser.new_context(viewport=DESKTOP, base_url=live_server.url)
    try:
        teacher = phone.new_page()
        teacher.set_default_timeout(20000)
        signed_in(teacher, ayesha.email)
        teacher.goto(reverse("events:detail", args=[workshop.slug]))
        teacher.locator("main form button[type=submit]").click()
        expect(teacher.locator(".status-done")).to_be_visible()
        with teacher.expect_download() as download:
            teacher.locator("a[href$='calendar.ics']").click()
        ics = Path(download.value.path()).read_text(encoding="utf-8")
        assert "BEGIN:VCALENDAR" in ics
        assert ics.count("BEGIN:VEVENT") == 2
        teacher.goto(reverse("courses:dashboard"))
        expect(teacher.locator("#personal-check-in")).to_contain_text(
            codes.display_personal_code(ayesha.pk)
        )
        shot(teacher, "my-learning-personal-code-en")

        # Day 1 begins: the trainer opens the check-in screen.
        place(first, -10)
        trainer_page = laptop.new_page()
        trainer_page.set_default_timeout(20000)
        signed_in(trainer_page, trainer.email)
        trainer_page.goto(reverse("attendance:screen", args=[first.pk]))
        shot(trainer_page, "trainer-screen-desktop-en")
        day_one = scanned_url(trainer_page)

        teacher.goto(day_one)
        shot(teacher, "attendee-confirm-en")
        teacher.locator(".checkin-confirm").click()
        expect(teacher.locator(".messages")).to_contain_text("You are checked in")
        shot(teacher, "attendee-checked-in-en")

        # Bilal scans with a phone that is not signed in: he signs in on the
        # spot and comes back to the check-in, in his own language.
        late = other_phone.new_page()
        late.set_default_timeout(20000)
        late.goto(day_one)
        late.wait_for_url("**/accounts/login/**")
        late.fill("#id_username", bilal.email)
        late.fill("#id_password", PASSWORD)
        late.click("main button[type=submit]")
        late.wait_for_url("**/ur/events/check-in/**")
        shot(late, "attendee-confirm-ur")
        late.locator(".checkin-confirm").click()
        expect(late.locator(".messages")).to_contain_text("خوش آمدید")
        shot(late, "attendee-checked-in-ur")
        assert Attendance.objects.filter(session=first).count() == 2

        trainer_page.reload()
        expect(trainer_page.locator("#checkin-count")).to_have_text("2")

        # Day 2: only Ayesha comes. Bilal tries a photo of the code that a
        # colleague sent him a minute and a half later: refused.
        place(first, -60 * 24, 180)
        place(second, -5)
        trainer_page.goto(reverse("attendance:screen", args=[second.pk]))
        day_two = scanned_url(trainer_page)
        teacher.goto(day_two)
        teacher.locator(".checkin-confirm").click()
        expect(teacher.locator(".messages")).to_contain_text("You are checked in")

        later = time.time() + 2 * codes.ROTATION_SECONDS + 1
        monkeypatch.setattr(codes.time, "time", lambda: later)
        late.goto(day_two)
        refusal = late.locator(".checkin-refusal")
        expect(refusal).to_be_visible()
        assert late.locator(".checkin-confirm").count() == 0
        shot(late, "attendee-expired-ur")
        monkeypatch.undo()
        assert not Attendance.objects.filter(session=second, learner=bilal).exists()

        # The workshop ends; the trainer issues the certificates.
        place(second, -200, 180)
        trainer_page.goto(reverse("attendance:event_certificates", args=[workshop.pk]))
        shot(trainer_page, "event-certificates-before-en")
        trainer_page.locator("form input[value=award] ~ button").click()
        expect(trainer_page.locator(".messages")).to_contain_text(
            "1 certificate issued"
        )
        shot(trainer_page, "event-certificates-after-en")

        teacher.goto(reverse("certificates:mine"))
        expect(teacher.locator("main")).to_contain_text("Classroom management workshop")
    finally:
        phone.close()
        other_phone.close()
        laptop.close()

    certificate = Certificate.objects.get(user=ayesha)
    assert (
        certificate.workshop == Event.objects.get(pk=workshop.pk).certificate_workshop
    )
    assert not Certificate.objects.filter(user=bilal).exists()
    to_ayesha = [m for m in mail.outbox if m.to == [ayesha.email]]
    assert any(certificate.verification_code in m.body for m in to_ayesha)
    to_bilal = [m for m in mail.outbox if m.to == [bilal.email]]
    shortfall = [m for m in to_bilal if "کیا کمی ہے" in m.subject]
    assert len(shortfall) == 1
    assert "دن 2" in shortfall[0].body  # the session he missed
    assert shortfall[0].extra_headers["Content-Language"] == "ur"


def test_the_trainers_phone_keeps_offline_check_ins_and_sends_them_once(
    browser, live_server, make_learner, workshop
):
    first = workshop.sessions.order_by("starts_at").first()
    trainer = make_learner(email="trainer@example.org", password=PASSWORD)
    trainer.is_superuser = True
    trainer.save()
    names = ["Ayesha Siddiqui", "Bilal Ahmed"]
    learners = [
        make_learner(password=PASSWORD, certificate_name_en=name) for name in names
    ]
    for learner in learners:
        event_services.register(workshop, learner)
    place(first, -10)
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    try:
        page = context.new_page()
        page.set_default_timeout(20000)
        signed_in(page, trainer.email)
        page.goto(reverse("attendance:screen", args=[first.pk]))
        shot(page, "trainer-screen-phone-en")
        context.set_offline(True)
        page.locator(".checkin-name", has_text="Bilal Ahmed").locator("button").click()
        expect(page.locator("#checkin-connection")).to_contain_text("1")
        assert not Attendance.objects.exists()
        shot(page, "trainer-screen-phone-offline-en")
        context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        expect(page.locator("#checkin-count")).to_have_text("1")
        expect(
            page.locator(".checkin-name", has_text="Bilal Ahmed").locator(
                ".checkin-state"
            )
        ).to_be_visible()
        # The queue is empty: sending again records nothing more.
        page.evaluate("window.dispatchEvent(new Event('online'))")
        page.reload()
        expect(page.locator("#checkin-count")).to_have_text("1")
        page.goto("/ur" + reverse("attendance:screen", args=[first.pk]))
        shot(page, "trainer-screen-phone-ur")
    finally:
        context.close()
    attendance = Attendance.objects.get()
    assert attendance.learner == learners[1]
    assert attendance.method == Attendance.Method.LIST
    assert attendance.client_id


@pytest.mark.parametrize("prefix", ["", "/ur"])
def test_the_staff_attendance_pages_pass_axe(
    browser, live_server, make_learner, workshop, prefix
):
    """The staff pages of attendance (outside Wagtail's admin), on a phone and
    on a laptop: axe-core's WCAG 2.2 AA rules, as tests/browser/
    test_accessibility.py runs them on the learners' pages."""
    from .test_accessibility import run_axe

    first = workshop.sessions.order_by("starts_at").first()
    place(first, -10)
    trainer = make_learner(email="trainer@example.org", password=PASSWORD)
    trainer.is_superuser = True
    trainer.save()
    for name in ("Ayesha Siddiqui", "Bilal Ahmed"):
        event_services.register(workshop, make_learner(certificate_name_en=name))
    context = browser.new_context(
        viewport=PHONE, base_url=live_server.url, bypass_csp=True
    )
    failures = {}
    try:
        page = context.new_page()
        page.set_default_timeout(20000)
        signed_in(page, trainer.email)
        for path in (
            reverse("attendance:screen", args=[first.pk]),
            reverse("attendance:staff_sessions"),
            reverse("attendance:event_certificates", args=[workshop.pk]),
        ):
            page.goto(prefix + path)
            for viewport in (PHONE, DESKTOP):
                page.set_viewport_size(viewport)
                violations = run_axe(page)
                if violations:
                    failures[f"{prefix}{path} at {viewport['width']}px"] = violations
    finally:
        context.close()
    assert not failures, failures
