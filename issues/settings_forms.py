"""Forms of the office's clock settings: the time limits, a return reason, which branches'
replies need approval. They collect and clean input; ``issues.clock_settings`` writes."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.forms import modelformset_factory
from django.utils.translation import gettext_lazy as _

from branches.models import Branch
from core.ids import ModelIdsChoiceField

from .clock_settings import LIMIT_RANGE
from .models import ReturnReason, TimeLimit


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class TimeLimitForm(forms.ModelForm):
    """One limit's working days, labelled with its step."""

    working_days = forms.IntegerField(
        label=_("Working days"), min_value=LIMIT_RANGE[0], max_value=LIMIT_RANGE[1]
    )

    class Meta:
        model = TimeLimit
        fields = ["working_days"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["working_days"].label = self.instance.get_step_display()
        self.fields["working_days"].widget.attrs.update({"inputmode": "numeric", "min": 1})
        self.helper = _helper()


#: Every limit at once: rows are the office's (seeded by migration), never added or deleted
#: (``edit_only``; a posted form count beyond the steps is refused, not read).
TimeLimitFormSet = modelformset_factory(
    TimeLimit,
    form=TimeLimitForm,
    extra=0,
    can_delete=False,
    edit_only=True,
    max_num=len(TimeLimit.Step),
    absolute_max=len(TimeLimit.Step),
    validate_max=True,
)


class ReturnReasonForm(forms.ModelForm):
    """A reason a branch may give when it returns an issue; taken out of use, not deleted."""

    class Meta:
        model = ReturnReason
        fields = ["name", "name_en", "sort_order", "is_active"]

    def __init__(self, *args, adding: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if adding:
            del self.fields["is_active"]
        self.helper = _helper()
        self.helper.layout = Layout(
            Div(
                Div("name", css_class="col-sm-5"),
                Div("name_en", css_class="col-sm-5"),
                Div("sort_order", css_class="col-sm-2"),
                css_class="row",
            ),
            *([Field("is_active")] if "is_active" in self.fields else []),
        )


class BranchApprovalForm(forms.Form):
    """The city branches whose replies need a lead's approval (four eyes)."""

    branches = ModelIdsChoiceField(
        label=_("Replies need a lead's approval in"),
        queryset=Branch.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, branches, **kwargs):
        initial = {"branches": [b.pk for b in branches if b.replies_need_approval]}
        super().__init__(*args, initial=initial, **kwargs)
        field = self.fields["branches"]
        field.queryset = Branch.objects.filter(kind=Branch.Kind.CITY)
        field.label_from_instance = lambda branch: branch.display_name
        self.helper = _helper()
