"""Opinions closed as unreachable (the fields), and the promise's indexes read them too.

On SQLite, adding the check constraint rebuilds outreach_feedbackitem under a new name and
renames it back; the issues app's triggers that read the table (the "answered" guard, the
reply summary) would make that rename fail, so it runs with SQLite's legacy renaming, which
leaves other tables' triggers untouched (they name the table, which is back after the rename).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def legacy_renaming(on: bool):
    def switch(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(f"PRAGMA legacy_alter_table = {'ON' if on else 'OFF'}")

    return switch


class Migration(migrations.Migration):

    dependencies = [
        ('branches', '0002_role_groups'),
        ('issues', '0007_more_list_indexes'),
        ('outreach', '0010_more_list_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(legacy_renaming(True), legacy_renaming(False)),
        migrations.RemoveIndex(
            model_name='feedbackitem',
            name='feedback_unreplied',
        ),
        migrations.RemoveIndex(
            model_name='feedbackitem',
            name='feedback_unreplied_category',
        ),
        migrations.AddField(
            model_name='feedbackitem',
            name='unreachable_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='closed as unreachable at'),
        ),
        migrations.AddField(
            model_name='feedbackitem',
            name='unreachable_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='closed as unreachable by'),
        ),
        migrations.AddField(
            model_name='feedbackitem',
            name='unreachable_reason',
            field=models.TextField(blank=True, db_default='', default='', verbose_name='reason for closing as unreachable'),
        ),
        migrations.AddField(
            model_name='historicalfeedbackitem',
            name='unreachable_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='closed as unreachable at'),
        ),
        migrations.AddField(
            model_name='historicalfeedbackitem',
            name='unreachable_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='closed as unreachable by'),
        ),
        migrations.AddField(
            model_name='historicalfeedbackitem',
            name='unreachable_reason',
            field=models.TextField(blank=True, db_default='', default='', verbose_name='reason for closing as unreachable'),
        ),
        migrations.AddIndex(
            model_name='feedbackitem',
            index=models.Index(condition=models.Q(('last_replied_on__isnull', True), ('unreachable_at__isnull', True), ('withdrawn_at__isnull', True)), fields=['branch', '-received_on'], name='feedback_unreplied'),
        ),
        migrations.AddIndex(
            model_name='feedbackitem',
            index=models.Index(condition=models.Q(('last_replied_on__isnull', True), ('unreachable_at__isnull', True), ('withdrawn_at__isnull', True)), fields=['category', '-received_on'], name='feedback_unreplied_category'),
        ),
        migrations.AddConstraint(
            model_name='feedbackitem',
            constraint=models.CheckConstraint(condition=models.Q(('unreachable_at__isnull', True), models.Q(('unreachable_reason', ''), _negated=True), _connector='OR'), name='feedback_unreachable_has_reason'),
        ),
        migrations.RunPython(legacy_renaming(False), legacy_renaming(True)),
    ]
