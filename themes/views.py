"""The recurring problems' pages: the themes by state, a theme with its evidence, and the
office's decisions on it (each a POST that goes back to the theme)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from branches import rules
from core.submissions import once_per_submission

from . import selectors, services
from .finding import MIN_BRANCHES, WINDOW_MONTHS
from .forms import AdoptForm, DismissForm, LinkForm, MergeForm, StateFilter
from .models import Theme

State = Theme.State


def _readable(user) -> None:
    if not rules.can_read_themes(user):
        raise PermissionDenied


@require_safe
@login_required
def theme_list(request):
    user = request.user
    _readable(user)
    form = StateFilter(request.GET)
    # An unknown state is said beside the tabs; the proposed themes are shown meanwhile.
    valid = form.is_valid()
    state = form.chosen() if valid else State.PROPOSED
    themes = selectors.themes_for(user)
    shown = themes.filter(state=state).order_by("-branch_count", "-issue_count", "pk")
    counts = selectors.state_counts()
    context = {
        "form": form,
        "state": state,
        "tabs": [(value, label, counts.get(value, 0)) for value, label in State.choices],
        "themes": shown,
        "last_search": selectors.last_search(),
        "can_decide": rules.can_decide_themes(user),
        "min_branches": MIN_BRANCHES,
        "window_months": WINDOW_MONTHS,
    }
    return render(request, "themes/theme_list.html", context, status=200 if valid else 400)


def _detail(request, theme, *, forms=None, status=200):
    user = request.user
    evidence = selectors.evidence(theme, today=timezone.localdate())
    can_decide = rules.can_decide_themes(user)
    forms = forms or {}
    context = {
        "theme": theme,
        "evidence": evidence,
        "can_decide": can_decide,
    }
    if can_decide and theme.state == State.PROPOSED:
        context["adopt_form"] = forms.get("adopt") or AdoptForm(
            theme=theme, members=evidence.members
        )
        context["dismiss_form"] = forms.get("dismiss") or DismissForm()
        context["merge_form"] = forms.get("merge") or MergeForm(
            targets=selectors.merge_targets(theme)
        )
    if (
        can_decide
        and theme.state == State.ADOPTED
        and any(not member.linked for member in evidence.members)
    ):
        context["link_form"] = forms.get("link") or LinkForm(members=evidence.members)
    return render(request, "themes/theme_detail.html", context, status=status)


def _theme(user, pk) -> Theme:
    _readable(user)
    return get_object_or_404(selectors.themes_for(user), pk=pk)


@require_safe
@login_required
def theme_detail(request, pk):
    return _detail(request, _theme(request.user, pk))


def _decision(request, pk, *, form_key, bound_form, act, done, then=None):
    """One of the office's decisions on theme ``pk``: the form (``bound_form(theme)``)
    re-rendered on the theme's page with its errors, or ``act(theme, cleaned_data)`` (a
    service); a refusal (decided meanwhile) is said and changes nothing. Goes back to the
    theme, or to ``then(cleaned_data)``'s."""
    theme = _theme(request.user, pk)
    if not rules.can_decide_themes(request.user):
        raise PermissionDenied
    form = bound_form(theme)
    if not form.is_valid():
        return _detail(request, theme, forms={form_key: form}, status=400)
    try:
        act(theme, form.cleaned_data)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("themes:theme_detail", theme.pk)
    messages.success(request, done)
    return redirect("themes:theme_detail", then(form.cleaned_data) if then else theme.pk)


@login_required
@require_POST
@once_per_submission
def theme_adopt(request, pk):
    return _decision(
        request,
        pk,
        form_key="adopt",
        bound_form=lambda theme: AdoptForm(
            request.POST, theme=theme, members=selectors.evidence(theme).members
        ),
        act=lambda theme, data: services.adopt(
            request.user,
            theme.pk,
            title=data["title"],
            owner=data["owner"],
            deadline=data["deadline"],
            decision=data["decision"],
            issue_ids=data["issues"],
        ),
        done=_("Adopted as a provincial problem."),
    )


@login_required
@require_POST
@once_per_submission
def theme_dismiss(request, pk):
    return _decision(
        request,
        pk,
        form_key="dismiss",
        bound_form=lambda theme: DismissForm(request.POST),
        act=lambda theme, data: services.dismiss(request.user, theme.pk, reason=data["reason"]),
        done=_("Dismissed: its new issues will be added to it, not proposed again."),
    )


@login_required
@require_POST
@once_per_submission
def theme_merge(request, pk):
    return _decision(
        request,
        pk,
        form_key="merge",
        bound_form=lambda theme: MergeForm(request.POST, targets=selectors.merge_targets(theme)),
        act=lambda theme, data: services.merge(request.user, theme.pk, into_id=data["into"].pk),
        done=_("Merged: its issues are now in this recurring problem."),
        then=lambda data: data["into"].pk,
    )


@login_required
@require_POST
@once_per_submission
def theme_link(request, pk):
    return _decision(
        request,
        pk,
        form_key="link",
        bound_form=lambda theme: LinkForm(request.POST, members=selectors.evidence(theme).members),
        act=lambda theme, data: services.link(request.user, theme.pk, issue_ids=data["issues"]),
        done=_("Linked to the provincial problem."),
    )
