"""factory_boy factories for every model, with Chinese names and text from Faker (zh_CN).

Each factory builds a valid row with as few other rows as it can. Pass the people and
branches a test cares about (``IssueFactory(branch=branch_a, created_by=staff_a)``); the
defaults are placeholders, not personas (those live in ``tests/conftest.py``).

Memberships go through ``branches.services.membership_set`` so the role group is set as in
production; ``member(role, branch)`` is the short way to get a user with a role.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import factory
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from branches.models import Branch, County, Liaison, Membership
from branches.services import membership_set
from issues.models import (
    Escalation,
    Instruction,
    Issue,
    IssueEvent,
    IssueEvidence,
    ProvincialDecision,
    ProvincialMeeting,
    Reply,
)
from outreach.models import (
    Activity,
    ActivityAttachment,
    Campaign,
    Enterprise,
    EquipmentClass,
    FeedbackCategory,
    FeedbackItem,
)
from outreach.names import enterprise_name_key
from outreach.validators import uscc_check_digit

User = get_user_model()
Role = Membership.Role

#: Every factory-made user's password (the test settings hash it with fast MD5).
PASSWORD = "correct-horse-battery-42"

#: A 1×1 GIF: the smallest real image, for attachments and evidence.
TINY_GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00"
    b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)

# Names of the rows the migration ``outreach/0002_reference_data`` seeds.
SEEDED_FEEDBACK_CATEGORIES = ["服务态度", "服务效率", "检验能力与范围", "收费", "其他"]
SEEDED_EQUIPMENT_CLASSES = ["boiler", "pressure_vessel", "elevator", "lifting"]


def zh(provider: str, **kwargs) -> factory.Faker:
    """A Faker declaration in Simplified Chinese."""
    return factory.Faker(provider, locale="zh_CN", **kwargs)


def uscc_for(first17: str) -> str:
    """A valid unified social credit code: ``first17`` plus its check character."""
    return first17 + uscc_check_digit(first17)


def today():
    return timezone.localdate()


def tiny_upload(name: str = "sign-in.gif") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, TINY_GIF, content_type="image/gif")


# --- accounts and organisation -------------------------------------------------------


class UserFactory(DjangoModelFactory):
    """An active user with a usable password (``PASSWORD``) and no membership."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = zh("first_name")
    last_name = zh("last_name")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password(PASSWORD)
    is_active = True


class ProvinceFactory(DjangoModelFactory):
    """The provincial institute: the single root branch, created once and then reused."""

    class Meta:
        model = Branch
        django_get_or_create = ("kind",)

    kind = Branch.Kind.PROVINCE
    name = "福建省特种设备检验研究院"
    name_en = "Fujian Special Equipment Inspection and Research Institute"
    short_name = "省院"
    short_name_en = "Provincial institute"
    code = "province"
    parent = None
    sort_order = 0


class BranchFactory(DjangoModelFactory):
    """A city branch under the provincial institute."""

    class Meta:
        model = Branch

    kind = Branch.Kind.CITY
    parent = factory.SubFactory(ProvinceFactory)
    name = factory.Sequence(lambda n: f"第{n}测试分院")
    name_en = factory.Sequence(lambda n: f"Test branch {n}")
    short_name = factory.Sequence(lambda n: f"分院{n}")
    short_name_en = factory.Sequence(lambda n: f"Test {n}")
    code = factory.Sequence(lambda n: f"city-{n}")
    region_code = factory.Sequence(lambda n: f"{3501 + n % 90:04d}")
    sort_order = factory.Sequence(lambda n: n + 1)


class CountyFactory(DjangoModelFactory):
    class Meta:
        model = County

    branch = factory.SubFactory(BranchFactory)
    # Codes no real division has (9xxxxx), so they never meet a fixture's real one.
    code = factory.Sequence(lambda n: f"{900000 + n % 100000:06d}")
    name = factory.LazyAttribute(lambda o: f"{o.district}区")
    name_en = factory.LazyAttribute(lambda o: f"District {o.code}")

    class Params:
        district = zh("district")


class MembershipFactory(DjangoModelFactory):
    """A membership made by ``membership_set``: provincial roles default to the province."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.STAFF
    branch = factory.Maybe(
        factory.LazyAttribute(lambda o: o.role in Membership.PROVINCIAL_ROLES),
        yes_declaration=factory.SubFactory(ProvinceFactory),
        no_declaration=factory.SubFactory(BranchFactory),
    )
    job_title = zh("job")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return membership_set(**kwargs)


def member(role: str, branch: Branch | None = None, **user_fields) -> User:
    """A new user placed in ``branch`` (by default a new city branch, or the province for
    provincial roles) with ``role``, through ``membership_set``."""
    kwargs = {"role": role, "user": UserFactory(**user_fields)}
    if branch is not None:
        kwargs["branch"] = branch
    return MembershipFactory(**kwargs).user


class LiaisonFactory(DjangoModelFactory):
    """A leader's liaison branch; the leader is a new institute leader unless given."""

    class Meta:
        model = Liaison

    leader = factory.LazyFunction(lambda: member(Role.LEADER))
    branch = factory.SubFactory(BranchFactory)


# --- outreach ---------------------------------------------------------------------


class CampaignFactory(DjangoModelFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"第{n + 1}批教育实践活动")
    name_en = factory.Sequence(lambda n: f"Education campaign {n + 1}")
    code = factory.Sequence(lambda n: f"campaign-{n + 1}")
    starts_on = factory.LazyFunction(lambda: today() - timedelta(days=60))
    ends_on = None
    description = zh("paragraph", nb_sentences=2)


class EquipmentClassFactory(DjangoModelFactory):
    """One of the eight seeded classes (by code); a new code makes a new class."""

    class Meta:
        model = EquipmentClass
        django_get_or_create = ("code",)

    code = factory.Iterator(SEEDED_EQUIPMENT_CLASSES)
    name = factory.LazyAttribute(lambda o: f"设备类别{o.code}")
    name_en = factory.LazyAttribute(lambda o: o.code)
    sort_order = 99


class FeedbackCategoryFactory(DjangoModelFactory):
    """One of the seeded categories (by name); a new name makes a new category."""

    class Meta:
        model = FeedbackCategory
        django_get_or_create = ("name",)

    name = factory.Iterator(SEEDED_FEEDBACK_CATEGORIES)
    name_en = ""
    sort_order = 99
    is_active = True


class EnterpriseFactory(DjangoModelFactory):
    """An enterprise with a valid, unique USCC (pass ``uscc=""`` for one without)."""

    class Meta:
        model = Enterprise
        skip_postgeneration_save = True

    # Numbered: Faker has a few hundred company names, and two active enterprises of one
    # name in one county are refused by the database (unless confirmed as namesakes).
    name = factory.LazyAttributeSequence(lambda o, n: f"{o.brand}{o.trade}（{n}号厂区）")
    name_key = factory.LazyAttribute(lambda o: enterprise_name_key(o.name))
    uscc = factory.Sequence(lambda n: uscc_for(f"91350500{n:09d}"))
    branch = factory.SubFactory(BranchFactory)
    county = None
    address = zh("street_address")
    contact_name = zh("name")
    contact_phone = zh("phone_number")

    class Params:
        brand = zh("company_prefix")
        trade = zh("company_suffix")
        withdrawn = factory.Trait(
            withdrawn_at=factory.LazyFunction(timezone.now), withdrawn_reason="重复录入"
        )

    @factory.post_generation
    def equipment_classes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.equipment_classes.set(extracted)


class ActivityFactory(DjangoModelFactory):
    """An enterprise visit; ``survey=True`` for a survey round with forms sent/returned."""

    class Meta:
        model = Activity
        skip_postgeneration_save = True

    campaign = factory.SubFactory(CampaignFactory)
    branch = factory.SubFactory(BranchFactory)
    kind = Activity.Kind.VISIT
    title = factory.LazyAttribute(lambda o: f"{o.branch.short_name}{o.place}走访调研")
    occurred_on = factory.LazyFunction(lambda: today() - timedelta(days=7))
    place = zh("district")
    attendee_count = 8
    minutes = zh("paragraph", nb_sentences=3)

    class Params:
        survey = factory.Trait(kind=Activity.Kind.SURVEY, forms_sent=20, forms_returned=15)
        withdrawn = factory.Trait(
            withdrawn_at=factory.LazyFunction(timezone.now), withdrawn_reason="重复录入"
        )

    @factory.post_generation
    def enterprises(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.enterprises.set(extracted)

    @factory.post_generation
    def staff(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.staff.set(extracted)


class ActivityAttachmentFactory(DjangoModelFactory):
    class Meta:
        model = ActivityAttachment

    activity = factory.SubFactory(ActivityFactory)
    file = factory.LazyFunction(tiny_upload)
    original_name = factory.LazyAttribute(lambda o: o.file.name)
    content_type = factory.LazyAttribute(lambda o: o.file.content_type)
    size = factory.LazyAttribute(lambda o: o.file.size)
    uploaded_by = factory.SubFactory(UserFactory)


class FeedbackItemFactory(DjangoModelFactory):
    """A problem raised by an enterprise of the activity's branch.

    ``anonymous=True`` for a back-to-back opinion, ``closed=True`` for one closed with a
    reason. The branch is always the activity's, as the service that creates items does.
    """

    class Meta:
        model = FeedbackItem

    activity = factory.SubFactory(ActivityFactory)
    branch = factory.SelfAttribute("activity.branch")
    enterprise = factory.SubFactory(EnterpriseFactory, branch=factory.SelfAttribute("..branch"))
    category = factory.SubFactory(FeedbackCategoryFactory)
    kind = FeedbackItem.Kind.PROBLEM
    content = zh("paragraph", nb_sentences=2)
    contact = zh("phone_number")
    received_on = factory.SelfAttribute("activity.occurred_on")

    class Params:
        anonymous = factory.Trait(enterprise=None, contact="")
        closed = factory.Trait(
            closed_at=factory.LazyFunction(timezone.now), closed_reason="表扬意见，无需整改"
        )
        withdrawn = factory.Trait(
            withdrawn_at=factory.LazyFunction(timezone.now), withdrawn_reason="重复录入"
        )


# --- issues -----------------------------------------------------------------------


class IssueFactory(DjangoModelFactory):
    """A collected issue; ``feedback_items=[...]`` links those items to it."""

    class Meta:
        model = Issue
        skip_postgeneration_save = True

    branch = factory.SubFactory(BranchFactory)
    campaign = factory.SubFactory(CampaignFactory)
    title = zh("sentence", nb_words=6)
    description = zh("paragraph", nb_sentences=2)
    category = factory.SubFactory(FeedbackCategoryFactory)
    severity = Issue.Severity.NORMAL
    state = Issue.State.COLLECTED
    # Opened by its branch: signed for at once (issues/clock.py); no deadline unless given.
    assigned_at = factory.LazyFunction(timezone.now)
    signed_at = factory.LazyFunction(timezone.now)

    class Params:
        withdrawn = factory.Trait(
            withdrawn_at=factory.LazyFunction(timezone.now), withdrawn_reason="重复录入"
        )

    @factory.post_generation
    def feedback_items(obj, create, extracted, **kwargs):
        if not (create and extracted):
            return
        for item in extracted:
            item.issue = obj
            item.save(update_fields=["issue"])


class IssueEvidenceFactory(DjangoModelFactory):
    class Meta:
        model = IssueEvidence

    issue = factory.SubFactory(IssueFactory)
    file = factory.LazyFunction(lambda: tiny_upload("evidence.gif"))
    original_name = factory.LazyAttribute(lambda o: o.file.name)
    content_type = factory.LazyAttribute(lambda o: o.file.content_type)
    size = factory.LazyAttribute(lambda o: o.file.size)
    uploaded_by = factory.SubFactory(UserFactory)


class EscalationFactory(DjangoModelFactory):
    class Meta:
        model = Escalation

    issue = factory.SubFactory(IssueFactory, state=Issue.State.ESCALATED)
    reason = zh("paragraph", nb_sentences=2)
    requested_by = factory.SubFactory(UserFactory)


class ProvincialMeetingFactory(DjangoModelFactory):
    class Meta:
        model = ProvincialMeeting

    title = factory.Sequence(lambda n: f"院长办公会（第{n + 1}次）")
    held_on = factory.LazyFunction(today)
    attendees = zh("name")
    minutes = zh("paragraph", nb_sentences=3)
    recorded_by = factory.SubFactory(UserFactory)


class ProvincialDecisionFactory(DjangoModelFactory):
    class Meta:
        model = ProvincialDecision

    meeting = factory.SubFactory(ProvincialMeetingFactory)
    escalation = factory.SubFactory(EscalationFactory)
    decision = zh("paragraph", nb_sentences=2)
    deadline = factory.LazyFunction(lambda: today() + timedelta(days=30))
    recorded_by = factory.SubFactory(UserFactory)


class ReplyFactory(DjangoModelFactory):
    class Meta:
        model = Reply

    feedback_item = factory.SubFactory(FeedbackItemFactory)
    channel = Reply.Channel.PHONE
    content = zh("paragraph", nb_sentences=2)
    replied_on = factory.LazyFunction(today)
    replied_by = factory.SubFactory(UserFactory)
    satisfaction = Reply.Satisfaction.SATISFIED


class InstructionFactory(DjangoModelFactory):
    class Meta:
        model = Instruction

    issue = factory.SubFactory(IssueFactory)
    author = factory.SubFactory(UserFactory)
    content = zh("sentence", nb_words=8)


# --- the clock (issues/models/clock.py, approval.py) -----------------------------------


class TimeLimitFactory(DjangoModelFactory):
    """The office's limit for a step (the migration seeds every step: this changes one)."""

    class Meta:
        model = "issues.TimeLimit"
        django_get_or_create = ("step",)

    step = "sign_for"
    working_days = 1


class ReturnReasonFactory(DjangoModelFactory):
    class Meta:
        model = "issues.ReturnReason"

    name = factory.Sequence(lambda n: f"退单理由{n}")
    name_en = factory.Sequence(lambda n: f"Return reason {n}")


class IssueReturnFactory(DjangoModelFactory):
    """A return waiting for the office's ruling."""

    class Meta:
        model = "issues.IssueReturn"

    issue = factory.SubFactory(IssueFactory, signed_at=None)
    reason = factory.SubFactory(ReturnReasonFactory)
    note = zh("sentence", nb_words=6)
    returned_by = factory.SubFactory(UserFactory)


class DeadlineExtensionFactory(DjangoModelFactory):
    """A request, waiting for a decision, to move the deadline a week later."""

    class Meta:
        model = "issues.DeadlineExtension"

    issue = factory.SubFactory(IssueFactory, state=Issue.State.RECTIFYING)
    old_deadline = factory.LazyFunction(lambda: today() + timedelta(days=3))
    new_deadline = factory.LazyAttribute(lambda o: o.old_deadline + timedelta(days=7))
    reason = zh("sentence", nb_words=6)
    requested_by = factory.SubFactory(UserFactory)


class SupervisionNoticeFactory(DjangoModelFactory):
    """An open supervision notice issued by hand."""

    class Meta:
        model = "issues.SupervisionNotice"

    issue = factory.SubFactory(IssueFactory, state=Issue.State.RECTIFYING)
    content = zh("sentence", nb_words=8)
    issued_by = factory.SubFactory(UserFactory)


class ReplyDraftFactory(DjangoModelFactory):
    """A reply waiting for the branch lead's approval."""

    class Meta:
        model = "issues.ReplyDraft"

    feedback_item = factory.SubFactory(FeedbackItemFactory)
    channel = Reply.Channel.PHONE
    content = zh("paragraph", nb_sentences=2)
    replied_on = factory.LazyFunction(today)
    drafted_by = factory.SubFactory(UserFactory)


class IssueEventFactory(DjangoModelFactory):
    """A comment on the timeline (events are append-only: build them right the first time)."""

    class Meta:
        model = IssueEvent

    issue = factory.SubFactory(IssueFactory)
    kind = IssueEvent.Kind.COMMENT
    note = zh("sentence", nb_words=6)
    actor = factory.SubFactory(UserFactory)


class IssueSuggestionFactory(DjangoModelFactory):
    """An open issue suggested for an opinion of its branch and campaign, not chosen."""

    class Meta:
        model = "issues.IssueSuggestion"

    issue = factory.SubFactory(IssueFactory)
    feedback_item = factory.SubFactory(
        FeedbackItemFactory,
        activity=factory.SubFactory(
            ActivityFactory,
            branch=factory.SelfAttribute("...issue.branch"),
            campaign=factory.SelfAttribute("...issue.campaign"),
        ),
    )
    shown_to = factory.SubFactory(UserFactory)
    intake = "opinion"
    rank = 1
    score = 0.42
    same_enterprise = False
    same_category = True
    outcome = "ignored"
    shown_at = factory.LazyFunction(timezone.now)


# --- notifications ----------------------------------------------------------------


def _issue_seen_by(user) -> Issue:
    """A new issue of the user's city branch (so they see it), or of a new branch."""
    membership = getattr(user, "membership", None)
    if membership is not None and not membership.branch.is_province:
        return IssueFactory(branch=membership.branch)
    return IssueFactory()


class NotificationFactory(DjangoModelFactory):
    """An unread notification about an issue its recipient sees; its key is unique, as the
    services make it."""

    class Meta:
        model = "notifications.Notification"

    recipient = factory.SubFactory(UserFactory)
    kind = "responsible"
    issue = factory.LazyAttribute(lambda o: _issue_seen_by(o.recipient))
    deadline = factory.LazyFunction(lambda: today() + timedelta(days=14))
    dedupe_key = factory.Sequence(lambda n: f"test:{n}")


# --- spreadsheet imports ------------------------------------------------------------


class ImportBatchFactory(DjangoModelFactory):
    """A previewed, not yet imported upload by a branch's staff.

    Only the row: no file is written (its preview says the file is gone). Tests that read
    a kept file make the batch through ``imports.services`` instead.
    """

    class Meta:
        model = "imports.ImportBatch"

    uploaded_by = factory.SubFactory(UserFactory)
    branch = factory.SubFactory(BranchFactory)
    campaign = factory.SubFactory(CampaignFactory)
    file = factory.Sequence(lambda n: f"imports/{n:032x}.xlsx")
    original_name = "台账.xlsx"
    size = 4096
    sha256 = factory.Sequence(lambda n: hashlib.sha256(str(n).encode()).hexdigest())


# --- the working-day calendar -----------------------------------------------------------


class CalendarDayFactory(DjangoModelFactory):
    """A local closure the office entered, each on its own day of 2031 (a year no test
    counts deadlines in)."""

    class Meta:
        model = "workdays.CalendarDay"

    day = factory.Sequence(lambda n: date(2031, 1, 1) + timedelta(days=n))
    kind = "holiday"
    name = "地方停工"
    created_by = factory.SubFactory(UserFactory)


class ScheduledYearFactory(DjangoModelFactory):
    class Meta:
        model = "workdays.ScheduledYear"
        django_get_or_create = ("year",)

    year = 2031
    entered_by = factory.SubFactory(UserFactory)


class AssessmentSchemeFactory(DjangoModelFactory):
    """The office's assessment scheme from a month on: every component but the staff's
    satisfaction, a minimum of 3 cases."""

    class Meta:
        model = "reports.AssessmentScheme"
        django_get_or_create = ("starts_on",)

    starts_on = date(2026, 9, 1)
    weights = factory.LazyFunction(
        lambda: {
            "signed_on_time": 10,
            "rectified_on_time": 25,
            "replied_on_time": 20,
            "reply_rate": 20,
            "enterprise_satisfaction": 10,
            "reopen_rate": 10,
            "supervision": 5,
        }
    )
    min_denominator = 3


class ThemeFactory(DjangoModelFactory):
    """A recurring problem proposed this month (give it issues with ThemeIssueFactory)."""

    class Meta:
        model = "themes.Theme"

    title = zh("sentence", nb_words=6)
    category = factory.SubFactory(FeedbackCategoryFactory)
    proposed_in = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    proposed_at = factory.LazyFunction(timezone.now)
    found_at = factory.LazyFunction(timezone.now)


class ThemeIssueFactory(DjangoModelFactory):
    class Meta:
        model = "themes.ThemeIssue"

    theme = factory.SubFactory(ThemeFactory)
    issue = factory.SubFactory(IssueFactory)
    found_at = factory.LazyFunction(timezone.now)


class ThemeSearchFactory(DjangoModelFactory):
    class Meta:
        model = "themes.ThemeSearch"

    month = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    ran_at = factory.LazyFunction(timezone.now)
    issues_read = 12
    groups_found = 3
    themes_proposed = 1
    issues_added = 4
