"""Forms of the issue screens. They collect and clean input; transitions and services write.

Each workflow action has a small form with exactly the fields its row of
``issues.transitions.TRANSITIONS`` needs, and a hidden ``expected_state``: the state the
page showed, so that a second tab or a double click is refused instead of applied twice.
Several of these forms sit on one page, so each gets its own ``auto_id`` (unique element
ids) while the posted names stay plain (``deadline``, ``measures``...).
"""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Membership
from core import files
from core.submissions import submission_key_input
from core.templatetags.people import person_name
from core.widgets import DateInput

from .models import DeadlineExtension, Issue, IssueReturn, ProvincialMeeting, Reply, ReturnReason
from .supervision import oldest_open_notice_id
from .transitions import TRANSITIONS, awaiting_return_id, pending_extension_id

Role = Membership.Role


def branch_workers(branch_id: int):
    """Active staff and leads of one branch: who may be made responsible for its issues."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            membership__branch_id=branch_id,
            membership__role__in=[Role.STAFF, Role.LEAD],
        )
        .order_by("last_name", "first_name", "username")
    )


def decision_owners(branch_id: int):
    """Who a provincial decision may name as owner: the branch's people or the province's."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(membership__branch_id=branch_id, membership__role__in=[Role.STAFF, Role.LEAD])
            | Q(membership__role__in=[Role.OFFICE, Role.LEADER])
        )
        .order_by("last_name", "first_name", "username")
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return person_name(obj)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleaned to a list (empty when none was chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": files.ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data]
        cleaned = [super(MultipleFileField, self).clean(upload, initial) for upload in uploads]
        return [upload for upload in cleaned if upload]


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


# --- workflow actions ---------------------------------------------------------------------


class TransitionForm(forms.Form):
    """The fields of one transition, plus the state the page showed."""

    name = ""
    #: The sentence above the button, for actions without fields.
    confirmation = ""

    expected_state = forms.ChoiceField(choices=Issue.State.choices, widget=forms.HiddenInput)

    def __init__(self, *args, issue: Issue, user, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.name}_%s")
        kwargs.setdefault("initial", {"expected_state": issue.state})
        super().__init__(*args, **kwargs)
        self.issue = issue
        self.user = user
        self.transition = TRANSITIONS[self.name]
        self.helper = FormHelper()
        self.helper.add_input(submission_key_input())
        self.helper.form_action = reverse("issues:issue_transition", args=[issue.pk, self.name])
        self.helper.attrs = {"data-testid": f"form-{self.name}"}
        # Each field through the layout: without one, crispy renders a radio group with the
        # form's own attributes (a second data-testid="form-…", an action on a div).
        self.helper.layout = Layout(*self.fields)
        self.helper.add_input(
            Submit(
                "submit",
                self.transition.label,
                css_class=self.transition.button_class,
                data_testid=f"submit-{self.name}",
            )
        )

    def values(self) -> dict:
        """The keyword arguments for ``apply_transition`` besides the state."""
        data = dict(self.cleaned_data)
        data.pop("expected_state", None)
        return data


class PlanForm(TransitionForm):
    name = "plan"

    measures = forms.CharField(label=_("Rectification measures"), widget=_textarea(4))
    responsible = PersonChoiceField(
        label=_("Responsible person"), queryset=get_user_model().objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = branch_workers(self.issue.branch_id)
        if self.issue.deadline:
            # The deadline is the clock's (the office's limit counted from signing).
            self.fields["responsible"].help_text = _(
                "Rectification due by {deadline} (the office's time limit in working days)."
            ).format(deadline=self.issue.deadline.isoformat())


class FixNowForm(TransitionForm):
    name = "fix_now"

    rectification = forms.CharField(
        label=_("What was done on the spot"), widget=_textarea(4), max_length=5000
    )


class EscalateForm(TransitionForm):
    name = "escalate"

    reason = forms.CharField(
        label=_("Why the provincial level is needed"), widget=_textarea(4), max_length=5000
    )


class DecideForm(TransitionForm):
    name = "decide"

    meeting = forms.ModelChoiceField(
        label=_("Provincial meeting"), queryset=ProvincialMeeting.objects.none()
    )
    decision = forms.CharField(label=_("Decision"), widget=_textarea(4), max_length=5000)
    owner = PersonChoiceField(
        label=_("Owner"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("Someone of the branch becomes the issue's responsible person."),
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        widget=DateInput,
        required=False,
        help_text=_(
            "Leave empty to count the office's time limit in working days from the branch's "
            "signing for it."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = ProvincialMeeting.objects.visible_to(self.user)
        self.fields["owner"].queryset = decision_owners(self.issue.branch_id)
        self.helper.layout = Layout(
            "meeting",
            "decision",
            Div(
                Div("owner", css_class="col-sm-6"),
                Div("deadline", css_class="col-sm-6"),
                css_class="row",
            ),
            "expected_state",
        )


class VerifyForm(TransitionForm):
    name = "verify"
    confirmation = _("The rectification reported has been checked and is done.")


class AnswerForm(TransitionForm):
    name = "answer"
    confirmation = _("Every enterprise behind this issue has been answered.")


class ReopenForm(TransitionForm):
    name = "reopen"

    note = forms.CharField(label=_("Why it is reopened"), widget=_textarea(3), max_length=5000)

    def values(self) -> dict:
        data = super().values()
        data.pop("note", None)
        return data


class NoteInValues(TransitionForm):
    """A form whose ``note`` is the action's own text (apply_transition's ``note``)."""

    def values(self) -> dict:
        data = super().values()
        data.pop("note", None)
        return data


class SignForForm(TransitionForm):
    name = "sign_for"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.confirmation = _(
            "The branch takes this issue on; its plan and rectification deadlines are "
            "counted from now in working days."
        )
        if self.issue.deadline:
            self.confirmation = _(
                "The branch takes this issue on; the provincial decision's deadline, {date}, stays."
            ).format(date=self.issue.deadline.isoformat())


class ReturnForm(NoteInValues):
    name = "return"

    reason = forms.ModelChoiceField(
        label=_("Reason for returning it"), queryset=ReturnReason.objects.none()
    )
    note = forms.CharField(label=_("Explanation"), widget=_textarea(3), max_length=5000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = ReturnReason.objects.filter(is_active=True)
        if self.issue.sign_deadline:
            self.fields["reason"].help_text = _(
                "Returned until {date}; the provincial office then rules, and its ruling is final."
            ).format(date=self.issue.sign_deadline.isoformat())


def _names_its_record(form, field: str, record_id) -> None:
    """The action acts on the record the page showed: its id travels with the form (a
    hidden field), and the service refuses as stale when that record was dealt with."""
    form.fields[field] = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    form.initial.setdefault(field, record_id)
    form.helper.layout.append(field)  # the layout lists the fields known before this one


class RuleReturnForm(NoteInValues):
    name = "rule_return"

    ruling = forms.ChoiceField(
        label=_("Ruling"), choices=IssueReturn.Ruling.choices, widget=forms.RadioSelect
    )
    responsible = PersonChoiceField(
        label=_("New responsible person"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("For a reassignment: someone of the issue's branch."),
    )
    note = forms.CharField(label=_("Grounds of the ruling"), widget=_textarea(3), max_length=5000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = branch_workers(self.issue.branch_id)
        _names_its_record(self, "return_id", awaiting_return_id(self.issue))

    def clean(self):
        data = super().clean()
        if data.get("ruling") == IssueReturn.Ruling.REASSIGN and not data.get("responsible"):
            self.add_error("responsible", _("Name the new responsible person."))
        if data.get("ruling") == IssueReturn.Ruling.INSIST:
            data["responsible"] = None
        return data


def _later_than_deadline(form) -> None:
    field = form.fields["new_deadline"]
    if form.issue.deadline:
        field.widget.attrs["min"] = form.issue.deadline.isoformat()
        field.help_text = _("Now due by {date}.").format(date=form.issue.deadline.isoformat())


class RequestExtensionForm(TransitionForm):
    name = "request_extension"

    new_deadline = forms.DateField(label=_("New deadline asked for"), widget=DateInput)
    reason = forms.CharField(
        label=_("Why more time is needed"), widget=_textarea(3), max_length=5000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _later_than_deadline(self)


class DecideExtensionForm(NoteInValues):
    name = "decide_extension"

    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (DeadlineExtension.Status.APPROVED, _("Approve: the deadline moves")),
            (DeadlineExtension.Status.REFUSED, _("Refuse: the deadline stays")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), widget=_textarea(2), max_length=5000, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _names_its_record(self, "extension_id", pending_extension_id(self.issue))


class OfficeExtendForm(TransitionForm):
    name = "office_extend"

    new_deadline = forms.DateField(label=_("New deadline"), widget=DateInput)
    reason = forms.CharField(label=_("Reason"), widget=_textarea(3), max_length=5000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _later_than_deadline(self)


class SuperviseForm(TransitionForm):
    """The office's supervision notice (督办单) by hand."""

    name = "supervise"

    content = forms.CharField(
        label=_("Supervision notice"),
        widget=_textarea(4),
        max_length=5000,
        help_text=_("What the branch must do and answer in writing."),
    )


class AnswerSupervisionForm(TransitionForm):
    """The branch lead's written answer to the oldest open supervision notice (the one the
    page showed, named by its id)."""

    name = "answer_supervision"

    answer = forms.CharField(
        label=_("Written answer"),
        widget=_textarea(4),
        max_length=5000,
        help_text=_("What stands in the way, what is being done and by when."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _names_its_record(self, "notice_id", oldest_open_notice_id(self.issue))


TRANSITION_FORMS: dict[str, type[TransitionForm]] = {
    form.name: form
    for form in (
        PlanForm,
        FixNowForm,
        EscalateForm,
        DecideForm,
        VerifyForm,
        AnswerForm,
        ReopenForm,
        SignForForm,
        ReturnForm,
        RuleReturnForm,
        RequestExtensionForm,
        DecideExtensionForm,
        OfficeExtendForm,
        SuperviseForm,
        AnswerSupervisionForm,
    )
}


# --- other actions on an issue ------------------------------------------------------------


class ReplyForm(forms.Form):
    """A reply to one opinion of the issue, or (no ``feedback_item``) to every enterprise."""

    feedback_item = forms.IntegerField(required=False, widget=forms.HiddenInput)
    channel = forms.ChoiceField(label=_("Channel"), choices=Reply.Channel.choices)
    content = forms.CharField(label=_("What was answered"), widget=_textarea(3), max_length=5000)
    replied_on = forms.DateField(label=_("Replied on"), widget=DateInput)
    satisfaction = forms.ChoiceField(
        label=_("Enterprise's satisfaction"),
        choices=[("", _("Not recorded")), *Reply.Satisfaction.choices],
        required=False,
        help_text=_(
            "“Not reachable” records an attempt: the opinion still waits for a reply that "
            "reaches the enterprise."
        ),
    )
    only_unreplied = forms.BooleanField(
        label=_("Only opinions that have no reply yet"), required=False, initial=True
    )

    def __init__(self, *args, issue: Issue, item=None, **kwargs):
        key = f"item{item.pk}" if item is not None else "all"
        kwargs.setdefault("auto_id", f"id_reply_{key}_%s")
        initial = {"replied_on": timezone.localdate(), **kwargs.pop("initial", {})}
        if item is not None:
            initial["feedback_item"] = item.pk
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["replied_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.helper = FormHelper()
        self.helper.add_input(submission_key_input())
        self.helper.form_action = reverse("issues:reply_add", args=[issue.pk])
        self.helper.attrs = {"data-testid": f"reply-form-{key}"}
        fields = ["channel", "replied_on"]
        if item is not None:
            del self.fields["only_unreplied"]
            rest = ["content", "satisfaction", "feedback_item"]
            label = _("Record the reply")
        else:
            rest = ["content", "satisfaction", "only_unreplied", "feedback_item"]
            label = _("Record the reply to every enterprise")
        self.helper.layout = Layout(
            Div(*(Div(name, css_class="col-sm-6") for name in fields), css_class="row"), *rest
        )
        self.helper.add_input(Submit("submit", label, data_testid=f"submit-reply-{key}"))


class RectificationForm(forms.Form):
    """What was done (the branch lead then verifies it), with evidence files."""

    rectification = forms.CharField(label=_("What was done"), widget=_textarea(4), max_length=5000)
    evidence = MultipleFileField(label=_("Evidence (photos, scans, documents)"), required=False)

    #: Files accepted in one upload.
    MAX_FILES = 10

    def __init__(self, *args, issue: Issue, **kwargs):
        kwargs.setdefault("initial", {"rectification": issue.rectification})
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(submission_key_input())
        self.helper.form_action = reverse("issues:rectification_report", args=[issue.pk])
        self.helper.attrs = {"data-testid": "rectification-form"}
        self.helper.add_input(
            Submit("submit", _("Report the rectification"), data_testid="submit-rectification")
        )

    def clean_evidence(self):
        uploads = self.cleaned_data["evidence"]
        if len(uploads) > self.MAX_FILES:
            raise forms.ValidationError(
                _("Upload at most {count} files at a time.").format(count=self.MAX_FILES)
            )
        # Checked here as well as by the service, so that one bad file refuses the whole
        # report before any file is written to storage.
        errors = []
        for upload in uploads:
            try:
                files.inspect_upload(upload, max_bytes=files.upload_limit_bytes())
            except forms.ValidationError as error:
                errors.append(
                    _("{name} was not uploaded: {reason}").format(
                        name=files.clean_filename(upload.name), reason=" ".join(error.messages)
                    )
                )
        if errors:
            raise forms.ValidationError(errors)
        return uploads


class InstructionForm(forms.Form):
    """An institute leader's written instruction (批示)."""

    content = forms.CharField(label=_("Instruction"), widget=_textarea(3), max_length=5000)

    def __init__(self, *args, issue: Issue, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(submission_key_input())
        self.helper.form_action = reverse("issues:instruction_add", args=[issue.pk])
        self.helper.attrs = {"data-testid": "instruction-form"}
        self.helper.add_input(
            Submit("submit", _("Write the instruction"), data_testid="submit-instruction")
        )


class MergeForm(forms.Form):
    """Merge this issue, a duplicate, into another open issue of its branch."""

    into = forms.ModelChoiceField(label=_("Surviving issue"), queryset=Issue.objects.none())
    note = forms.CharField(label=_("Note"), widget=_textarea(2), required=False, max_length=2000)

    def __init__(self, *args, issue: Issue, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = merge_candidates(issue, user)
        self.fields["into"].label_from_instance = lambda other: f"#{other.pk} {other.title}"
        self.helper = FormHelper()
        self.helper.add_input(submission_key_input())
        self.helper.form_action = reverse("issues:issue_merge", args=[issue.pk])
        self.helper.attrs = {"data-testid": "merge-form"}
        self.helper.add_input(
            Submit(
                "submit",
                _("Merge into the chosen issue"),
                css_class="btn-outline-danger",
                data_testid="submit-merge",
            )
        )


class IssueWithdrawForm(forms.Form):
    """Withdraw an issue opened by mistake; its opinions go back to "no disposition"."""

    reason = forms.CharField(label=_("Reason for withdrawal"), widget=_textarea(2), max_length=500)

    def __init__(self, *args, issue: Issue, **kwargs):
        kwargs.setdefault("auto_id", "id_withdraw_%s")
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = reverse("issues:issue_withdraw", args=[issue.pk])
        self.helper.attrs = {"data-testid": "withdraw-form"}
        self.helper.add_input(submission_key_input())
        self.helper.add_input(
            Submit(
                "submit",
                _("Withdraw the issue"),
                css_class="btn-outline-danger",
                data_testid="submit-withdraw",
            )
        )


def merge_candidates(issue: Issue, user):
    """The branch's other open issues, which this one may be merged into."""
    return (
        Issue.objects.visible_to(user)
        .open()
        .filter(branch_id=issue.branch_id)
        .exclude(pk=issue.pk)
        .order_by("-created_at", "-id")
    )
