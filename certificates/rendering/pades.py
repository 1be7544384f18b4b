"""Optional PAdES signatures on certificate PDFs, with pyHanko.

The Ed25519 record signature (certificates.signing) is what the verification
page checks. A PAdES signature adds something a PDF reader shows by itself: the
file was issued by the holder of an X.509 certificate and has not changed since.
It is invisible (no signature box on the page) and at the PAdES B-B level: no
timestamp authority is contacted, so signing works offline.
"""

import functools
import io
import os
from collections.abc import Sequence

from asn1crypto import pem, x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

SIGNATURE_FIELD = "CertificateSignature"


class PadesSigningError(RuntimeError):
    """The PKCS#12 file cannot be used to sign."""


def sign_pdf_pades(
    pdf_bytes: bytes,
    pkcs12_path: str | os.PathLike,
    passphrase: str | bytes | None,
    *,
    reason: str = "Certificate issued",
    location: str | None = None,
) -> bytes:
    """Return ``pdf_bytes`` with an invisible PAdES B-B signature appended."""
    if isinstance(passphrase, str):
        passphrase = passphrase.encode("utf-8")
    try:
        with open(pkcs12_path, "rb") as file:
            pkcs12_data = file.read()
        signer = _load_signer(pkcs12_data, passphrase)
    except (OSError, ValueError) as error:
        raise PadesSigningError(
            f"cannot load the signing key and certificate from {pkcs12_path}"
        ) from error
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    output = signers.sign_pdf(writer, metadata, signer=signer)
    return output.getvalue()


@functools.lru_cache(maxsize=4)
def _load_signer(pkcs12_data: bytes, passphrase: bytes | None) -> signers.SimpleSigner:
    # Decrypting a PKCS#12 file runs a deliberately slow key derivation; do it
    # once per file content, not once per certificate.
    return signers.SimpleSigner.load_pkcs12_data(
        pkcs12_data, other_certs=[], passphrase=passphrase
    )


def verify_pades(pdf_bytes: bytes, trusted_certificates: Sequence[bytes]) -> bool:
    """Tell whether a PDF is exactly as signed by a certificate we trust.

    True only if the file has at least one signature, every signature is intact
    and cryptographically valid, chains to one of ``trusted_certificates`` (PEM
    or DER), and the last one covers the whole file, so nothing was appended
    after signing. Malformed input gives False rather than an error. No
    revocation information is fetched.
    """
    roots = [_load_certificate(data) for data in trusted_certificates]
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        signatures = reader.embedded_signatures
        if not signatures:
            return False
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        statuses = [validate_pdf_signature(sig, context) for sig in signatures]
    except (PdfError, ValueError):  # includes SignatureValidationError
        return False
    return all(status.bottom_line for status in statuses) and (
        statuses[-1].coverage == SignatureCoverageLevel.ENTIRE_FILE
    )


def _load_certificate(data: bytes) -> x509.Certificate:
    if pem.detect(data):
        _, _, data = pem.unarmor(data)
    return x509.Certificate.load(data)
