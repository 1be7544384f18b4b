from .collections import ProgrammeCollection
from .packages import CoursePackageImport
from .pages import CoursePage, LessonPage, ModulePage, ProgrammePage
from .progress import Enrolment, LessonProgress
from .question_images import QuestionImage
from .question_imports import HeldQuestionImport
from .quizzes import (
    AnswerOption,
    Question,
    QuestionCategory,
    QuestionResponse,
    Quiz,
    QuizAttempt,
    QuizDrawRule,
)

__all__ = [
    "AnswerOption",
    "CoursePackageImport",
    "CoursePage",
    "Enrolment",
    "HeldQuestionImport",
    "LessonPage",
    "LessonProgress",
    "ModulePage",
    "ProgrammeCollection",
    "ProgrammePage",
    "Question",
    "QuestionCategory",
    "QuestionImage",
    "QuestionResponse",
    "Quiz",
    "QuizAttempt",
    "QuizDrawRule",
]
