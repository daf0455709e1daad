"""The province-wide registry's two new facts about an enterprise: the record it was merged
into (a merged record is withdrawn, never itself), and whether the user confirmed it is
another company than an active namesake in its county (0013 makes that rule a constraint)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0012_feedback_branch_follows_activity"),
    ]

    operations = [
        migrations.AddField(
            model_name="enterprise",
            name="merged_into",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                help_text="The record of the same company that took over this one's links.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="merged_records",
                to="outreach.enterprise",
                verbose_name="merged into",
            ),
        ),
        migrations.AddField(
            model_name="enterprise",
            name="namesake_confirmed",
            field=models.BooleanField(
                db_default=False,
                default=False,
                editable=False,
                verbose_name="confirmed as different from a namesake",
            ),
        ),
        migrations.AddField(
            model_name="historicalenterprise",
            name="merged_into",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                help_text="The record of the same company that took over this one's links.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="outreach.enterprise",
                verbose_name="merged into",
            ),
        ),
        migrations.AddField(
            model_name="historicalenterprise",
            name="namesake_confirmed",
            field=models.BooleanField(
                db_default=False,
                default=False,
                editable=False,
                verbose_name="confirmed as different from a namesake",
            ),
        ),
        migrations.AddConstraint(
            model_name="enterprise",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("merged_into__isnull", True), ("withdrawn_at__isnull", False), _connector="OR"
                ),
                name="enterprise_merged_is_withdrawn",
                violation_error_message="A merged enterprise is withdrawn.",
            ),
        ),
        migrations.AddConstraint(
            model_name="enterprise",
            constraint=models.CheckConstraint(
                condition=models.Q(("merged_into", models.F("id")), _negated=True),
                name="enterprise_not_merged_into_itself",
                violation_error_message="An enterprise cannot be merged into itself.",
            ),
        ),
    ]
