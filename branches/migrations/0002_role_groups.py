"""Create one Django group per role with the model permissions that role has.

The groups drive the Django admin; the app's own screens ask ``branches.rules``, which
reads the membership's role. ``membership_set`` keeps a user's group equal to their role.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW, ADD, CHANGE = "view", "add", "change"

OUTREACH_WORK = {
    "outreach.enterprise": (VIEW, ADD, CHANGE),
    "outreach.activity": (VIEW, ADD, CHANGE),
    "outreach.activityattachment": (VIEW, ADD),
    "outreach.feedbackitem": (VIEW, ADD, CHANGE),
    "outreach.campaign": (VIEW,),
    "outreach.feedbackcategory": (VIEW,),
    "outreach.equipmentclass": (VIEW,),
    "issues.issue": (VIEW, ADD, CHANGE),
    "issues.issueevidence": (VIEW, ADD),
    "issues.reply": (VIEW, ADD, CHANGE),
    "issues.issueevent": (VIEW, ADD),
    "issues.escalation": (VIEW,),
    "issues.provincialmeeting": (VIEW,),
    "issues.provincialdecision": (VIEW,),
    "issues.instruction": (VIEW, CHANGE),
    "branches.branch": (VIEW,),
    "branches.county": (VIEW,),
}

READ_ALL = dict.fromkeys(OUTREACH_WORK, (VIEW,))

ROLE_PERMISSIONS = {
    "branch staff": OUTREACH_WORK,
    "branch lead": {**OUTREACH_WORK, "issues.escalation": (VIEW, ADD)},
    "provincial office": {
        **READ_ALL,
        "outreach.campaign": (VIEW, ADD, CHANGE),
        "outreach.feedbackcategory": (VIEW, ADD, CHANGE),
        # Their English names only (branches/admin.py, outreach/admin.py); migration
        # branches 0006 gives these to the databases made before.
        "branches.branch": (VIEW, CHANGE),
        "branches.county": (VIEW, CHANGE),
        "outreach.equipmentclass": (VIEW, CHANGE),
        "issues.provincialmeeting": (VIEW, ADD, CHANGE),
        "issues.provincialdecision": (VIEW, ADD, CHANGE),
        "issues.issueevent": (VIEW, ADD),
        "auth.user": (VIEW, ADD, CHANGE),
        "branches.membership": (VIEW, ADD, CHANGE),
        "branches.liaison": (VIEW, ADD, CHANGE, "delete"),
    },
    "institute leader": {
        **READ_ALL,
        "issues.instruction": (VIEW, ADD),
        "issues.issueevent": (VIEW, ADD),
        "branches.liaison": (VIEW,),
    },
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make them now.
    for app_config in apps.get_app_configs():
        # Restore the flag after: called with the real registry (as a test does), a
        # None left behind would make every later create_permissions() a no-op.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    assign_role_permissions(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def assign_role_permissions(Group, Permission):
    """Create each role's group with its permissions (also used by transactional tests,
    whose tables Django empties after each test)."""
    for group_name, table in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        permissions = []
        for label, actions in table.items():
            app_label, model = label.split(".")
            for action in actions:
                permissions.append(
                    Permission.objects.get(
                        content_type__app_label=app_label, codename=f"{action}_{model}"
                    )
                )
        group.permissions.set(permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("branches", "0001_initial"),
        ("outreach", "0002_reference_data"),
        ("issues", "0003_issue_event_append_only"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
