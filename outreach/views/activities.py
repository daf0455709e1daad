"""Activities: list, log one of each kind, edit, the activity page, withdraw."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView

from branches import rules
from branches.mixins import OutreachWriterMixin, ScopedFilterMixin, ScopedQuerysetMixin
from branches.scoping import membership_of
from core.submissions import once_per_submission

from .. import selectors, services
from ..filters import ActivityFilter
from ..forms import (
    FEEDBACK_MAX_ROWS,
    FEEDBACK_PREFIX,
    INTAKE_FIELDS,
    ActivityForm,
    FeedbackEntryChoices,
    OptionalFeedbackFormSet,
    WithdrawForm,
)
from ..models import Activity
from .withdrawal import withdraw_from_post


class ActivityListView(LoginRequiredMixin, ScopedFilterMixin, FilterView):
    model = Activity
    filterset_class = ActivityFilter
    paginate_by = 25
    template_name = "outreach/activity_list.html"

    def get_queryset(self):
        return selectors.activity_list(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_write"] = rules.can_log_outreach(self.request.user)
        context["forms_totals"] = self._forms_totals()
        return context

    def _forms_totals(self) -> dict | None:
        """Forms sent and returned over every survey listed (the dashboard links here)."""
        filterset = self.filterset
        if (
            not filterset.is_valid()
            or filterset.form.cleaned_data.get("kind") != Activity.Kind.SURVEY
        ):
            return None
        return filterset.qs.order_by().aggregate(
            sent=Coalesce(Sum("forms_sent"), 0), returned=Coalesce(Sum("forms_returned"), 0)
        )


@login_required
def activity_kind_choice(request):
    """Step one of logging an activity: what kind was it?"""
    if not rules.can_log_outreach(request.user):
        raise PermissionDenied
    return render(
        request,
        "outreach/activity_kind_choice.html",
        {"kinds": [Activity.Kind(kind) for kind in services.LOGGED_KINDS]},
    )


@method_decorator(once_per_submission, name="post")
class ActivityFormView(OutreachWriterMixin, FormView):
    """Log an activity of one kind (``kind`` in the URL), or edit one (``pk``)."""

    form_class = ActivityForm
    template_name = "outreach/activity_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.activity = None
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)  # to the login page
        if "pk" in kwargs:
            self.activity = get_object_or_404(
                Activity.objects.visible_to(request.user).active(), pk=kwargs["pk"]
            )
            self.kind = self.activity.kind
            if self.kind not in services.LOGGED_KINDS:
                # The online box's standing activity: the box made it, nobody edits it.
                raise PermissionDenied
        elif kwargs.get("kind") in services.LOGGED_KINDS:
            self.kind = Activity.Kind(kwargs["kind"])
        else:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    @property
    def branch(self):
        if self.activity is not None:
            return self.activity.branch
        return membership_of(self.request.user).branch

    def get_initial(self):
        if self.activity is None:
            campaign = selectors.current_campaign(self.request.user)
            return {
                "campaign": campaign,
                "occurred_on": timezone.localdate(),
                "staff": [self.request.user],
                # Picked from the enterprise's page or the registration's duplicate guard.
                "enterprises": self._enterprise_picked(),
            }
        return {"enterprises": list(self.activity.enterprises.all())}

    def _enterprise_picked(self) -> list:
        """The enterprise named by ``?enterprise=<id>``, when it is one in use."""
        value = self.request.GET.get("enterprise", "")
        if not (value.isascii() and value.isdigit() and len(value) < 19):
            return []
        return list(selectors.enterprise_list(self.request.user).filter(pk=int(value)))

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(kind=self.kind, branch=self.branch, user=self.request.user)
        kwargs["instance"] = self.activity
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(activity=self.activity, kind_label=Activity.Kind(self.kind).label)
        if self.activity is None:
            context.setdefault("opinions", self.opinion_rows(context["form"]))
            context["max_rows"] = FEEDBACK_MAX_ROWS
        return context

    def opinion_rows(self, form):
        """The opinions heard, under a new activity's form and saved with it; each row
        offers the enterprises chosen above (static/js/visit_form.js keeps them in step)."""
        offered = form.fields["enterprises"].widget.choices if "enterprises" in form.fields else []
        kwargs = {
            "choices": FeedbackEntryChoices(offered=offered),
            "initial": selectors.opinion_defaults(self.request.user),
            "typed_only": True,
        }
        data = self.request.POST if self.request.method == "POST" else None
        return OptionalFeedbackFormSet(data, prefix=FEEDBACK_PREFIX, form_kwargs=kwargs)

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        # A form without the rows (drawn before they were added to it) logs the activity.
        with_rows = self.activity is None and f"{FEEDBACK_PREFIX}-TOTAL_FORMS" in request.POST
        opinions = self.opinion_rows(form) if with_rows else None
        if form.is_valid() and (opinions is None or opinions.is_valid()):
            return self.form_valid(form, opinions)
        context = {"form": form} if opinions is None else {"form": form, "opinions": opinions}
        return self.render_to_response(self.get_context_data(**context))

    def form_valid(self, form, opinions=None):
        data = form.cleaned_data
        fields = {
            "campaign": data["campaign"],
            "occurred_on": data["occurred_on"],
            "title": data["title"],
            "place": data["place"],
            "enterprises": data.get("enterprises") or [],
            "staff": data["staff"],
            "attendee_count": data.get("attendee_count"),
            "forms_sent": data.get("forms_sent"),
            "forms_returned": data.get("forms_returned"),
            "minutes": data["minutes"],
        }
        if self.activity is not None:
            try:
                activity = services.activity_update(
                    actor=self.request.user,
                    activity=self.activity,
                    seen_updated_at=data.get("version"),
                    **fields,
                )
            except ValidationError as error:
                if getattr(error, "code", None) == "stale":
                    # Drawn again with the user's edit over the current version: a second
                    # save, once they have looked, is theirs to make.
                    form.data = form.data.copy()
                    current = Activity.objects.get(pk=self.activity.pk).updated_at
                    form.data[form.add_prefix("version")] = current.isoformat()
                return self._refused(form, opinions, error)
            messages.success(self.request, _("Activity updated."))
            return redirect("outreach:activity_detail", pk=activity.pk)
        rows = opinions.filled_forms() if opinions is not None else []
        try:
            with transaction.atomic():
                activity = services.activity_create(
                    actor=self.request.user, branch=self.branch, kind=self.kind, **fields
                )
                items = services.feedback_create_many(
                    actor=self.request.user,
                    opinions=[_new_opinion(activity, row.cleaned_data) for row in rows],
                )
                notes = services.opinions_announce(
                    actor=self.request.user,
                    opinions=[
                        (item, {name: row.cleaned_data.get(name) for name in INTAKE_FIELDS})
                        for item, row in zip(items, rows, strict=True)
                    ],
                )
        except ValidationError as error:
            by_row = getattr(error, "by_opinion", None)
            if by_row is None:
                return self._refused(form, opinions, error)
            for index, row_error in by_row.items():
                _add_errors(rows[index], row_error)
            return self.render_to_response(self.get_context_data(form=form, opinions=opinions))
        if rows:
            messages.success(
                self.request,
                ngettext(
                    "Activity logged with %(count)d opinion.",
                    "Activity logged with %(count)d opinions.",
                    len(rows),
                )
                % {"count": len(rows)},
            )
        else:
            messages.success(self.request, _("Activity logged."))
        for note in notes:
            messages.info(self.request, note)
        return redirect("outreach:activity_detail", pk=activity.pk)

    def _refused(self, form, opinions, error: ValidationError):
        _add_errors(form, error)
        context = {"form": form} if opinions is None else {"form": form, "opinions": opinions}
        return self.render_to_response(self.get_context_data(**context))


def _new_opinion(activity: Activity, data: dict) -> services.NewOpinion:
    return services.NewOpinion(
        activity=activity,
        category=data["category"],
        content=data["content"],
        kind=data["kind"],
        enterprise=data["enterprise"],
        contact=data["contact"],
    )


def _add_errors(form, error: ValidationError) -> None:
    """The service's errors on the form's fields (or on the form, for the others)."""
    by_field = error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}
    for field, field_errors in by_field.items():
        form.add_error(field if field in form.fields else None, field_errors)


class ActivityDetailView(ScopedQuerysetMixin, DetailView):
    """One activity: who was there, what was said, and where each opinion stands."""

    model = Activity
    template_name = "outreach/activity_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("branch", "campaign", "created_by", "withdrawn_by")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        activity = self.object
        history, trail = selectors.activity_history(activity)
        context.update(
            selectors.activity_page_rows(activity),
            history=history,
            trail=trail,
            from_box=activity.kind == Activity.Kind.ONLINE_BOX,
            can_write=(
                activity.withdrawn_at is None
                and rules.can_log_outreach_in(self.request.user, activity.branch)
            ),
            # Ticks to turn opinions into issues: for the staff and lead of the branch.
            can_dispose=rules.works_in_branch(self.request.user, activity.branch_id),
            withdraw_form=WithdrawForm(
                action=reverse("outreach:activity_withdraw", args=[activity.pk])
            ),
        )
        return context


@login_required
@require_POST
@once_per_submission
def activity_withdraw(request, pk):
    activity = get_object_or_404(Activity.objects.visible_to(request.user), pk=pk)
    return withdraw_from_post(
        request,
        activity,
        back=("outreach:activity_detail", pk),
        done=("outreach:activity_list",),
        done_message=_("Activity withdrawn."),
    )
