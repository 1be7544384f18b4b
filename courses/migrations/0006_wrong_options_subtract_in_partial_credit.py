"""Fair partial credit: in multiple-choice questions with partial credit, wrong
options that weigh 0 (so ticking every option earned full marks) take Moodle's
usual penalty, -100% divided by the number of wrong options; negative weights
already set are kept. Attempts already graded keep their scores.

The rule is frozen here (``courses.quiz_formats.questions.
penalise_free_wrong_options`` is the living copy that imports use).
"""

from decimal import ROUND_DOWN, Decimal

from django.db import migrations, models

STEP = Decimal("0.0000001")


def _penalised(fractions):
    wrong = [i for i, fraction in enumerate(fractions) if fraction <= 0]
    free = [i for i in wrong if fractions[i] == 0]
    if not free or len(wrong) == len(fractions):
        return list(fractions)
    share = (Decimal(-1) / len(wrong)).quantize(STEP, rounding=ROUND_DOWN)
    total = (Decimal(-len(free)) / len(wrong)).quantize(STEP)
    result = list(fractions)
    for i in free:
        result[i] = share
    result[free[-1]] = total - share * (len(free) - 1)
    return result


def penalise_free_wrong_options(apps, schema_editor):
    Question = apps.get_model("courses", "Question")
    AnswerOption = apps.get_model("courses", "AnswerOption")
    questions = Question.objects.filter(
        kind="multiple_choice", partial_credit=True, options__fraction=0
    ).distinct()
    changed = []
    for question in questions.prefetch_related("options").iterator(chunk_size=500):
        options = sorted(question.options.all(), key=lambda o: (o.sort_order, o.pk))
        new = _penalised([option.fraction for option in options])
        for option, fraction in zip(options, new, strict=True):
            if option.fraction != fraction:
                option.fraction = fraction
                changed.append(option)
    AnswerOption.objects.bulk_update(changed, ["fraction"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0005_trainers_submit_for_review_reviewers_publish"),
    ]

    operations = [
        migrations.AlterField(
            model_name="question",
            name="partial_credit",
            field=models.BooleanField(
                default=True,
                help_text=(
                    "Multiple choice: each option ticked adds its share, right "
                    "ones positive and wrong ones negative, the total held between "
                    "0 and the points. Without it only the exact set of right "
                    "options earns the points."
                ),
                verbose_name="partial credit",
            ),
        ),
        migrations.RunPython(penalise_free_wrong_options, migrations.RunPython.noop),
    ]
