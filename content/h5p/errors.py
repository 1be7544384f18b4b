"""The one error every H5P package check raises."""


def gettext_noop(message: str) -> str:
    """Mark ``message`` for translation without translating it here.

    This package stays free of Django so it can be tested and reused alone;
    ``makemessages`` still extracts strings marked with this name, and the Django
    layer translates ``H5PValidationError.template`` before showing it.
    """
    return message


class H5PValidationError(Exception):
    """An uploaded .h5p package is refused.

    ``code`` is stable for machines and tests (``"not_zip"``, ``"symlink"``, ...).
    ``template`` and ``params`` build the message a person reads, in the same shape
    as Django's ``ValidationError(message, code, params)`` so a form can translate
    the template and fill in the params. ``message`` is the English text.
    """

    def __init__(self, code: str, template: str, **params: object) -> None:
        self.code = code
        self.template = template
        self.params = params
        self.message = template % params
        super().__init__(self.message)

    def __repr__(self) -> str:
        return f"H5PValidationError(code={self.code!r}, message={self.message!r})"


class FileSize(int):
    """A number of bytes in a message's params, written as Django's
    ``filesizeformat`` writes it ("50.0 MB", "1.5 KB") in the language active
    when the message is put together."""

    def __str__(self) -> str:
        # Imported here: the package loads, and is tested, without Django set up.
        from django.template.defaultfilters import filesizeformat

        return str(filesizeformat(int(self)))


class Count(int):
    """A count in a message's params, grouped as the active language groups
    digits ("10,000")."""

    def __str__(self) -> str:
        from django.utils.formats import number_format

        return number_format(int(self), force_grouping=True)
