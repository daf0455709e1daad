"""The provincial office keeps the English names of branches, counties and equipment
classes: its role group may change them (the admin leaves it the English names alone).
Databases made from now on get this from migration 0002's table; this adds it to those
made before."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

OFFICE = "provincial office"
CHANGED = [
    ("branches", "change_branch"),
    ("branches", "change_county"),
    ("outreach", "change_equipmentclass"),
]


def give(apps, schema_editor):
    for app_config in apps.get_app_configs():
        # Restore the flag after: called with the real registry (as a test does), a
        # None left behind would make every later create_permissions() a no-op.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=OFFICE).first()
    if group is None:
        return
    for app_label, codename in CHANGED:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def take_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=OFFICE).first()
    if group is None:
        return
    for app_label, codename in CHANGED:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("branches", "0005_branch_short_name_en"),
        ("outreach", "0019_campaign_name_en"),
    ]

    operations = [migrations.RunPython(give, take_back)]
