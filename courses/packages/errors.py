"""The one error a refused course package raises, with a message naming the fault."""

from __future__ import annotations

from django.utils.translation import gettext


class CoursePackageError(Exception):
    """A course package was refused; nothing was written.

    ``code`` is stable for machines and tests (``"not_zip"``, ``"path_escape"``,
    ``"hash_mismatch"``, ...). ``template`` and ``params`` make the message a
    person reads; ``message`` translates it into the active language.
    """

    def __init__(self, code: str, template: str, **params: object) -> None:
        self.code = code
        self.template = template
        self.params = params
        super().__init__(template % params)

    @property
    def message(self) -> str:
        return gettext(self.template) % self.params

    def __repr__(self) -> str:
        return f"CoursePackageError(code={self.code!r}, message={str(self)!r})"
