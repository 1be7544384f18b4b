"""The marking queue in the Wagtail admin: essays waiting for a trainer.

A read-only ``ModelViewSet`` lists the attempts of the trainer's programmes that
wait for marking, oldest first, filtered by quiz (Wagtail's generic listing,
filters and pagination). One more view shows an attempt's essays with a form for
points and a comment, and hands the marks to ``services.mark_attempt``, which
checks the programme again, scores and completes.
"""

from __future__ import annotations

from decimal import Decimal

import django_filters
from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from lms.admin_viewsets import ReadOnlyViewSetMixin

from ..models import QuestionResponse, Quiz, QuizAttempt
from . import services
from .access import editable_courses, scoped


def _is_trainer(user) -> bool:
    return (
        user.is_active
        and user.is_authenticated
        and (user.is_superuser or editable_courses(user).exists())
    )


class MarkingPolicy(BasePermissionPolicy):
    """A trainer of any course may open the queue; which attempts they see and
    may mark is decided per programme (``scoped``, and again in the service)."""

    def user_has_permission(self, user, action):
        return action in ("view", "change") and _is_trainer(user)

    def users_with_any_permission(self, actions):  # pragma: no cover - unused
        raise NotImplementedError


def _quizzes(request):
    if request is None:
        return Quiz.objects.none()
    return scoped(request.user, Quiz.objects.all()).order_by("title")


class MarkingFilterSet(WagtailFilterSet):
    quiz = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Quiz"), queryset=_quizzes, empty_label=gettext_lazy("Any")
    )

    class Meta:
        model = QuizAttempt
        fields = ["quiz"]


class MarkingIndexView(IndexView):
    def get_base_queryset(self):
        return scoped(
            self.request.user,
            QuizAttempt.objects.filter(
                awaiting_marking=True, submitted_at__isnull=False
            ),
        ).select_related("quiz", "user")


def waiting_attempt(request: HttpRequest, pk: int) -> QuizAttempt:
    """A submitted attempt of the trainer's programmes, or 404 for any other."""
    attempt = (
        scoped(request.user, QuizAttempt.objects.filter(submitted_at__isnull=False))
        .select_related("quiz", "quiz__course", "user", "marked_by")
        .filter(pk=pk)
        .first()
    )
    if attempt is None:
        raise Http404
    return attempt


class MarkingForm(forms.Form):
    """Points (0 to the question's, to 2 decimals) and a comment per essay."""

    def __init__(self, *args, essays: list[QuestionResponse], **kwargs):
        super().__init__(*args, **kwargs)
        self.essays = essays
        for response in essays:
            question = response.question
            self.fields[f"points_{question.pk}"] = forms.DecimalField(
                label=_("Points (out of %(points)s)")
                % {"points": question.points.normalize()},
                min_value=Decimal(0),
                max_value=question.points,
                max_digits=6,
                decimal_places=2,
            )
            self.fields[f"comment_{question.pk}"] = forms.CharField(
                label=_("Comment for the learner"),
                required=False,
                max_length=services.MAX_MARKING_COMMENT,
                widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
            )

    def rows(self):
        for response in self.essays:
            pk = response.question.pk
            yield response, self[f"points_{pk}"], self[f"comment_{pk}"]

    def marks(self) -> dict[int, services.EssayMark]:
        return {
            response.question.pk: services.EssayMark(
                points=self.cleaned_data[f"points_{response.question.pk}"],
                comment=self.cleaned_data[f"comment_{response.question.pk}"],
            )
            for response in self.essays
        }


def mark_view(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = waiting_attempt(request, pk)
    essays = services.essays_to_mark(attempt)
    form = MarkingForm(request.POST or None, essays=essays)
    if request.method == "POST":
        if not attempt.awaiting_marking:
            messages.info(request, _("This attempt was already marked."))
            return redirect("courses_marking:index")
        if form.is_valid():
            try:
                marking = services.mark_attempt(request.user, attempt.pk, form.marks())
            except services.MarkingRefused as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Marked: %(score)s%%, %(outcome)s.")
                    % {
                        "score": marking.attempt.score.normalize(),
                        "outcome": _("passed")
                        if marking.attempt.passed
                        else _("not passed"),
                    },
                )
                return redirect("courses_marking:index")
    return TemplateResponse(
        request,
        "courses/admin/quiz_marking.html",
        {
            "attempt": attempt,
            "form": form,
            "header_title": attempt.quiz.title,
        },
    )


class MarkingViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    model = QuizAttempt
    icon = "edit"
    menu_label = gettext_lazy("Marking")
    menu_order = 305
    add_to_admin_menu = True
    url_prefix = "marking"
    url_namespace = "courses_marking"
    index_view_class = MarkingIndexView
    filterset_class = MarkingFilterSet
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = False
    # Oldest first: who has waited longest is marked first.
    ordering = ["submitted_at", "pk"]
    list_per_page = 50

    @cached_property
    def list_display(self):
        return [
            TitleColumn(
                "learner",
                label=gettext_lazy("Learner"),
                accessor=lambda attempt: (
                    attempt.user.get_full_name() or attempt.user.get_username()
                ),
                get_url=lambda attempt: reverse(
                    "courses_marking:mark", args=[attempt.pk]
                ),
            ),
            Column("quiz", label=gettext_lazy("Quiz")),
            Column("number", label=gettext_lazy("Attempt")),
            DateColumn("submitted_at", label=gettext_lazy("Submitted")),
        ]

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", mark_view, name="mark"),
        ]
