"""Admin of the organisation: branches, counties, accounts with their membership, liaisons."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from core.admin import (
    EnglishNamesOnlyMixin,
    HistoryAdmin,
    LabelledListEditableMixin,
    NoDeleteMixin,
    permission_label,
)

from .models import Branch, County, Liaison, Membership
from .services import membership_set

User = get_user_model()


class CountyInline(EnglishNamesOnlyMixin, admin.TabularInline):
    model = County
    extra = 0


# The provincial office keeps the English names the English pages show (its role group
# may change branches and counties for that); the rest is the system administrator's.
@admin.register(Branch)
class BranchAdmin(EnglishNamesOnlyMixin, NoDeleteMixin, HistoryAdmin):
    list_display = [
        "name",
        "name_en",
        "short_name",
        "short_name_en",
        "code",
        "kind",
        "parent",
        "sort_order",
    ]
    list_filter = ["kind"]
    search_fields = ["name", "name_en", "short_name", "short_name_en", "code"]
    inlines = [CountyInline]
    english_name_fields = ("name_en", "short_name_en")


@admin.register(County)
class CountyAdmin(
    LabelledListEditableMixin, EnglishNamesOnlyMixin, NoDeleteMixin, admin.ModelAdmin
):
    list_display = ["name", "name_en", "code", "branch"]
    list_editable = ["name_en"]
    list_filter = ["branch"]
    search_fields = ["name", "name_en", "code"]


def save_membership(user, data) -> Membership:
    """Save a membership form's data through the service (both admin pages that edit one)."""
    return membership_set(
        user=user,
        branch=data["branch"],
        role=data["role"],
        job_title=data.get("job_title", ""),
        phone=data.get("phone", ""),
    )


@admin.register(Membership)
class MembershipAdmin(NoDeleteMixin, HistoryAdmin):
    list_display = ["user", "branch", "role", "job_title", "phone"]
    list_filter = ["role", "branch"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "job_title"]
    list_select_related = ["user", "branch"]
    autocomplete_fields = ["user"]
    fields = ["user", "branch", "role", "job_title", "phone"]

    def get_readonly_fields(self, request, obj=None):
        # A membership is one account's: another account gets its own.
        return ["user"] if obj else []

    def save_model(self, request, obj, form, change):
        # Through the service, as every write of a membership (Membership.clean, which the
        # form ran, already refused a role in the wrong kind of branch).
        saved = save_membership(obj.user, form.cleaned_data)
        obj.pk = saved.pk
        obj._state.adding = False


@admin.register(Liaison)
class LiaisonAdmin(admin.ModelAdmin):
    list_display = ["leader", "branch", "created_at"]
    list_filter = ["branch"]
    search_fields = ["leader__username", "leader__first_name", "leader__last_name"]
    list_select_related = ["leader", "branch"]


class MembershipInline(admin.StackedInline):
    """The account's branch and role, given on the account's own page (new accounts too);
    saved through ``membership_set`` like the membership page."""

    model = Membership
    fields = ["branch", "role", "job_title", "phone"]
    can_delete = False
    extra = 1
    max_num = 1


def group_label(group: Group) -> str:
    """A role's group by the role's name in the reader's language (分院工作人员 for
    "branch staff": the group's stored name is a key the code uses); another group by its
    name."""
    roles = {name: role for role, name in Membership.GROUP_NAMES.items()}
    role = roles.get(group.name)
    return str(Membership.Role(role).label) if role else group.name


class TranslatedPermissionsMixin:
    """Permissions in the admin's forms named in the reader's language: Django shows their
    English names as stored (``Can add feedback item``)."""

    permission_fields = ("permissions", "user_permissions")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.name in self.permission_fields:
            field.label_from_instance = permission_label
        return field


admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(TranslatedPermissionsMixin, GroupAdmin):
    """Django's groups, with the role each one is the group of."""

    list_display = ["name", "role_display"]

    @admin.display(description=_("role"))
    def role_display(self, group):
        label = group_label(group)
        return label if label != group.name else "—"


admin.site.unregister(User)


@admin.register(User)
class InstituteUserAdmin(TranslatedPermissionsMixin, UserAdmin):
    """Users with their membership; only system administrators grant admin rights.

    The role group is shown by the role's name and never edited here (it follows the
    membership); the office, who may not grant permissions, reads the account's own ones
    named in its language.
    """

    inlines = [MembershipInline]
    list_display = ["username", "last_name", "first_name", "email", "is_active", "role_display"]
    list_select_related = ["membership", "membership__branch"]
    list_filter = ["is_active", "membership__role", "membership__branch"]
    PRIVILEGE_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")

    @admin.display(description=_("role"))
    def role_display(self, user):
        membership = getattr(user, "membership", None)
        return f"{membership.branch} · {membership.get_role_display()}" if membership else "—"

    @admin.display(description=_("groups"))
    def role_groups(self, user):
        return ", ".join(group_label(group) for group in user.groups.all()) or "—"

    @admin.display(description=_("user permissions"))
    def own_permissions(self, user):
        permissions = user.user_permissions.select_related("content_type")
        return ", ".join(permission_label(permission) for permission in permissions) or "—"

    def _shown_instead(self, request) -> dict[str, str]:
        """Fields shown read-only by a method that names them in the reader's language."""
        shown = {"groups": "role_groups"}
        if not request.user.is_superuser:
            shown["user_permissions"] = "own_permissions"
        return shown

    def get_fieldsets(self, request, obj=None):
        shown = self._shown_instead(request)
        return [
            (title, {**options, "fields": [shown.get(f, f) for f in options["fields"]]})
            for title, options in super().get_fieldsets(request, obj)
        ]

    def get_readonly_fields(self, request, obj=None):
        # The role groups follow the membership (branches/migrations/0003): never by hand.
        readonly = [*super().get_readonly_fields(request, obj), "groups"]
        if not request.user.is_superuser:
            readonly += [*self.PRIVILEGE_FIELDS, "last_login", "date_joined"]
        shown = self._shown_instead(request)
        return list(dict.fromkeys(shown.get(field, field) for field in readonly))

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline in formset.forms:
            if not inline.has_changed():
                continue
            membership = save_membership(form.instance, inline.cleaned_data)
            if inline.instance.pk:
                formset.changed_objects.append((membership, inline.changed_data))
            else:
                formset.new_objects.append(membership)
        return None

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not request.user.is_superuser:
            # The provincial office manages institute accounts, not administrators'.
            queryset = queryset.filter(is_superuser=False)
        return queryset

    def has_delete_permission(self, request, obj=None):
        # Accounts are deactivated, not deleted: their records keep their authors.
        return False
