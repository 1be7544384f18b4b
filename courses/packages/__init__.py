"""Open content packages: a course, in every language, as one file.

``export_course`` writes a course with its translations, question bank, quizzes,
images, documents and H5P activities into one zip; ``import_course_package``
checks such a zip whole and makes a draft course from it, or refuses it with a
``CoursePackageError`` and writes nothing.

It lives in ``courses`` rather than ``content`` because a package is mostly
course data (pages, questions, quizzes) and ``content`` (H5P) is what courses
build on: ``courses`` imports ``content``, never the other way round.
"""

from .errors import CoursePackageError
from .export import export_course
from .importer import import_course_package
from .manifest import FORMAT_VERSION
from .reading import COURSE_PACKAGE_LIMITS, check_course_package

__all__ = [
    "COURSE_PACKAGE_LIMITS",
    "FORMAT_VERSION",
    "CoursePackageError",
    "check_course_package",
    "export_course",
    "import_course_package",
]
