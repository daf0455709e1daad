"""The clock for issues already there, the office's default return reasons and time limits.

An issue opened before the clock was signed for by its creator when it was opened; its
deadline (set by its plan or a provincial decision) stays as it was.
"""

from django.db import migrations
from django.db.models import F

RETURN_REASONS = [
    ("不属于本单位职责", "Not this branch's responsibility"),
    ("职责不清", "Responsibility unclear"),
    ("需与其他单位共同办理", "Shared with another body"),
    ("诉求不明确", "The request is unclear"),
    ("其他", "Other"),
]

TIME_LIMITS = {
    "sign_for": 1,
    "plan": 3,
    "rectify": 15,
    "rectify_serious": 10,
    "rectify_critical": 5,
    "reply": 5,
    "remind_before": 3,
    "supervise_after": 3,
    "attention_after": 10,
}


def start_the_clock(apps, schema_editor):
    Issue = apps.get_model("issues", "Issue")
    Issue.objects.filter(signed_at__isnull=True).update(
        assigned_at=F("created_at"), signed_at=F("created_at"), signed_by=F("created_by")
    )
    ReturnReason = apps.get_model("issues", "ReturnReason")
    for order, (name, name_en) in enumerate(RETURN_REASONS):
        ReturnReason.objects.get_or_create(
            name=name, defaults={"name_en": name_en, "sort_order": order}
        )
    TimeLimit = apps.get_model("issues", "TimeLimit")
    for step, days in TIME_LIMITS.items():
        TimeLimit.objects.get_or_create(step=step, defaults={"working_days": days})


class Migration(migrations.Migration):
    dependencies = [("issues", "0012_clock")]

    operations = [migrations.RunPython(start_the_clock, migrations.RunPython.noop)]
