"""Enterprise registry: list, search, register with a duplicate guard, edit, history page,
and the provincial office's merge of two records of one company.

The registry is province-wide: every member finds and opens every enterprise; what the page
lists of activities and opinions is the reader's own scope.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView

from branches import rules
from branches.mixins import ScopedFilterMixin, ScopedQuerysetMixin
from branches.scoping import membership_of
from core import history
from core.languages import english_active, in_reader_language
from core.submissions import once_per_submission

from .. import registry, selectors
from ..filters import EnterpriseFilter
from ..forms import EnterpriseForm, EnterpriseMergeForm, WithdrawForm
from ..models import Enterprise
from .withdrawal import withdraw_from_post


class EnterpriseListView(LoginRequiredMixin, ScopedFilterMixin, FilterView):
    model = Enterprise
    filterset_class = EnterpriseFilter
    paginate_by = 25
    template_name = "outreach/enterprise_list.html"

    def get_queryset(self):
        return selectors.enterprise_list(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_write"] = rules.can_log_outreach(self.request.user)
        return context


class EnterpriseDetailView(ScopedQuerysetMixin, DetailView):
    """Everything about one enterprise, newest first: activities, opinions, issues, replies
    (a branch sees its own; the province sees all)."""

    model = Enterprise
    template_name = "outreach/enterprise_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("branch", "county", "created_by", "merged_into")
            .prefetch_related("merged_records")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enterprise, user = self.object, self.request.user
        in_use = not enterprise.is_withdrawn
        context["equipment_classes"] = list(enterprise.equipment_classes.all())
        context["trail"] = history.trail(enterprise)
        context["activities"] = selectors.enterprise_activities(user, enterprise)
        context["feedback_items"] = selectors.enterprise_opinions(user, enterprise)
        context["can_write"] = in_use and rules.can_edit_enterprise(user, enterprise.branch)
        context["can_log_visit"] = in_use and rules.can_log_outreach(user)
        context["can_merge"] = in_use and rules.can_merge_enterprises(user)
        # Ticks to reply to opinions: for the staff and lead of the opinions' own branch.
        membership = membership_of(user)
        context["reply_branch_id"] = (
            membership.branch_id if rules.can_dispose_feedback(user) else None
        )
        context["withdraw_form"] = WithdrawForm(
            action=reverse("outreach:enterprise_withdraw", args=[enterprise.pk])
        )
        return context


@method_decorator(once_per_submission, name="post")
class EnterpriseFormView(LoginRequiredMixin, FormView):
    """Register an enterprise with the user's branch (no pk: branch staff and leads), or
    edit the shared record (pk: its home branch and the provincial office)."""

    form_class = EnterpriseForm
    template_name = "outreach/enterprise_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.enterprise = None
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)  # to the login page
        if "pk" in kwargs:
            self.enterprise = get_object_or_404(
                Enterprise.objects.visible_to(request.user).active().select_related("branch"),
                pk=kwargs["pk"],
            )
            allowed = rules.can_edit_enterprise(request.user, self.enterprise.branch)
        else:
            allowed = rules.can_log_outreach(request.user)
        if not allowed:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @property
    def branch(self):
        if self.enterprise is not None:
            return self.enterprise.branch
        return membership_of(self.request.user).branch

    @property
    def in_dialog(self) -> bool:
        """Registering from a visit form's picker: the form alone, answered with the new
        record's choice (static/js/enterprise_dialog.js)."""
        return self.enterprise is None and self.request.GET.get("dialog") == "1"

    def get_template_names(self):
        if self.in_dialog:
            return ["outreach/partials/enterprise_dialog.html"]
        return super().get_template_names()

    def get_initial(self):
        initial = super().get_initial()
        if self.in_dialog:
            initial["name"] = self.request.GET.get("name", "")[:200]
        return initial

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["branch"] = self.branch
        kwargs["instance"] = self.enterprise
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["enterprise"] = self.enterprise
        context["can_log_visit"] = self.enterprise is None
        context.setdefault("duplicates", [])
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        fields = {
            "name": data["name"],
            "uscc": data["uscc"],
            "county": data["county"],
            "address": data["address"],
            "equipment_classes": data["equipment_classes"],
            "contact_name": data["contact_name"],
            "contact_phone": data["contact_phone"],
            "allow_similar_name": data.get("allow_similar_name", False),
        }
        try:
            if self.enterprise is None:
                enterprise = registry.enterprise_create(
                    actor=self.request.user, branch=self.branch, **fields
                )
                if self.in_dialog:
                    return redirect("outreach:enterprise_choice", pk=enterprise.pk)
                messages.success(self.request, _("Enterprise registered."))
            else:
                enterprise = registry.enterprise_update(
                    actor=self.request.user, enterprise=self.enterprise, **fields
                )
                messages.success(self.request, _("Enterprise updated."))
        except ValidationError as error:
            return self._form_with_duplicates(form, error)
        return redirect("outreach:enterprise_detail", pk=enterprise.pk)

    def _form_with_duplicates(self, form, error: ValidationError):
        """Show the service's errors and offer the enterprises it matched, whichever
        branch registered them: the user picks the existing record instead."""
        # Look the matches up before add_error() drops fields from cleaned_data.
        duplicates = registry.enterprise_duplicates(
            uscc=form.cleaned_data.get("uscc", ""),
            name=form.cleaned_data.get("name", ""),
            county=form.cleaned_data.get("county"),
            exclude_pk=self.enterprise.pk if self.enterprise else None,
        )
        by_field = error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}
        for field, field_errors in by_field.items():
            form.add_error(field if field in form.fields else None, field_errors)
        if any(e.code == "duplicate_name" for e in by_field.get("name", [])):
            form.offer_allow_similar()
        return self.render_to_response(
            self.get_context_data(
                form=form, duplicates=list(duplicates.visible_to(self.request.user)[:5])
            )
        )


@login_required
@require_POST
@once_per_submission
def enterprise_withdraw(request, pk):
    enterprise = get_object_or_404(
        Enterprise.objects.visible_to(request.user).select_related("branch"), pk=pk
    )
    return withdraw_from_post(
        request,
        enterprise,
        back=("outreach:enterprise_detail", pk),
        done=("outreach:enterprise_list",),
        done_message=_("Enterprise withdrawn."),
    )


@login_required
@once_per_submission
def enterprise_merge(request, pk):
    """Merge this record (the duplicate) into another record of the same company: choose
    the survivor and say why, check what moves, confirm. The provincial office's alone."""
    duplicate = get_object_or_404(
        Enterprise.objects.visible_to(request.user).select_related(
            "branch", "county", "merged_into"
        ),
        pk=pk,
    )
    if not rules.can_merge_enterprises(request.user):
        raise PermissionDenied
    form = EnterpriseMergeForm(
        request.POST if request.method == "POST" else None,
        duplicate=duplicate,
        into=request.GET.get("into", ""),
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        survivor = form.cleaned_data["survivor"]
        if not request.POST.get("confirm"):
            preview = _merge_preview(survivor, duplicate)
        else:
            try:
                registry.enterprise_merge(
                    actor=request.user,
                    survivor=survivor,
                    duplicate=duplicate,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                by_field = error.error_dict if hasattr(error, "error_dict") else {None: error}
                for field, errors in by_field.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    _("“{duplicate}” was merged into “{survivor}”.").format(
                        duplicate=duplicate.name, survivor=survivor.name
                    ),
                )
                return redirect("outreach:enterprise_detail", pk=survivor.pk)
    return render(
        request,
        "outreach/enterprise_merge.html",
        {
            "duplicate": duplicate,
            "form": form,
            "preview": preview,
            "moves": selectors.enterprise_link_counts(duplicate),
            "lookalikes": [] if preview else selectors.enterprise_lookalikes(duplicate),
        },
    )


def _merge_preview(survivor: Enterprise, duplicate: Enterprise) -> dict:
    """What confirming would do: the survivor, and which of its empty fields it takes."""
    return {
        "survivor": survivor,
        "filled": [
            Enterprise._meta.get_field(name).verbose_name
            for name in registry.FILLED_FIELDS
            if not getattr(survivor, name) and getattr(duplicate, name)
        ],
    }


@login_required
def enterprise_autocomplete(request):
    """Enterprises of the province's registry matching ``q``, for the searchable pickers
    (the user's own branch's first)."""
    rows = selectors.enterprises_matching(request.user, request.GET.get("q", "").strip())
    return JsonResponse({"results": [_picker_choice(row) for row in rows]})


@login_required
def enterprise_choice(request, pk):
    """One enterprise as a picker's choice ``{id, text}``: where the registration dialog
    lands, so a repeat of its form (core.submissions) chooses the same record."""
    rows = selectors.enterprise_choice(request.user, pk)
    if not rows:
        raise Http404
    return JsonResponse(_picker_choice(rows[0]))


def _picker_choice(row) -> dict:
    # The name alone too: an opinion row under the visit form names the enterprise by it.
    return {"id": row["pk"], "text": _picker_text(row), "name": row["name"]}


def _picker_text(row) -> str:
    """Name, county (in the reader's language) and code: two companies of one name are
    told apart by the rest."""
    county = ""
    if row["county__name"]:
        name = in_reader_language(row["county__name"], row["county__name_en"])
        county = f" ({name})" if english_active() else f"（{name}）"
    return f"{row['name']}{county} {row['uscc']}".strip()
