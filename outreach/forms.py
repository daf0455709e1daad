"""Forms of the outreach screens. They collect and clean input; the services write."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Div, Field, Layout, Row, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from branches.models import County, Membership
from core.ids import MAX_ID, ModelIdsChoiceField, parse_id
from core.submissions import submission_key_input
from core.widgets import DateInput

from .models import Activity, Campaign, Enterprise, EquipmentClass, FeedbackCategory, FeedbackItem
from .registry import check_mergeable
from .services import KIND_FIELDS
from .validators import normalize_uscc, validate_uscc


class EnterpriseForm(forms.ModelForm):
    """Register or edit an enterprise of one branch."""

    allow_similar_name = forms.BooleanField(
        label=_("This is a different enterprise from the one with the same name"),
        required=False,
    )

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "uscc",
            "county",
            "address",
            "equipment_classes",
            "contact_name",
            "contact_phone",
        ]
        field_classes = {"equipment_classes": ModelIdsChoiceField}
        widgets = {
            "equipment_classes": forms.CheckboxSelectMultiple,
            "uscc": forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
            "contact_phone": forms.TextInput(attrs={"inputmode": "tel"}),
        }

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        # Any county of the province (where the company is), the home branch's first.
        counties = County.objects.select_related("branch").order_by("code")
        self.fields["county"].queryset = counties
        self.fields["county"].required = True
        self.fields["county"].widget.choices = _counties_grouped(counties, branch)
        self.fields["equipment_classes"].queryset = EquipmentClass.objects.all()
        # The service checks the code again; here it is normalised before the model's check.
        self.fields["uscc"].validators = []
        self.helper = FormHelper()
        self.helper.form_tag = False
        self._lay_out(
            offer_allow_similar=bool(self.data.get(self.add_prefix("allow_similar_name")))
        )

    def offer_allow_similar(self) -> None:
        """Show the "this is a different enterprise" box (after a same-name match)."""
        self._lay_out(offer_allow_similar=True)

    def _lay_out(self, *, offer_allow_similar: bool) -> None:
        self.helper.layout = Layout(
            Field("name", autofocus=True),
            Div(
                Div("uscc", css_class="col-md-6"),
                Div("county", css_class="col-md-6"),
                css_class="row",
            ),
            "address",
            "equipment_classes",
            Div(
                Div("contact_name", css_class="col-md-6"),
                Div("contact_phone", css_class="col-md-6"),
                css_class="row",
            ),
            Div("allow_similar_name", css_class="" if offer_allow_similar else "d-none"),
        )

    def clean_uscc(self):
        code = normalize_uscc(self.cleaned_data.get("uscc", ""))
        if code:
            validate_uscc(code)
        return code

    def _get_validation_exclusions(self):
        # The code's uniqueness is checked by the service, whose duplicate guard also offers
        # the enterprise already registered; the database constraint stays the backstop.
        return {*super()._get_validation_exclusions(), "uscc"}


def _counties_grouped(counties, branch) -> list:
    """County choices grouped by the branch that serves them, ``branch``'s group first."""
    groups: dict = {}
    for county in counties:
        groups.setdefault(county.branch, []).append((county.pk, str(county)))
    ordered = sorted(groups, key=lambda b: (b.pk != branch.pk, b.sort_order, b.pk))
    return [("", "---------"), *((b.display_short_name, groups[b]) for b in ordered)]


#: What the searchable pickers say, in the user's language (read by static/js/app.js).
PICKER_TEXTS = {
    "data-no-results": _("Nothing found"),
    "data-remove-label": _("Remove"),
    "data-load-failed": _("The search failed: check the connection, then type again."),
}


class ActivityForm(forms.ModelForm):
    """An activity of one kind: only the fields that kind records are on the form."""

    class Meta:
        model = Activity
        fields = [
            "campaign",
            "occurred_on",
            "title",
            "place",
            "enterprises",
            "attendee_count",
            "forms_sent",
            "forms_returned",
            "staff",
            "minutes",
        ]
        field_classes = {"enterprises": ModelIdsChoiceField, "staff": ModelIdsChoiceField}
        widgets = {
            "occurred_on": DateInput,
            "minutes": forms.Textarea(attrs={"rows": 4}),
            "attendee_count": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "forms_sent": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "forms_returned": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        }

    def __init__(self, *args, kind, branch, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = Activity.Kind(kind)
        wanted = KIND_FIELDS[self.kind]
        for name in ("enterprises", "attendee_count", "forms_sent", "forms_returned"):
            if name not in wanted:
                del self.fields[name]
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user)
        self.fields["campaign"].empty_label = None
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Leave empty to name it after the kind and enterprises.")
        self.fields["staff"].queryset = (
            get_user_model()
            .objects.filter(
                is_active=True,
                membership__branch=branch,
                membership__role__in=[Membership.Role.STAFF, Membership.Role.LEAD],
            )
            .order_by("last_name", "first_name")
        )
        self.fields["staff"].label_from_instance = _person_label
        self.fields["staff"].widget.attrs.update({"data-picker": "", **PICKER_TEXTS})
        if "enterprises" in self.fields:
            posted = self.data.getlist(self.add_prefix("enterprises")) if self.is_bound else []
            chosen = [pk for pk in map(parse_id, posted) if pk is not None]
            initial = [e.pk for e in self.initial.get("enterprises", [])] if self.initial else []
            # The province's registry: any branch meets any enterprise in use.
            visible = Enterprise.objects.active()
            # Render only the chosen ones; the picker searches the rest on the server.
            self.fields["enterprises"].queryset = visible
            self.fields["enterprises"].widget.choices = _choices_of(
                visible.filter(pk__in=[*chosen, *initial])
            )
            self.fields["enterprises"].widget.attrs.update(
                {
                    "data-picker": "",
                    "data-autocomplete-url": reverse("outreach:enterprise_autocomplete"),
                    "placeholder": _("Type part of a name or credit code"),
                    # Not registered yet: a dialog registers it (with the duplicate guard).
                    "data-create-url": reverse("outreach:enterprise_create") + "?dialog=1",
                    "data-create-label": _("Register “%(name)s” as a new enterprise…"),
                    **PICKER_TEXTS,
                }
            )
            self.fields["enterprises"].required = self.kind in {
                Activity.Kind.VISIT,
                Activity.Kind.ONSITE_SERVICE,
            }
        if self.kind == Activity.Kind.SURVEY:
            self.fields["forms_sent"].required = True
        if self.instance.pk:
            # The activity as the form was drawn: the service refuses an edit on a stale form.
            self.fields["version"] = forms.CharField(
                widget=forms.HiddenInput,
                initial=self.instance.updated_at.isoformat(),
                required=False,
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        rows = [
            Div(
                Div("occurred_on", css_class="col-6"),
                Div("campaign", css_class="col-6"),
                css_class="row",
            ),
        ]
        if "enterprises" in self.fields:
            rows.append("enterprises")
        numbers = [
            n for n in ("attendee_count", "forms_sent", "forms_returned") if n in self.fields
        ]
        if numbers:
            rows.append(Div(*[Div(n, css_class="col") for n in numbers], css_class="row"))
        rows += ["place", "title", "staff", "minutes"]
        if "version" in self.fields:
            rows.append(Field("version"))
        self.helper.layout = Layout(*rows)

    def clean_version(self):
        value = self.cleaned_data.get("version") or ""
        if not value:
            return None  # a form drawn before the check (the service then checks nothing)
        version = parse_datetime(value)
        if version is None:
            raise ValidationError(
                _("This form is out of date: open the activity again."), code="version"
            )
        return version

    def clean(self):
        cleaned = super().clean()
        sent, returned = cleaned.get("forms_sent"), cleaned.get("forms_returned")
        if sent is not None and returned is not None and returned > sent:
            self.add_error("forms_returned", _("More forms returned than were sent."))
        return cleaned


def _person_label(user) -> str:
    from core.templatetags.people import person_name

    return person_name(user)


def _record_id(value) -> int | None:
    """``value`` as a row id when it is one (plain digits, within range), else None."""
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


def _choices_of(enterprises):
    return [(e.pk, e.name) for e in enterprises]


class EnterpriseMergeForm(forms.Form):
    """Choose the record a duplicate is merged into, and say why they are one company."""

    survivor = forms.ModelChoiceField(
        label=_("Merge into"),
        queryset=Enterprise.objects.all(),
        help_text=_(
            "The record that stays: it takes every activity and opinion of this one, which "
            "is withdrawn and points to it."
        ),
    )
    reason = forms.CharField(
        label=_("Why these are one company"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
    )

    def __init__(self, *args, duplicate: Enterprise, into: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.duplicate = duplicate
        field = self.fields["survivor"]
        field.queryset = Enterprise.objects.select_related("branch")  # the check names it
        chosen = _record_id(self.data.get("survivor") if self.is_bound else into)
        if chosen is not None and not self.is_bound:
            self.initial["survivor"] = chosen
        # Render only the chosen one; the picker searches the rest on the server.
        picked = Enterprise.objects.active().filter(pk=chosen) if chosen else []
        field.widget.choices = [("", ""), *_choices_of(picked)]
        field.widget.attrs.update(
            {
                "data-picker": "",
                "data-autocomplete-url": reverse("outreach:enterprise_autocomplete"),
                "placeholder": _("Type part of a name or credit code"),
                **PICKER_TEXTS,
            }
        )

    def clean(self):
        cleaned = super().clean()
        survivor = cleaned.get("survivor")
        if survivor is not None:
            try:
                check_mergeable(survivor=survivor, duplicate=self.duplicate)
            except ValidationError as error:
                by_field = error.error_dict if hasattr(error, "error_dict") else {None: error}
                for name, errors in by_field.items():
                    self.add_error(name, errors)
        return cleaned


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawal"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.add_input(submission_key_input())
        self.helper.add_input(
            Submit("withdraw", _("Withdraw"), field_classes="btn btn-outline-danger")
        )


# --- feedback entry ---------------------------------------------------------------------


#: The prefix of the entry formset's fields (``feedback-0-content``...).
FEEDBACK_PREFIX = "feedback"
#: Empty rows the entry page starts with.
FEEDBACK_START_ROWS = 3
#: Most rows one entry page takes (a long forum's minutes fit; a runaway loop does not).
FEEDBACK_MAX_ROWS = 100


class FeedbackEntryChoices:
    """What every row of an entry form offers, read once for all rows: the enterprises of
    ``activity``, or of a new activity's form (``offered``, pairs of id and name)."""

    def __init__(self, activity: Activity | None = None, *, offered=None):
        self.activity = activity
        # Any enterprise of the province's registry in use is accepted (the service checks
        # again); the activity's own are the ones offered.
        self.enterprises = Enterprise.objects.active()
        if offered is None:
            offered = activity.enterprises.active().order_by("name").values_list("pk", "name")
        self.enterprise_choices = [("", _("Anonymous (back-to-back)")), *offered]
        self.categories = FeedbackCategory.objects.filter(is_active=True)
        self.category_choices = [
            ("", "---------"),
            *((category.pk, str(category)) for category in self.categories),
        ]


#: A row's hidden fields about the open issues suggested beside it (issues/suggestions.py
#: reads them through ``signals.opinions_recorded``): the list shown, as a signed token,
#: and the issue chosen to attach the opinion to. Neither makes a row count as filled.
INTAKE_FIELDS = ("suggested", "attach_to")


class FeedbackRowForm(forms.ModelForm):
    """One opinion of the entry form; an untouched row is skipped, not an error."""

    suggested = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.HiddenInput(attrs={"data-suggested-token": "", "data-not-kept": ""}),
    )
    attach_to = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        widget=forms.HiddenInput(attrs={"data-suggested-choice": "", "data-not-kept": ""}),
    )

    class Meta:
        model = FeedbackItem
        fields = ["enterprise", "category", "kind", "content", "contact"]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 3}),
            "contact": forms.TextInput(attrs={"autocomplete": "off"}),
        }
        help_texts = {"enterprise": ""}

    def __init__(self, *args, choices: FeedbackEntryChoices, typed_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.counts_typed_text_only = typed_only
        enterprise = self.fields["enterprise"]
        enterprise.queryset = choices.enterprises
        enterprise.widget.choices = choices.enterprise_choices
        category = self.fields["category"]
        category.queryset = choices.categories
        category.widget.choices = choices.category_choices
        self.fields["contact"].widget.attrs["placeholder"] = _("Name or phone, if given")
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                Column("enterprise", css_class="col-12 col-md-5"),
                Column("category", css_class="col-7 col-md-4"),
                Column("kind", css_class="col-5 col-md-3"),
            ),
            Field("content"),
            Field("contact", wrapper_class="mb-0"),
            Field("suggested"),
            Field("attach_to"),
        )

    def has_changed(self) -> bool:
        if not self.counts_typed_text_only:
            return any(name not in INTAKE_FIELDS for name in self.changed_data)
        # Under a new activity the choices start filled in (the enterprise met, the last
        # category): a row is written when something was typed in it.
        return any(
            str(self.data.get(self.add_prefix(name), "")).strip() for name in ("content", "contact")
        )

    def focus(self, name: str = "content") -> None:
        """Put the cursor in this row's ``name`` field when the page opens."""
        self.fields[name].widget.attrs["autofocus"] = True

    def validate_unique(self):
        # The row has no activity yet; the service validates what it writes.
        pass


class BaseFeedbackFormSet(forms.BaseFormSet):
    """The rows of one entry: blank rows are ignored, at least one must be filled."""

    #: Whether a row must be filled (the entry page); under a new activity none need be.
    requires_one = True

    def filled_forms(self) -> list[FeedbackRowForm]:
        return [form for form in self.forms if form.has_changed()]

    def clean(self):
        if any(self.errors):
            return
        if self.requires_one and not self.filled_forms():
            raise ValidationError(_("Write down at least one opinion."), code="empty")

    def focus_first(self) -> None:
        """Autofocus the first field with an error, or else the first row's content."""
        for form in self.forms:
            for name in form.errors:
                if name in form.fields:
                    form.focus(name)
                    return
        if self.forms:
            self.forms[0].focus()


FeedbackFormSet = forms.formset_factory(
    FeedbackRowForm,
    formset=BaseFeedbackFormSet,
    extra=FEEDBACK_START_ROWS,
    max_num=FEEDBACK_MAX_ROWS,
    absolute_max=FEEDBACK_MAX_ROWS,
    validate_max=True,
)


class OptionalFeedbackFormSet(FeedbackFormSet):
    """The opinion rows under a new activity's form: saved with it, and none is fine."""

    requires_one = False
    extra = 1


# --- correcting an opinion ------------------------------------------------------------


class FeedbackEditForm(forms.Form):
    """Correct one opinion (``services.feedback_update``): the enterprise among those met
    at its activity (or anonymous), category, kind, words and contact. A field the
    workflow keeps (``services.feedback_kept_fields``) is shown disabled, with why.

    ``version`` is the opinion's ``updated_at`` when the form was drawn: the service
    refuses the correction when the opinion changed since.
    """

    enterprise = forms.ModelChoiceField(
        label=capfirst(FeedbackItem._meta.get_field("enterprise").verbose_name),
        queryset=Enterprise.objects.none(),
        required=False,
        empty_label=_("Anonymous (back-to-back)"),
    )
    category = forms.ModelChoiceField(
        label=capfirst(FeedbackItem._meta.get_field("category").verbose_name),
        queryset=FeedbackCategory.objects.none(),
    )
    kind = forms.ChoiceField(
        label=capfirst(FeedbackItem._meta.get_field("kind").verbose_name),
        choices=FeedbackItem.Kind.choices,
    )
    content = forms.CharField(
        label=capfirst(FeedbackItem._meta.get_field("content").verbose_name),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    contact = forms.CharField(
        label=capfirst(FeedbackItem._meta.get_field("contact").verbose_name),
        max_length=FeedbackItem._meta.get_field("contact").max_length,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    version = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, item: FeedbackItem, kept: dict[str, str], **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "enterprise": item.enterprise_id,
                "category": item.category_id,
                "kind": item.kind,
                "content": item.content,
                "contact": item.contact,
                "version": item.updated_at.isoformat(),
            },
        )
        super().__init__(*args, **kwargs)
        # The enterprises met at the activity, and the opinion's own whatever became of it.
        met = Q(activities=item.activity_id, withdrawn_at__isnull=True)
        enterprises = Enterprise.objects.filter(met | Q(pk=item.enterprise_id)).distinct()
        self.fields["enterprise"].queryset = enterprises.order_by("name", "id")
        categories = FeedbackCategory.objects.filter(Q(is_active=True) | Q(pk=item.category_id))
        self.fields["category"].queryset = categories
        self.fields["contact"].widget.attrs["placeholder"] = _("Name or phone, if given")
        for name, reason in kept.items():
            self.fields[name].disabled = True
            self.fields[name].help_text = reason
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                Column("enterprise", css_class="col-12 col-md-5"),
                Column("category", css_class="col-7 col-md-4"),
                Column("kind", css_class="col-5 col-md-3"),
            ),
            Field("content"),
            Field("contact"),
            Field("version"),
        )

    def clean_version(self):
        version = parse_datetime(self.cleaned_data["version"])
        if version is None:
            raise ValidationError(
                _("This form is out of date: open the opinion again."), code="version"
            )
        return version
