"""The duplicate guard's name rule in the database: one active enterprise per county and
normalised name, unless confirmed as another company (after 0012 marked those)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0014_mark_confirmed_namesakes"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="enterprise",
            constraint=models.UniqueConstraint(
                condition=models.Q(("namesake_confirmed", False), ("withdrawn_at__isnull", True)),
                fields=("county", "name_key"),
                name="enterprise_name_unique_in_county",
                violation_error_message=(
                    "An enterprise with the same name is already registered in this county."
                ),
            ),
        ),
    ]
