"""Enterprise registry: list, search, register with a duplicate guard, edit, history page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView

from branches import rules
from branches.mixins import OutreachWriterMixin, ScopedFilterMixin, ScopedQuerysetMixin
from branches.scoping import membership_of
from core.submissions import once_per_submission

from .. import selectors, services
from ..filters import EnterpriseFilter
from ..forms import EnterpriseForm, WithdrawForm
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
    """Everything about one enterprise, newest first: activities, opinions, issues, replies."""

    model = Enterprise
    template_name = "outreach/enterprise_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("branch", "county", "created_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enterprise = self.object
        context["equipment_classes"] = list(enterprise.equipment_classes.all())
        context["activities"] = selectors.enterprise_activities(self.request.user, enterprise)
        context["feedback_items"] = selectors.enterprise_opinions(self.request.user, enterprise)
        context["can_write"] = rules.can_log_outreach_in(self.request.user, enterprise.branch)
        # Ticks to reply to opinions: for the staff and lead of the opinions' own branch.
        membership = membership_of(self.request.user)
        context["reply_branch_id"] = (
            membership.branch_id if rules.can_dispose_feedback(self.request.user) else None
        )
        context["withdraw_form"] = WithdrawForm(
            action=reverse("outreach:enterprise_withdraw", args=[enterprise.pk])
        )
        return context


@method_decorator(once_per_submission, name="post")
class EnterpriseFormView(OutreachWriterMixin, FormView):
    """Register (no pk) or edit (pk) an enterprise of the user's branch."""

    form_class = EnterpriseForm
    template_name = "outreach/enterprise_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.enterprise = None
        if "pk" in kwargs and request.user.is_authenticated:
            self.enterprise = get_object_or_404(
                Enterprise.objects.visible_to(request.user).active(), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    @property
    def branch(self):
        if self.enterprise is not None:
            return self.enterprise.branch
        return membership_of(self.request.user).branch

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["branch"] = self.branch
        kwargs["instance"] = self.enterprise
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["enterprise"] = self.enterprise
        context.setdefault("duplicates", [])
        context.setdefault("hidden_duplicate", False)
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
                enterprise = services.enterprise_create(
                    actor=self.request.user, branch=self.branch, **fields
                )
                messages.success(self.request, _("Enterprise registered."))
            else:
                enterprise = services.enterprise_update(
                    actor=self.request.user, enterprise=self.enterprise, **fields
                )
                messages.success(self.request, _("Enterprise updated."))
        except ValidationError as error:
            return self._form_with_duplicates(form, error)
        return redirect("outreach:enterprise_detail", pk=enterprise.pk)

    def _form_with_duplicates(self, form, error: ValidationError):
        """Show the service's errors and offer the enterprises it matched."""
        # Look the matches up before add_error() drops fields from cleaned_data.
        duplicates = services.enterprise_duplicates(
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
        visible = list(duplicates.visible_to(self.request.user)[:5])
        return self.render_to_response(
            self.get_context_data(
                form=form,
                duplicates=visible,
                # A match the user cannot open (another branch's) is named, never shown.
                hidden_duplicate=len(visible) < duplicates.count(),
            )
        )


@login_required
@require_POST
@once_per_submission
def enterprise_withdraw(request, pk):
    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=pk)
    return withdraw_from_post(
        request,
        enterprise,
        back=("outreach:enterprise_detail", pk),
        done=("outreach:enterprise_list",),
        done_message=_("Enterprise withdrawn."),
    )


@login_required
def enterprise_autocomplete(request):
    """Enterprises of the user's scope matching ``q``, for the searchable pickers."""
    rows = selectors.enterprises_matching(request.user, request.GET.get("q", "").strip())
    return JsonResponse(
        {
            "results": [
                {"id": row["pk"], "text": f"{row['name']} {row['uscc']}".strip()} for row in rows
            ]
        }
    )
