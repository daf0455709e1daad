"""Admin of the organisation: branches, counties, accounts with their membership, liaisons."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from core.admin import HistoryAdmin, NoDeleteMixin

from .models import Branch, County, Liaison, Membership
from .services import membership_set

User = get_user_model()


class CountyInline(admin.TabularInline):
    model = County
    extra = 0


@admin.register(Branch)
class BranchAdmin(NoDeleteMixin, HistoryAdmin):
    list_display = ["name", "short_name", "code", "kind", "parent", "region_code", "sort_order"]
    list_filter = ["kind"]
    search_fields = ["name", "name_en", "short_name", "code"]
    inlines = [CountyInline]


@admin.register(County)
class CountyAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["name", "name_en", "code", "branch"]
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


admin.site.unregister(User)


@admin.register(User)
class InstituteUserAdmin(UserAdmin):
    """Users with their membership; only system administrators grant admin rights."""

    inlines = [MembershipInline]
    list_display = ["username", "last_name", "first_name", "email", "is_active", "role_display"]
    list_select_related = ["membership", "membership__branch"]
    list_filter = ["is_active", "membership__role", "membership__branch"]
    PRIVILEGE_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")

    @admin.display(description=_("role"))
    def role_display(self, user):
        membership = getattr(user, "membership", None)
        return f"{membership.branch} · {membership.get_role_display()}" if membership else "—"

    def get_readonly_fields(self, request, obj=None):
        # The role groups follow the membership (branches/migrations/0003): never by hand.
        readonly = [*super().get_readonly_fields(request, obj), "groups"]
        if not request.user.is_superuser:
            readonly += [*self.PRIVILEGE_FIELDS, "last_login", "date_joined"]
        return list(dict.fromkeys(readonly))

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
