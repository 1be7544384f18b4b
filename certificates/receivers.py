"""Certificates react to course completion, inside the completion transaction."""

from django.dispatch import receiver

from courses.signals import course_completed

from .services import issue_course_certificate


@receiver(course_completed, dispatch_uid="certificates.issue_on_completion")
def issue_on_completion(sender, enrolment, **kwargs) -> None:
    issue_course_certificate(enrolment)
