"""Learners' accounts, their profiles and the places they work."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None):
        # E-mail addresses are stored lower-case; people type them any way.
        return self.get(email__iexact=username or "")


class User(AbstractUser):
    """An account. People sign in with their e-mail address."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    # Set when the welcome e-mail has gone, so a retried task never sends twice.
    welcome_email_sent_at = models.DateTimeField(
        _("welcome e-mail sent at"), null=True, blank=True, editable=False
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        full_name = super().get_full_name()
        return full_name or self.email


class LocalisedNameMixin:
    name_en: str
    name_ur: str

    @property
    def name(self) -> str:
        return self.name_ur if get_language() == "ur" and self.name_ur else self.name_en

    def __str__(self) -> str:
        return self.name


class Province(LocalisedNameMixin, models.Model):
    """A province or territory of Pakistan (ISO 3166-2:PK code)."""

    code = models.CharField(max_length=8, unique=True)
    name_en = models.CharField(max_length=100)
    name_ur = models.CharField(max_length=100)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")


class District(LocalisedNameMixin, models.Model):
    code = models.CharField(max_length=12, unique=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="districts"
    )
    name_en = models.CharField(max_length=100)
    name_ur = models.CharField(max_length=100)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class Profile(models.Model):
    """What a learner tells us about themselves, and how certificates name them."""

    class Role(models.TextChoices):
        TEACHER = "teacher", _("Teacher")
        LECTURER = "lecturer", _("Lecturer")

    class Sector(models.TextChoices):
        PUBLIC = "public", _("Public")
        PRIVATE = "private", _("Private")

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")
        UNDISCLOSED = "", _("Prefer not to say")

    NAME_MAX_LENGTH = 100

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    certificate_name_en = models.CharField(
        _("name on certificates (English)"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("Exactly as it must be printed, for example Muhammad Ali Khan."),
    )
    certificate_name_ur = models.CharField(
        _("name on certificates (Urdu)"),
        max_length=NAME_MAX_LENGTH,
        blank=True,
        help_text=_("Exactly as it must be printed, for example محمد علی خان."),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices)
    gender = models.CharField(
        _("gender"), max_length=16, choices=Gender.choices, blank=True
    )
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, verbose_name=_("province")
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, verbose_name=_("district")
    )
    institution = models.CharField(_("school, college or university"), max_length=200)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.INTERFACE_LANGUAGES,
        default="ur",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(certificate_name_en=""),
                name="profile_certificate_name_en_not_empty",
            )
        ]

    def __str__(self) -> str:
        return self.certificate_name_en
