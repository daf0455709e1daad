"""Admin building blocks shared by the apps' admin modules."""

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.ids import parse_id

#: Django's four permissions of every model, named in the reader's language. The database
#: keeps their names in English ("Can add opinion"), written once at migrate time.
DEFAULT_PERMISSION_NAMES = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def _model_name(model) -> str:
    """The model's name in the reader's language; a history table (django-simple-history's
    "historical ...", named in English whatever the language) as the history of its model."""
    original = getattr(model, "instance_type", None)
    if original is not None:
        return gettext("history of %(model)s") % {"model": original._meta.verbose_name}
    return str(model._meta.verbose_name)


def permission_name(permission) -> str:
    """A permission's name in the reader's language: 可以添加意见 for ``add_feedbackitem``.
    A model's own permissions (``Meta.permissions``) are named by its lazy translations;
    a permission of a model gone, or one no translation knows, keeps its stored name."""
    model = permission.content_type.model_class()
    if model is None:
        return permission.name
    action, _sep, model_name = permission.codename.partition("_")
    if action in DEFAULT_PERMISSION_NAMES and model_name == model._meta.model_name:
        return str(DEFAULT_PERMISSION_NAMES[action]) % {"model": _model_name(model)}
    return str(dict(model._meta.permissions).get(permission.codename, permission.name))


def permission_label(permission) -> str:
    """``app | model | permission``, as Django labels permissions, in the reader's language
    (the content type's app and model are translated already; the stored name is not)."""
    model = permission.content_type.model_class()
    if model is None:
        return str(permission)
    return " | ".join(
        [str(model._meta.app_config.verbose_name), _model_name(model), permission_name(permission)]
    )


class NoDeleteMixin:
    """Records people entered are withdrawn with a reason, never deleted (DESIGN.md §4)."""

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class EnglishNamesOnlyMixin:
    """Reference rows the provincial office may change for their English names alone (the
    names the English pages show); every other field, a system administrator's.

    Works for model admins and inlines: ``english_name_fields`` lists the fields left open.
    """

    english_name_fields: tuple[str, ...] = ("name_en",)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return readonly
        meta = self.model._meta
        fields = [f for f in (*meta.fields, *meta.many_to_many) if f.editable and not f.primary_key]
        return readonly + [
            f.name
            for f in fields
            if f.name not in self.english_name_fields and f.name not in readonly
        ]


class LabelledRowForm(forms.ModelForm):
    """A list's editable row: Django's ``list_editable`` puts bare inputs in the table's
    cells, with no label; each is named by its column and its row for screen readers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = f"{field.label} · {self.instance}"


class LabelledListEditableMixin:
    """A ``list_editable`` admin list whose inputs have names (``LabelledRowForm``)."""

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, **{"form": LabelledRowForm, **kwargs})


class ScopedAdminMixin:
    """Start every admin list from the model's ``visible_to(user)``, as the app's views do."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


class HistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's admin, to read history, not to restore it.

    Reverting writes every field of the old row back (an issue's state, copies kept by the
    database) past the services and their checks, so a version page only displays. The ids
    in its addresses are checked first: it hands them to the database as they come, so
    ``/²/history/`` answered 500 where Django's own admin pages answer an odd id with a message.
    """

    def revert_disabled(self, request, obj=None):
        return True

    def _names_no_row(self, *ids: str) -> bool:
        if not isinstance(self.model._meta.pk, models.IntegerField):
            return False
        return any(parse_id(unquote(value)) is None for value in ids)

    def history_view(self, request, object_id, extra_context=None):
        if self._names_no_row(object_id):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if self._names_no_row(object_id, version_id):
            raise Http404
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class CoreModelAdmin(NoDeleteMixin, ScopedAdminMixin, HistoryAdmin):
    """Admin for a core model: scoped, history kept, no deletion."""

    list_per_page = 50
    show_full_result_count = False


class ReadOnlyInline(admin.TabularInline):
    """An inline that shows related rows without letting the admin add, change or delete."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CalendarSafeChangeList(ChangeList):
    """Django's admin list, answering an impossible date-hierarchy step as it answers any
    other wrong filter (the list again, with "?e=1"). Django builds the dates from the
    parameters unchecked: a year past 9999 or an int past 64 bits raised a 500."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error


def _boolean_icon(field_val):
    """Django's yes/no/unknown icon, its text in the reader's language: Django writes the
    value itself (alt="False"), which a screen reader reads out in English."""
    name = {True: "yes", False: "no", None: "unknown"}[field_val]
    text = {True: _("Yes"), False: _("No"), None: _("Unknown")}[field_val]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{name}.svg"), text)


def translate_boolean_icons() -> None:
    """Give the admin the icon above: Django's lists, read-only fields and displays import
    ``admin_list._boolean_icon`` when they draw one, so the module's name is the one place."""
    admin_list._boolean_icon = _boolean_icon


def guard_date_hierarchies(site: admin.AdminSite) -> None:
    """Give every registered list with a date hierarchy the safe list, third-party admins
    (django-axes') included: called once the admin modules are loaded."""
    for model_admin in site._registry.values():
        if model_admin.date_hierarchy:
            model_admin.get_changelist = lambda request, **kwargs: CalendarSafeChangeList
