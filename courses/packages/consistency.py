"""Does a manifest hold together? Languages, page tree, bank, quizzes, references."""

from __future__ import annotations

from collections import Counter

from django.conf import settings

from content.h5p.errors import gettext_noop as _

from ..blocks import LessonBodyBlock
from .errors import CoursePackageError
from .manifest import CourseRecord, LessonRecord, Manifest, ModuleRecord
from .references import UnknownBlock, collect_references, collect_rich_text_references

_BODY_BLOCK = LessonBodyBlock()


def check_references(manifest: Manifest) -> None:
    content_languages = {code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES}
    for language in manifest.languages:
        if language not in content_languages:
            raise CoursePackageError(
                "unknown_language",
                _(
                    'The package has pages in the language "%(language)s", which '
                    "this site does not offer for content."
                ),
                language=language,
            )
    _unique("page", [page.id for page in manifest.pages])
    pages = {page.id: page for page in manifest.pages}
    position = {page.id: index for index, page in enumerate(manifest.pages)}
    _unique(
        "page translation",
        [f"{page.translation_key}/{page.language}" for page in manifest.pages],
    )
    courses = [page for page in manifest.pages if isinstance(page, CourseRecord)]
    course_languages = Counter(page.language for page in courses)
    if sorted(course_languages) != sorted(manifest.languages) or any(
        count != 1 for count in course_languages.values()
    ):
        raise _bad_reference(
            _("the course must have exactly one page in each listed language")
        )
    if len({page.translation_key for page in courses}) != 1:
        raise _bad_reference(_("the course pages are not translations of each other"))
    allowed_parents = {
        ModuleRecord: (CourseRecord,),
        LessonRecord: (CourseRecord, ModuleRecord),
    }
    for page in manifest.pages:
        if isinstance(page, CourseRecord):
            if page.parent is not None:
                raise _bad_reference(_("a course page has a parent in the package"))
            continue
        parent = pages.get(page.parent) if page.parent is not None else None
        if parent is None or not isinstance(parent, allowed_parents[type(page)]):
            raise _bad_reference(
                _('page "%(title)s" has no fitting parent in the package'),
                title=page.title,
            )
        if parent.language != page.language:
            raise _bad_reference(
                _('page "%(title)s" is in another language than its parent'),
                title=page.title,
            )
        # Parents come first, so the tree can be built in one pass.
        if position[parent.id] > position[page.id]:
            raise _bad_reference(
                _('page "%(title)s" comes before its parent'), title=page.title
            )

    ids = {
        "image": {record.id for record in manifest.images},
        "document": {record.id for record in manifest.documents},
        "h5p": {record.id for record in manifest.h5p_activities},
        "quiz": {record.id for record in manifest.quizzes},
        "page": set(pages),
    }
    for kind in ("image", "document", "h5p", "quiz"):
        records = {
            "image": manifest.images,
            "document": manifest.documents,
            "h5p": manifest.h5p_activities,
            "quiz": manifest.quizzes,
        }[kind]
        _unique(kind, [record.id for record in records])
    categories = {category.id for category in manifest.question_categories}
    _unique("question category", [c.id for c in manifest.question_categories])
    course_ids = {page.id for page in courses}
    for category in manifest.question_categories:
        if category.course is not None and category.course not in course_ids:
            raise _bad_reference(
                _('question category "%(name)s" belongs to no course page'),
                name=category.name,
            )
    _unique("question", [question.id for question in manifest.questions])
    _unique(
        "question translation",
        [f"{q.translation_key}/{q.language}" for q in manifest.questions],
    )
    for question in manifest.questions:
        if question.category not in categories:
            raise _bad_reference(
                _('question "%(name)s" is in a category the package lacks'),
                name=question.name,
            )
        if question.language not in manifest.languages:
            raise _bad_reference(
                _('question "%(name)s" is in a language the course lacks'),
                name=question.name,
            )
        if question.kind == "description" and question.points != 0:
            raise _bad_reference(
                _('the description "%(name)s" is worth points'), name=question.name
            )
        if question.kind != "description" and question.points == 0:
            raise _bad_reference(
                _('question "%(name)s" is worth no points'), name=question.name
            )
        if question.kind == "cloze" and not _cloze_reads(question.text):
            raise _bad_reference(
                _('the gaps of the cloze question "%(name)s" cannot be read'),
                name=question.name,
            )
        images = {image.id for image in manifest.images}
        if any(row.image not in images for row in question.images):
            raise _bad_reference(
                _('question "%(name)s" shows an image the package lacks'),
                name=question.name,
            )
    for quiz in manifest.quizzes:
        if quiz.course not in course_ids:
            raise _bad_reference(
                _('quiz "%(title)s" belongs to no course page'), title=quiz.title
            )
        if any(rule.category not in categories for rule in quiz.draw_rules):
            raise _bad_reference(
                _('quiz "%(title)s" draws from a category the package lacks'),
                title=quiz.title,
            )

    for page in manifest.pages:
        found = set()
        if isinstance(page, LessonRecord):
            try:
                found = collect_references(_BODY_BLOCK, page.fields.body)
            except (UnknownBlock, ValueError) as error:
                raise _bad_reference(
                    _(
                        'lesson "%(title)s" holds a block this site does not know '
                        "(%(block)s)"
                    ),
                    title=page.title,
                    block=str(error),
                ) from error
        elif isinstance(page, CourseRecord):
            found = collect_rich_text_references(page.fields.learning_outcomes)
            if page.fields.cover_image:
                found.add(("image", page.fields.cover_image))
            if page.fields.final_assessment:
                found.add(("quiz", page.fields.final_assessment))
        for kind, ref_id in found:
            # Links to pages outside the course are dropped on import.
            if kind != "page" and ref_id not in ids[kind]:
                raise _bad_reference(
                    _(
                        'page "%(title)s" points at %(kind)s %(id)s, which the '
                        "package lacks"
                    ),
                    title=page.title,
                    kind=kind,
                    id=ref_id,
                )


def _unique(what: str, values: list) -> None:
    repeated = [value for value, count in Counter(values).items() if count > 1]
    if repeated:
        raise _bad_reference(
            _("%(what)s %(value)s appears more than once"),
            what=what,
            value=str(repeated[0]),
        )


def _cloze_reads(text: str) -> bool:
    from ..quiz_formats import QuestionFormatError
    from ..quiz_formats.cloze import parse_cloze

    try:
        parse_cloze(text)
    except QuestionFormatError:
        return False
    return True


def _bad_reference(detail: str, **params: object) -> CoursePackageError:
    return CoursePackageError(
        "bad_manifest",
        _("manifest.json does not hold together: %(detail)s."),
        detail=_Deferred(detail, params),
    )


class _Deferred:
    """A message part translated when the whole message is."""

    def __init__(self, template: str, params: dict[str, object]) -> None:
        self.template = template
        self.params = params

    def __str__(self) -> str:
        from django.utils.translation import gettext

        return gettext(self.template) % self.params
