"""Public verification pages, the published keys, and the learner's certificates."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_http_methods

from lms.rate_limits import rate_limit

from . import services, sharing, verification
from .codes import normalise_code
from .models import Certificate
from .openbadges import checking

if TYPE_CHECKING:
    from lms.accounts.models import User

    class SignedInRequest(HttpRequest):
        user: User  # login_required has let only signed-in users through


NOINDEX = "noindex, nofollow, noarchive"
_R = TypeVar("_R", bound=HttpResponseBase)
logger = logging.getLogger(__name__)


def _example_code() -> str:
    # Isolated left-to-right, so an Urdu sentence cannot reorder its groups.
    return format_html('<bdi dir="ltr" class="code">{}</bdi>', "K7QM-3XD9-P2RT-W8HC")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Certificate code"),
        max_length=64,
        error_messages={"required": _("Type the code printed on the certificate.")},
        widget=forms.TextInput(
            attrs={
                "dir": "ltr",
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = format_html(
            gettext("16 letters and digits, for example {code}."),
            code=_example_code(),
        )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                format_html(
                    gettext(
                        "That is not a certificate code. A code has 16 letters and "
                        "digits, for example {code}."
                    ),
                    code=_example_code(),
                )
            )
        return code


class PdfCheckForm(forms.Form):
    pdf = forms.FileField(
        label=_("Certificate PDF"),
        error_messages={"required": _("Choose the PDF you were sent.")},
    )

    def clean_pdf(self) -> bytes:
        upload = self.cleaned_data["pdf"]
        if upload.size > verification.MAX_PDF_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        data = upload.read()
        if not data.startswith(b"%PDF-"):
            raise forms.ValidationError(_("The file is not a PDF."))
        return data


class CredentialCheckForm(forms.Form):
    credential = forms.FileField(
        label=_("Digital credential (.json)"),
        error_messages={"required": _("Choose the credential file you were sent.")},
    )

    def clean_credential(self) -> bytes:
        upload = self.cleaned_data["credential"]
        if upload.size > checking.MAX_CREDENTIAL_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 256 KB; a credential is much smaller.")
            )
        return upload.read()


def _noindex(response: _R) -> _R:
    response["X-Robots-Tag"] = NOINDEX
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limit("pdf_check", as_json=False)
def verify_start(request: HttpRequest) -> HttpResponse:
    """Type a code, or upload a PDF or a digital credential to learn whether
    it is the one we issued."""
    code_form = CodeForm(request.GET or None)
    pdf_form = PdfCheckForm()
    credential_form = CredentialCheckForm()
    pdf_check = credential_check = None
    if request.method == "GET" and code_form.is_valid():
        return redirect("certificates:verify", code_form.cleaned_data["code"])
    if request.method == "POST":
        code_form = CodeForm()
        if verification.is_rate_limited(request):
            return _rate_limited(request)
        if request.POST.get("check") == "credential":
            credential_form = CredentialCheckForm(request.POST, request.FILES)
            if credential_form.is_valid():
                credential_check = checking.check_credential(
                    credential_form.cleaned_data["credential"]
                )
                if credential_check.outcome == checking.NOT_OURS:
                    verification.record_miss(request)
        else:
            pdf_form = PdfCheckForm(request.POST, request.FILES)
            if pdf_form.is_valid():
                pdf_check = verification.check_pdf(pdf_form.cleaned_data["pdf"])
                if pdf_check.outcome == "unknown":
                    verification.record_miss(request)
    return _noindex(
        render(
            request,
            "certificates/verify_start.html",
            {
                "code_form": code_form,
                "pdf_form": pdf_form,
                "pdf_check": pdf_check,
                "credential_form": credential_form,
                "credential_check": credential_check,
            },
        )
    )


def _rate_limited(request: HttpRequest) -> HttpResponse:
    response = render(request, "certificates/rate_limited.html", status=429)
    response["Retry-After"] = "600"
    return _noindex(response)


@never_cache
@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """The page a certificate's QR code opens."""
    canonical = normalise_code(code)
    if canonical and canonical != code:
        return redirect("certificates:verify", canonical, permanent=True)
    found = verification.verify(request, code)
    if found.refused:
        return _rate_limited(request)
    if found.certificate is None:
        response = render(
            request, "certificates/not_found.html", {"code": code}, status=404
        )
        return _noindex(response)
    context = {
        "certificate": found.certificate,
        "replaced_by": found.replaced_by,
        "verdict": found.verdict,
        "pdf_url": reverse("certificates:verify_pdf", args=[canonical]),
        "json_url": reverse("certificates:verify_json", args=[canonical]),
    }
    return _noindex(render(request, "certificates/verify.html", context))


@never_cache
@require_GET
def verify_json(request: HttpRequest, code: str) -> HttpResponse:
    """The same facts for machines, with the signed text and its signature."""
    found = verification.verify(request, code)
    if found.refused:
        response = JsonResponse({"error": "rate_limited"}, status=429)
        response["Retry-After"] = "600"
        return _noindex(response)
    certificate, verdict = found.certificate, found.verdict
    if certificate is None or verdict is None:
        return _noindex(JsonResponse({"error": "not_found"}, status=404))
    replaced_by = found.replaced_by
    # The record's facts in the shape of the signed content (code, kind,
    # holder, course, programme, cpd_hours, dates, issuer, replaces).
    facts = {key: value for key, value in verdict.content.items() if key != "version"}
    body = {
        **facts,
        "status": verdict.status,
        "integrity": verdict.integrity,
        "revoked_at": (
            certificate.revoked_at.isoformat() if certificate.revoked_at else None
        ),
        "revocation_reason": certificate.revocation_reason or None,
        "replaced_by": replaced_by.verification_code if replaced_by else None,
        "pdf_sha256": certificate.pdf_sha256 or None,
        "signed_payload": certificate.signed_payload,
        "signature": certificate.signature,
        "kid": certificate.key_id,
        "keys_url": request.build_absolute_uri(reverse("certificate_keys")),
        "open_badge_credential_url": request.build_absolute_uri(
            reverse(
                "certificates:verify_credential", args=[certificate.verification_code]
            )
        ),
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return _noindex(response)


@require_GET
def verify_pdf(request: HttpRequest, code: str) -> HttpResponseBase:
    """The PDF as issued, so it can be compared with a copy someone was sent."""
    # Downloads are not counted as look-ups for the holder.
    found = verification.verify(request, code, count=False)
    if found.refused:
        return _rate_limited(request)
    certificate = found.certificate
    if certificate is None:
        raise Http404()
    if not certificate.pdf:
        certificate = services.make_pdf(certificate.pk)
    try:
        pdf_file = certificate.pdf.open("rb")
    except FileNotFoundError:
        # The record stands; the file was lost from storage. Never re-render
        # silently: a new file would not be the one that was issued.
        logger.error("Stored PDF missing for certificate %s", certificate.pk)
        raise Http404() from None
    response = FileResponse(
        pdf_file,
        content_type="application/pdf",
        filename=f"certificate-{certificate.verification_code}.pdf",
    )
    response["Cache-Control"] = "private, max-age=3600"
    return _noindex(response)


@cache_control(public=True, max_age=3600)
@require_GET
def certificate_keys(request: HttpRequest) -> HttpResponse:
    """The public keys as a JSON Web Key Set, for checking signatures offline."""
    response = JsonResponse(services.keyring().jwks())
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_required
@require_GET
def my_certificates(request: SignedInRequest) -> HttpResponse:
    """The learner's certificates, newest first, with what they can do with each."""
    certificates = list(
        Certificate.objects.filter(user=request.user)
        .select_related("superseded_by")
        .order_by("-is_current", "-issued_on", "-id")
    )
    sharing.add_share_links(certificates)
    verification.with_pending_counts(certificates)
    return render(
        request, "certificates/my_certificates.html", {"certificates": certificates}
    )
