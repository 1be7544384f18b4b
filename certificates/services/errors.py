"""The error every certificate action raises when it cannot be done."""


class CertificateError(Exception):
    """An action on a certificate that cannot be done; ``message`` says why."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))
