"""Break 8: on a machine without the certificate fonts every PDF task failed
and was never tried again. Now it waits, visible to staff, and draws the PDF
once the fonts are installed."""

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from certificates.models import Certificate
from certificates.rendering import fonts
from certificates.tasks import make_certificate_pdf
from certificates.workshops import issue_workshop_certificates

from .conftest import attendee_csv, clock_moves_past_retries, work_off_queue

pytestmark = [pytest.mark.faults, pytest.mark.django_db]


def test_pdf_tasks_wait_for_the_fonts_and_draw_once_they_are_installed(
    settings, task_queue, workshop, monkeypatch, tmp_path
):
    # A fresh machine: no fonts in the folder, none registered in this process.
    monkeypatch.setattr(fonts, "DEFAULT_FONT_DIRS", (str(tmp_path / "no-fonts"),))
    monkeypatch.setattr(fonts, "_registered_from", {})
    issue_workshop_certificates(workshop, attendee_csv(3))
    settings.TASK_RETRY_BASE_SECONDS = 3600

    work_off_queue()

    waiting = list(
        DBTaskResult.objects.filter(task_path=make_certificate_pdf.module_path)
    )
    assert {task.status for task in waiting} == {TaskResultStatus.READY}
    assert {task.exception_class_path for task in waiting} == {
        "certificates.rendering.fonts.FontsNotFoundError"
    }
    assert "apt-get install fonts-noto-core" in waiting[0].traceback
    assert not Certificate.objects.exclude(pdf="").exists()

    monkeypatch.undo()  # the fonts are installed
    clock_moves_past_retries()
    work_off_queue()

    assert Certificate.objects.filter(pdf="").count() == 0
    assert {
        task.status
        for task in DBTaskResult.objects.filter(
            task_path=make_certificate_pdf.module_path
        )
    } == {TaskResultStatus.SUCCESSFUL}
