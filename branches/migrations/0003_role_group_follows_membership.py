"""A user's role group follows their membership's role, kept by the database.

The Django admin reads permissions from the role's group (branches/migrations/0002), the
app's own screens from ``Membership.role``; the group is a copy of the role.
``branches.services.membership_set`` writes both; this trigger keeps them equal on every
other path too (a queryset ``update(role=...)``, a script): after any write to a membership
the user is in exactly the group of their role (and the provincial office is admin staff,
as the service makes it), and a deleted membership takes its role group with it.
"""

from django.db import migrations

ROLE_GROUPS = {
    "staff": "branch staff",
    "lead": "branch lead",
    "office": "provincial office",
    "leader": "institute leader",
}
ALL_ROLE_GROUPS = "(" + ", ".join(f"'{name}'" for name in ROLE_GROUPS.values()) + ")"


def role_group(role: str) -> str:
    cases = " ".join(f"WHEN '{role_}' THEN '{group}'" for role_, group in ROLE_GROUPS.items())
    return f"(CASE {role} {cases} END)"


def drop_role_groups(user: str, keep_role: str | None = None) -> str:
    keep = f" AND name <> {role_group(keep_role)}" if keep_role else ""
    return f"""
    DELETE FROM auth_user_groups WHERE user_id = {user} AND group_id IN (
        SELECT id FROM auth_group WHERE name IN {ALL_ROLE_GROUPS}{keep}
    )"""


def add_role_group(user: str, role: str) -> str:
    return f"""
    INSERT INTO auth_user_groups (user_id, group_id)
    SELECT {user}, g.id FROM auth_group g WHERE g.name = {role_group(role)}
    AND NOT EXISTS (
        SELECT 1 FROM auth_user_groups ug WHERE ug.user_id = {user} AND ug.group_id = g.id
    )"""


def office_is_staff(user: str, role: str, true: str) -> str:
    return f"UPDATE auth_user SET is_staff = {true} WHERE id = {user} AND {role} = 'office'"


def follow(user: str, role: str, true: str) -> str:
    return ";".join(
        [drop_role_groups(user, role), add_role_group(user, role), office_is_staff(user, role, true)]
    )


POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION branches_membership_role_group() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.user_id <> NEW.user_id) THEN
        {drop_role_groups("OLD.user_id")};
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        {follow("NEW.user_id", "NEW.role", "TRUE")};
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER branches_membership_role_group
    AFTER INSERT OR UPDATE OF role, user_id OR DELETE ON branches_membership
    FOR EACH ROW EXECUTE FUNCTION branches_membership_role_group();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS branches_membership_role_group ON branches_membership;
DROP FUNCTION IF EXISTS branches_membership_role_group();
"""
SQLITE_FORWARD = [
    f"""CREATE TRIGGER branches_membership_role_group_insert AFTER INSERT ON branches_membership
    BEGIN {follow("NEW.user_id", "NEW.role", "1")}; END;""",
    f"""CREATE TRIGGER branches_membership_role_group_update
    AFTER UPDATE OF role, user_id ON branches_membership
    BEGIN
        {drop_role_groups("OLD.user_id")} AND OLD.user_id <> NEW.user_id;
        {follow("NEW.user_id", "NEW.role", "1")};
    END;""",
    f"""CREATE TRIGGER branches_membership_role_group_delete AFTER DELETE ON branches_membership
    BEGIN {drop_role_groups("OLD.user_id")}; END;""",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS branches_membership_role_group_{when};"
    for when in ("insert", "update", "delete")
]

# Users whose groups drifted before the trigger existed.
BACKFILL = [
    f"""DELETE FROM auth_user_groups WHERE group_id IN (
        SELECT g.id FROM auth_group g WHERE g.name IN {ALL_ROLE_GROUPS} AND NOT EXISTS (
            SELECT 1 FROM branches_membership m
            WHERE m.user_id = auth_user_groups.user_id AND {role_group("m.role")} = g.name
        )
    )""",
    f"""INSERT INTO auth_user_groups (user_id, group_id)
    SELECT m.user_id, g.id FROM branches_membership m JOIN auth_group g
    ON g.name = {role_group("m.role")}
    WHERE NOT EXISTS (
        SELECT 1 FROM auth_user_groups ug WHERE ug.user_id = m.user_id AND ug.group_id = g.id
    )""",
]


def forward(apps, schema_editor):
    for statement in BACKFILL:
        schema_editor.execute(statement)
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("branches", "0002_role_groups")]

    operations = [migrations.RunPython(forward, backward)]
