"""Admin forms for cohorts and for the files and messages sent to them."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from lms.accounts.models import User

from .bulk.reading import MAX_FILE_BYTES
from .scoping import COORDINATORS_GROUP


class CohortForm(WagtailAdminModelForm):
    """Coordinators are chosen among the members of "Coordinators" only."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "coordinators" in self.fields:
            self.fields["coordinators"].queryset = User.objects.filter(
                groups__name=COORDINATORS_GROUP
            ).order_by("email")
            self.fields["coordinators"].widget = forms.CheckboxSelectMultiple(
                choices=self.fields["coordinators"].choices
            )

    def clean(self) -> dict:
        cleaned = super().clean()
        programme = cleaned.get("programme")
        chosen = cleaned.get("courses")
        if programme is not None and chosen:
            outside = [
                course.title
                for course in chosen
                if not course.get_ancestors()
                .filter(translation_key=programme.translation_key)
                .exists()
            ]
            if outside:
                self.add_error(
                    "courses",
                    _("Not a course of this programme: %(courses)s")
                    % {"courses": ", ".join(outside)},
                )
        return cleaned


class LearnerFileForm(forms.Form):
    learners = forms.FileField(
        label=_("File of learners (CSV or XLSX)"),
        help_text=_(
            "A header row naming the columns email, name_en, name_ur, province, "
            "district, gender, sector, role, institution. CSV files as UTF-8. "
            "At most 5 MB."
        ),
    )

    def clean_learners(self) -> tuple[str, bytes]:
        upload = self.cleaned_data["learners"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload.name, upload.read()


class AnnouncementForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=150)
    body = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea)
