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


@admin.register(Membership)
class MembershipAdmin(NoDeleteMixin, HistoryAdmin):
    list_display = ["user", "branch", "role", "job_title", "phone"]
    list_filter = ["role", "branch"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "job_title"]
    list_select_related = ["user", "branch"]
    autocomplete_fields = ["user"]

    def save_model(self, request, obj, form, change):
        # Through the service, so the role group follows the role.
        membership_set(user=obj.user, branch=obj.branch, role=obj.role, job_title=obj.job_title)
        obj.refresh_from_db()


@admin.register(Liaison)
class LiaisonAdmin(admin.ModelAdmin):
    list_display = ["leader", "branch", "created_at"]
    list_filter = ["branch"]
    search_fields = ["leader__username", "leader__first_name", "leader__last_name"]
    list_select_related = ["leader", "branch"]


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    extra = 0
    max_num = 1
    # Editing happens on the membership page, which goes through membership_set.
    readonly_fields = ["branch", "role", "job_title", "phone"]

    def has_add_permission(self, request, obj=None):
        return False


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
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += [*self.PRIVILEGE_FIELDS, "last_login", "date_joined"]
        return readonly

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not request.user.is_superuser:
            # The provincial office manages institute accounts, not administrators'.
            queryset = queryset.filter(is_superuser=False)
        return queryset

    def has_delete_permission(self, request, obj=None):
        # Accounts are deactivated, not deleted: their records keep their authors.
        return False
