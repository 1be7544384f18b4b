"""The error every certificate action raises when it cannot be done."""

from django_stubs_ext import StrOrPromise


class CertificateError(Exception):
    """An action on a certificate that cannot be done; ``message`` says why."""

    def __init__(self, message: StrOrPromise) -> None:
        self.message = message
        super().__init__(str(message))
