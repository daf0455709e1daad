"""The rows the data migrations made, put back after a transactional test (Django empties
every table after one)."""

import importlib


def put_back_role_groups() -> None:
    """The role groups with their permissions, as ``branches`` migration 0002 makes them.

    The permissions are made again first, as that migration does: a test that emptied the
    tables can leave the content types' cache pointing at rows that are gone."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    groups = importlib.import_module("branches.migrations.0002_role_groups")
    groups.assign_role_permissions(Group, Permission)
