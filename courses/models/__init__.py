from .pages import CoursePage, LessonPage, ModulePage, ProgrammePage
from .progress import Enrolment, LessonProgress

__all__ = [
    "CoursePage",
    "Enrolment",
    "LessonPage",
    "LessonProgress",
    "ModulePage",
    "ProgrammePage",
]
