"""Mark the active enterprises that already share a county and normalised name.

Rows saved before 0004 have no ``name_key``: it is filled first, folded as
``outreach.names.enterprise_name_key`` folds it today (copied here, so this migration
means the same whatever that function becomes).

Until now the duplicate guard let a second one in only when the user confirmed it was
another company (or through a race, which this cannot tell apart): every active record after
the first of its county and name is marked confirmed, so 0013's constraint holds for the data
as it stands and refuses every new unconfirmed namesake.
"""

import unicodedata

from django.db import migrations
from django.db.models import Count, Min

_NAME_NOISE = str.maketrans("", "", " \t\u3000()（）[]【】·.,，、-—_\"'“”‘’")


def _name_key(name: str) -> str:
    return unicodedata.normalize("NFKC", name or "").lower().translate(_NAME_NOISE)


def mark_namesakes(apps, schema_editor):
    Enterprise = apps.get_model("outreach", "Enterprise")
    for enterprise in list(Enterprise.objects.filter(name_key="").only("pk", "name")):
        Enterprise.objects.filter(pk=enterprise.pk).update(name_key=_name_key(enterprise.name))
    active = Enterprise.objects.filter(withdrawn_at__isnull=True, county__isnull=False)
    shared = (
        active.values("county_id", "name_key")
        .annotate(rows=Count("id"), first=Min("id"))
        .filter(rows__gt=1)
        .order_by()
    )
    for group in list(shared):
        active.filter(county_id=group["county_id"], name_key=group["name_key"]).exclude(
            pk=group["first"]
        ).update(namesake_confirmed=True)


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0013_enterprise_merged_into_and_namesakes"),
    ]

    operations = [migrations.RunPython(mark_namesakes, migrations.RunPython.noop)]
