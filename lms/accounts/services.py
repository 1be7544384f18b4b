"""Every write to accounts and profiles goes through these functions."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction

from lms.background.services import enqueue_with_change

from .models import District, Profile, Province, User

LEARNERS_GROUP = "Learners"
TRAINERS_GROUP = "Trainers"
REVIEWERS_GROUP = "Reviewers"
PROGRAMME_MANAGERS_GROUP = "Programme managers"
# Province, district and cohort coordinators; what each sees is its
# CoordinatorAssignment (cohorts.scoping).
COORDINATORS_GROUP = "Coordinators"
ALL_GROUPS = [
    LEARNERS_GROUP,
    TRAINERS_GROUP,
    REVIEWERS_GROUP,
    PROGRAMME_MANAGERS_GROUP,
    COORDINATORS_GROUP,
]


class DistrictNotInProvince(ValueError):
    pass


@dataclass(frozen=True)
class ProfileDetails:
    certificate_name_en: str
    certificate_name_ur: str
    role: str
    sector: str
    province: Province
    district: District
    institution: str
    preferred_language: str
    gender: str = ""


def _check_district(details: ProfileDetails) -> None:
    if details.district.province_id != details.province.pk:
        raise DistrictNotInProvince(details.district.code)


@transaction.atomic
def register_learner(email: str, password: str, details: ProfileDetails) -> User:
    """Create an account with its profile, join Learners, and send a welcome."""
    from .tasks import send_welcome_email

    _check_district(details)
    user = User.objects.create_user(
        email=email,
        password=password,
        first_name=details.certificate_name_en[:150],
    )
    Profile.objects.create(user=user, **details.__dict__)
    user.groups.add(Group.objects.get(name=LEARNERS_GROUP))
    enqueue_with_change(send_welcome_email, user_id=user.pk)
    return user


def request_registration(
    email: str, password: str, details: ProfileDetails
) -> User | None:
    """Register a new learner, or, when the address already has an account,
    tell its owner by e-mail instead; the caller answers both the same way.

    Returns the new user, or None when the address was taken. Either way the
    password is hashed and one e-mail is queued, so the two take the same time.
    """
    from .tasks import send_registration_attempt_notice

    _check_district(details)  # refused alike for new and known addresses
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            return register_learner(email, password, details)
        except IntegrityError:  # registered a moment ago by another request
            existing = User.objects.get(email__iexact=email)
    make_password(password)
    enqueue_with_change(send_registration_attempt_notice, user_id=existing.pk)
    return None


@transaction.atomic
def update_profile(user: User, details: ProfileDetails) -> Profile:
    _check_district(details)
    profile, _created = Profile.objects.update_or_create(
        user=user, defaults=details.__dict__
    )
    User.objects.filter(pk=user.pk).update(first_name=details.certificate_name_en[:150])
    return profile
