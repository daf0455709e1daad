"""One reply draft waits for approval per opinion (two approved would be two replies).

Opinions that already have several waiting stop the migration with their ids: which one the
enterprise was given is for the branch lead to say (approve one, send the others back).
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models import Count


def refuse_several_pending(apps, schema_editor):
    ReplyDraft = apps.get_model("issues", "ReplyDraft")
    several = list(
        ReplyDraft.objects.filter(status="pending")
        .values("feedback_item")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("feedback_item", flat=True)
    )
    if several:
        raise RuntimeError(
            "Several replies wait for approval on opinion(s) "
            + ", ".join(f"#{pk}" for pk in sorted(several))
            + ": approve one and send the others back, then migrate again."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("issues", "0014_deadlines_for_issues_opened_before_the_clock"),
        ("outreach", "0015_enterprise_name_unique_in_county"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(refuse_several_pending, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="replydraft",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "pending")),
                fields=("feedback_item",),
                name="reply_draft_one_pending_per_opinion",
            ),
        ),
    ]
