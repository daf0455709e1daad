"""Outreach: campaigns, the enterprises met, the activities held, and what was heard."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import TruncDate
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Branch, County
from branches.scoping import BranchScopedQuerySet, scope_of
from core.languages import in_reader_language
from core.models import TimeStamped, Withdrawable
from core.uploads import RandomUploadPath
from workdays.calendar import SHANGHAI

from .names import enterprise_name_key
from .search import register_bigram_lookups
from .validators import validate_uscc


class ActiveQuerySetMixin:
    def active(self):
        """Rows not withdrawn: the ones lists and counts show."""
        return self.filter(withdrawn_at__isnull=True)


class TranslatedNameMixin:
    """Reference data named in Chinese with an English name beside it: ``str()`` and
    ``display_name`` give the name in the reader's language."""

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return in_reader_language(self.name, self.name_en)


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Campaigns are province-wide: every member of the institute sees them all."""
        return self.none() if scope_of(user).is_empty else self


class Campaign(TranslatedNameMixin, models.Model):
    """A time-boxed outreach drive run by the whole province (e.g. 第二批教育实践活动)."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="campaign_ends_after_start",
            )
        ]


class EquipmentClass(TranslatedNameMixin, models.Model):
    """One of the eight classes of special equipment in the Special Equipment Safety Law."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("equipment class")
        verbose_name_plural = _("equipment classes")
        ordering = ["sort_order", "id"]


class FeedbackCategory(TranslatedNameMixin, models.Model):
    """What an opinion is about (服务态度, 收费 ...): data the administrators maintain."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("opinion category")
        verbose_name_plural = _("opinion categories")
        ordering = ["sort_order", "id"]


class EnterpriseQuerySet(ActiveQuerySetMixin, models.QuerySet):
    def visible_to(self, user):
        """The registry is province-wide: every member of the institute finds, opens and
        picks every enterprise. What a branch heard and did there stays its own: the
        activities and opinions that name an enterprise keep their branch's scope."""
        return self.none() if scope_of(user).is_empty else self

    def update(self, **fields):
        """A new name brings its matching key (the database cannot fold names on SQLite)."""
        if "name" in fields and "name_key" not in fields:
            if not isinstance(fields["name"], str):
                raise TypeError("update() of an enterprise's name needs the name itself")
            fields["name_key"] = enterprise_name_key(fields["name"])
        return super().update(**fields)


class Enterprise(Withdrawable, TimeStamped):
    """An enterprise using special equipment: one record per company for the whole
    province, which any branch may visit. Its home branch registered it and keeps it
    (with the provincial office); see ``branches.rules.can_edit_enterprise``."""

    name = models.CharField(_("name"), max_length=200)
    # The name folded for duplicate checks: always enterprise_name_key(name), set by save()
    # and by the queryset's update().
    name_key = models.CharField(_("name for matching"), max_length=200, blank=True, editable=False)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validate_uscc],
        help_text=_("18 characters, checked against the GB 32100-2015 check character."),
    )
    branch = models.ForeignKey(
        Branch,
        verbose_name=_("home branch"),
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    county = models.ForeignKey(
        County,
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprises",
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    equipment_classes = models.ManyToManyField(
        EquipmentClass, verbose_name=_("equipment classes"), blank=True, related_name="+"
    )
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Set only by ``registry.enterprise_merge``, which moves every link first.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="merged_records",
        help_text=_("The record of the same company that took over this one's links."),
    )
    # The user saw an active enterprise of the same name in the county and said this is
    # another company; only such rows may share a county and name (the constraint below).
    namesake_confirmed = models.BooleanField(
        _("confirmed as different from a namesake"),
        default=False,
        db_default=False,
        editable=False,
    )

    objects = EnterpriseQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta(Withdrawable.Meta):
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name", "id"]
        constraints = [
            *Withdrawable.Meta.constraints,
            models.UniqueConstraint(
                fields=["uscc"],
                condition=~Q(uscc=""),
                name="enterprise_uscc_unique_when_given",
                violation_error_message=_(
                    "An enterprise with this unified social credit code is already registered."
                ),
            ),
            # The duplicate guard's name rule, where no race can pass it: one active
            # enterprise per normalised name and county, unless the user confirmed a
            # namesake is another company (registry.enterprise_create).
            models.UniqueConstraint(
                fields=["county", "name_key"],
                condition=Q(withdrawn_at__isnull=True, namesake_confirmed=False),
                name="enterprise_name_unique_in_county",
                violation_error_message=_(
                    "An enterprise with the same name is already registered in this county."
                ),
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(withdrawn_at__isnull=False),
                name="enterprise_merged_is_withdrawn",
                violation_error_message=_("A merged enterprise is withdrawn."),
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=F("id")),
                name="enterprise_not_merged_into_itself",
                violation_error_message=_("An enterprise cannot be merged into itself."),
            ),
        ]
        indexes = [
            models.Index(fields=["branch", "name"], name="enterprise_branch_name"),
            models.Index(fields=["county", "name_key"], name="enterprise_county_name_key"),
            # The few withdrawn (or merged away), left out of "enterprises visited".
            models.Index(
                fields=["id"], condition=Q(withdrawn_at__isnull=False), name="enterprise_withdrawn"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = enterprise_name_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)


# ``name__bigrams=…`` and the like, for two-character searches (outreach.search).
register_bigram_lookups(Enterprise)


class ActivityQuerySet(ActiveQuerySetMixin, BranchScopedQuerySet):
    branch_path = "branch"


class ActivityHistoryLinks(models.Model):
    """What an activity's history row keeps besides its columns: the enterprises met and
    staff present the change added or removed, which have no column of their own.

    ``services.activity_update`` says so on the activity (``_history_links``) and the
    row takes it when written (``keep_links_in_history``); a row written otherwise (the
    admin, a merge) has none."""

    links_changed = models.JSONField(
        _("enterprises and staff changed"), null=True, blank=True, editable=False
    )

    class Meta:
        abstract = True


def keep_links_in_history(sender, instance, history_instance, **kwargs) -> None:
    """``pre_create_historical_record`` of activities: the links the save changed."""
    history_instance.links_changed = instance.__dict__.pop("_history_links", None)


class Activity(Withdrawable, TimeStamped):
    """One outreach event of a branch: a visit, a forum, a survey round, a hotline log..."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("Enterprise visit")
        ENTERPRISE_FORUM = "enterprise_forum", _("Enterprise forum")
        INTERNAL_FORUM = "internal_forum", _("Internal forum")
        SURVEY = "survey", _("Survey forms")
        HOTLINE = "hotline", _("Hotline or online channel")
        ONSITE_SERVICE = "onsite_service", _("On-site service")
        #: The branch's standing activity for opinions left in the online opinion box
        #: (意见箱) during a campaign: one per branch and day, made by the box itself.
        ONLINE_BOX = "online_box", _("Online opinion box")

    KIND_COLORS = {
        Kind.VISIT: "primary",
        Kind.ENTERPRISE_FORUM: "success",
        Kind.INTERNAL_FORUM: "secondary",
        Kind.SURVEY: "info",
        Kind.HOTLINE: "warning",
        Kind.ONSITE_SERVICE: "dark",
        Kind.ONLINE_BOX: "light",
    }

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="activities"
    )
    branch = models.ForeignKey(
        Branch, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    occurred_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    enterprises = models.ManyToManyField(
        Enterprise, verbose_name=_("enterprises met"), blank=True, related_name="activities"
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("staff present"), blank=True, related_name="+"
    )
    attendee_count = models.PositiveIntegerField(_("number of attendees"), null=True, blank=True)
    forms_sent = models.PositiveIntegerField(_("forms sent"), null=True, blank=True)
    forms_returned = models.PositiveIntegerField(_("forms returned"), null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ActivityQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"], bases=[ActivityHistoryLinks])

    class Meta(Withdrawable.Meta):
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            *Withdrawable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(kind="survey")
                | Q(forms_sent__isnull=True, forms_returned__isnull=True),
                name="activity_forms_only_for_surveys",
                violation_error_message=_("Only a survey records forms sent and returned."),
            ),
            models.CheckConstraint(
                condition=Q(forms_sent__isnull=True)
                | Q(forms_returned__isnull=True)
                | Q(forms_returned__lte=F("forms_sent")),
                name="activity_forms_returned_not_above_sent",
                violation_error_message=_("More forms returned than were sent."),
            ),
            models.UniqueConstraint(
                fields=["campaign", "branch", "occurred_on"],
                condition=Q(kind="online_box", withdrawn_at__isnull=True),
                name="activity_one_online_box_per_branch_day",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "occurred_on"], name="activity_campaign_date"),
            models.Index(fields=["branch", "occurred_on"], name="activity_branch_date"),
            models.Index(fields=["branch", "kind"], name="activity_branch_kind"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_color(self) -> str:
        return self.KIND_COLORS.get(self.kind, "secondary")


# The conditions behind the activities' figures (with Activity.objects.active()).
VISIT = Q(kind=Activity.Kind.VISIT)
ENTERPRISE_FORUM = Q(kind=Activity.Kind.ENTERPRISE_FORUM)
INTERNAL_FORUM = Q(kind=Activity.Kind.INTERNAL_FORUM)
SURVEY = Q(kind=Activity.Kind.SURVEY)
ONLINE_BOX = Q(kind=Activity.Kind.ONLINE_BOX)
#: Enterprises present at a visit: withdrawn enterprises are not counted.
ENTERPRISE_PRESENT = Q(enterprises__withdrawn_at__isnull=True)


class ActivityAttachmentQuerySet(BranchScopedQuerySet):
    branch_path = "activity__branch"


class ActivityAttachment(models.Model):
    """A photo or scan kept with an activity (sign-in sheet, minutes). Served only by a view."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=RandomUploadPath("activities"))
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = ActivityAttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity attachment")
        verbose_name_plural = _("activity attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Satisfaction(models.TextChoices):
    """What the enterprise said of a reply (``issues.Reply.satisfaction``); each opinion keeps
    the latest one recorded as its own ``satisfaction`` summary."""

    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")
    NOT_REACHABLE = "not_reachable", _("Not reachable")


#: Satisfaction levels an enterprise gave; "not reachable" records that none was given.
RECORDED_SATISFACTION = (
    Satisfaction.SATISFIED,
    Satisfaction.BASICALLY_SATISFIED,
    Satisfaction.UNSATISFIED,
)
POSITIVE_SATISFACTION = (Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED)

# The conditions behind the opinions' figures (reports/definitions.py lists every figure's),
# shared by the QuerySet, the list filters and the counts so a number and its list agree.

#: Neither linked to an issue nor closed with a reason (条条有落实 not yet kept).
UNDISPOSED = Q(issue__isnull=True, closed_at__isnull=True)
#: Answered (件件有反馈 kept): a reply reached the enterprise (``last_replied_on`` counts no
#: "not reachable" attempt), or the branch lead closed the opinion as unreachable after
#: attempts on at least two days.
REPLIED = Q(last_replied_on__isnull=False) | Q(unreachable_at__isnull=False)
#: Not answered yet: no reply reached the enterprise and it was not closed as unreachable.
UNREPLIED = Q(last_replied_on__isnull=True, unreachable_at__isnull=True)
#: The latest reply that recorded a satisfaction said satisfied or basically satisfied.
SATISFIED = Q(satisfaction__in=POSITIVE_SATISFACTION)
#: A reply recorded a satisfaction ("not reachable" records none).
SATISFACTION_RECORDED = Q(satisfaction__in=RECORDED_SATISFACTION)


class FeedbackItemQuerySet(ActiveQuerySetMixin, BranchScopedQuerySet):
    branch_path = "branch"

    def undisposed(self):
        return self.filter(UNDISPOSED)

    def unreplied(self):
        return self.filter(UNREPLIED)

    def replied(self):
        return self.filter(REPLIED)


class FeedbackItem(Withdrawable, TimeStamped):
    """One opinion heard from an enterprise (意见建议), anonymous when given back-to-back.

    Its disposition is either the issue it was distilled into or a reason it was closed
    without one; either way it ends with a recorded reply.
    """

    class Kind(models.TextChoices):
        PROBLEM = "problem", _("Problem")
        SUGGESTION = "suggestion", _("Suggestion")
        PRAISE = "praise", _("Praise")

    class Disposition(models.TextChoices):
        OPEN = "open", _("Not yet disposed")
        LINKED = "linked", _("Linked to an issue")
        CLOSED = "closed", _("Closed with a reason")

    KIND_COLORS = {Kind.PROBLEM: "danger", Kind.SUGGESTION: "primary", Kind.PRAISE: "success"}

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        related_name="feedback_items",
    )
    # Always the activity's branch, kept on the row so the feedback list can filter a million
    # rows by branch with one index. The database moves it with the activity and refuses any
    # other value (outreach/migrations/0012; docs/derived-data.md).
    branch = models.ForeignKey(
        Branch, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="feedback_items"
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback_items",
        help_text=_("Leave empty for an anonymous (back-to-back) opinion."),
    )
    category = models.ForeignKey(
        FeedbackCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="feedback_items",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PROBLEM)
    content = models.TextField(_("content"))
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    received_on = models.DateField(_("received on"))
    issue = models.ForeignKey(
        "issues.Issue",
        verbose_name=_("issue"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback_items",
    )
    closed_reason = models.TextField(_("reason for closing"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Closed as unreachable (联系不上) by the branch lead after attempts on two days or more
    # (issues.services.feedback_close_unreachable): counts as answered (REPLIED). The reason
    # has a database default too, for loaders that list their columns (bench's COPY).
    unreachable_reason = models.TextField(
        _("reason for closing as unreachable"), blank=True, default="", db_default=""
    )
    unreachable_at = models.DateTimeField(_("closed as unreachable at"), null=True, blank=True)
    unreachable_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed as unreachable by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept by database triggers (issues/migrations/0005 and 0008 on replies, 0011 on the
    # opinion), never by Python: the dashboard counts replies and satisfaction over a
    # million opinions from this one table instead of joining every reply. "Not reachable"
    # attempts do not count in ``last_replied_on``: the latest reply that reached them does.
    last_replied_on = models.DateField(_("last replied on"), null=True, blank=True, editable=False)
    satisfaction = models.CharField(
        _("enterprise's satisfaction"),
        max_length=20,
        blank=True,
        editable=False,
        help_text=_("From the latest reply that recorded one."),
    )

    objects = FeedbackItemQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "last_replied_on", "satisfaction"])

    class Meta(Withdrawable.Meta):
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["-received_on", "-id"]
        constraints = [
            *Withdrawable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(issue__isnull=True) | Q(closed_at__isnull=True),
                name="feedback_linked_or_closed_not_both",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | ~Q(closed_reason=""),
                name="feedback_closed_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(unreachable_at__isnull=True) | ~Q(unreachable_reason=""),
                name="feedback_unreachable_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["branch", "received_on"], name="feedback_branch_date"),
            models.Index(fields=["category", "received_on"], name="feedback_category_date"),
            # The list's order for the whole province (newest first).
            models.Index(
                fields=["-received_on", "-id"],
                condition=Q(withdrawn_at__isnull=True),
                name="feedback_active_newest",
            ),
            # The promise's two queues, read from their own small indexes.
            models.Index(
                fields=["branch", "-received_on"],
                condition=Q(
                    withdrawn_at__isnull=True,
                    last_replied_on__isnull=True,
                    unreachable_at__isnull=True,
                ),
                name="feedback_unreplied",
            ),
            models.Index(
                fields=["category", "-received_on"],
                condition=Q(
                    withdrawn_at__isnull=True,
                    last_replied_on__isnull=True,
                    unreachable_at__isnull=True,
                ),
                name="feedback_unreplied_category",
            ),
            models.Index(
                fields=["branch", "-received_on"],
                condition=Q(withdrawn_at__isnull=True, issue__isnull=True, closed_at__isnull=True),
                name="feedback_undisposed",
            ),
            # The dashboard's unsatisfied replies, latest first.
            models.Index(
                fields=["-last_replied_on", "-id"],
                condition=Q(withdrawn_at__isnull=True, satisfaction="unsatisfied"),
                name="feedback_unsatisfied",
            ),
        ]

    def __str__(self) -> str:
        return self.content[:40]

    @property
    def is_answered(self) -> bool:
        """The same as ``REPLIED``: a reply reached the enterprise, or closed as unreachable."""
        return self.last_replied_on is not None or self.unreachable_at is not None

    @property
    def disposition(self) -> str:
        if self.issue_id:
            return self.Disposition.LINKED
        if self.closed_at:
            return self.Disposition.CLOSED
        return self.Disposition.OPEN

    @property
    def kind_color(self) -> str:
        return self.KIND_COLORS.get(self.kind, "secondary")


# The opinions by kind (the 意见建议 figure counts all three).
PROBLEM = Q(kind=FeedbackItem.Kind.PROBLEM)
SUGGESTION = Q(kind=FeedbackItem.Kind.SUGGESTION)
PRAISE = Q(kind=FeedbackItem.Kind.PRAISE)


# The clock's reply figures (docs/metrics.md, "The clock"): the opinions of an issue with a
# reply deadline (set when the issue is rectified, counted in working days). An opinion is
# only ever linked to a counted issue (the database refuses the rest), said again here.

#: A reply's satisfactions that reached the enterprise ("not reachable" is an attempt).
ANSWERING_SATISFACTION = ("", *RECORDED_SATISFACTION)
#: The opinion's issue has a reply deadline: the replies are due.
REPLY_DEADLINE_SET = Q(
    issue__reply_deadline__isnull=False,
    issue__withdrawn_at__isnull=True,
    issue__merged_into__isnull=True,
)


def _answers_this_round():
    """The opinion's replies that reached the enterprise and answer the issue's latest
    rectification: any, for an issue never reopened; for a reopened one, those dated on or
    after the day it was rectified again (the earlier answer was found wanting).

    Reply is the issues app's model, reached through the relation, not imported: outreach
    sits below issues."""
    reply = FeedbackItem._meta.get_field("replies").related_model
    return reply.objects.filter(
        Q(feedback_item__issue__reopen_count=0)
        | Q(
            GreaterThanOrEqual(
                F("replied_on"),
                TruncDate("feedback_item__issue__rectified_at", tzinfo=SHANGHAI),
            )
        ),
        feedback_item=OuterRef("pk"),
        satisfaction__in=ANSWERING_SATISFACTION,
    )


def _answered_on_time() -> Exists:
    """A reply of this round dated on or before the reply deadline and, when a lead approved
    it (reply approval), approved on or before it too (the day in Asia/Shanghai): a reply
    counts as given when both its date and its approval are, the later of the two."""
    deadline = F("feedback_item__issue__reply_deadline")
    return Exists(
        _answers_this_round().filter(
            Q(approved_at__isnull=True)
            | Q(LessThanOrEqual(TruncDate("approved_at", tzinfo=SHANGHAI), deadline)),
            replied_on__lte=deadline,
        )
    )


def replied_on_time_condition() -> Q:
    """Answered on or before the reply deadline (the reply's date, ``replied_on``, and its
    approval's day when it needed one)."""
    return REPLY_DEADLINE_SET & Q(_answered_on_time())


def reply_overdue_condition(cutoff) -> Q:
    """No answer yet, and the reply deadline passed by at least one working day: before
    ``cutoff`` (``issues.models.overdue_cutoff``)."""
    return REPLY_DEADLINE_SET & Q(issue__reply_deadline__lt=cutoff) & ~Exists(_answers_this_round())


def reply_due_condition(cutoff) -> Q:
    """The replied-on-time rate's denominator: answered, or the reply deadline passed."""
    return REPLY_DEADLINE_SET & (
        Q(Exists(_answers_this_round())) | Q(issue__reply_deadline__lt=cutoff)
    )


def replied_late_condition(cutoff) -> Q:
    """Due (``reply_due_condition``) and not answered on time: answered late, or not yet."""
    return reply_due_condition(cutoff) & ~_answered_on_time()
