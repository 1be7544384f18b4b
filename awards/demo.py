"""The demo award for seed_demo: a district Teaching Excellence Award given
to the demo learner, who has consented to its public page. Safe to run
again: the award is found by its name and issuing is idempotent."""

from __future__ import annotations

from courses.models import ProgrammePage
from lms.accounts.models import User

from . import services
from .models import Award, IssuedAward

DEMO_AWARD = {
    "name_en": "Teaching Excellence Award — district level, 2026",
    "name_ur": "تدریسی فضیلت ایوارڈ — ضلعی سطح، 2026",
    "description_en": (
        "Given by the Alliance Teachers Forum to a teacher whose new ways of "
        "teaching changed learning across her school."
    ),
    "description_ur": (
        "الائنس ٹیچرز فورم کی طرف سے اس استاد کے لیے جس کے نئے تدریسی طریقوں نے "
        "پورے اسکول میں سیکھنے کا انداز بدل دیا۔"
    ),
    "level": Award.Level.DISTRICT,
    "category": Award.Category.INNOVATION,
    "year": 2026,
    "criteria_en": "Nominated by the district forum and chosen by its panel.",
    "criteria_ur": "ضلعی فورم کی نامزدگی اور اس کے پینل کا انتخاب۔",
}


def seed_awards(nttp: ProgrammePage) -> IssuedAward:
    award = Award.objects.filter(name_en=DEMO_AWARD["name_en"]).first()
    if award is None:
        award = Award.objects.create(programme=nttp, **DEMO_AWARD)
    issued = services.issue_award(
        award,
        User.objects.get(email="learner@example.org"),
        actor=User.objects.get(email="manager@example.org"),
        citation_en="Started reading corners in every classroom of her school.",
        citation_ur="اپنے اسکول کی ہر جماعت میں مطالعے کے گوشے قائم کیے۔",
    ).issued_award
    return services.set_award_page_consent(
        issued.user, issued.public_id, consented=True
    )
