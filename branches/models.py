"""The institute's organisation: branches, who works where in which role, leaders' liaisons."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.languages import english_active, in_reader_language


class Branch(models.Model):
    """The provincial institute (the one root) or one of its city branches."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Provincial institute")
        CITY = "city", _("City branch")

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    short_name = models.CharField(_("short name"), max_length=20)
    short_name_en = models.CharField(
        _("English short name"),
        max_length=40,
        blank=True,
        help_text=_("Shown in tables and lists of the English pages, e.g. Quanzhou."),
    )
    code = models.SlugField(_("code"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CITY)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    region_code = models.CharField(
        _("region code"),
        max_length=6,
        blank=True,
        help_text=_("Administrative division code of the city, e.g. 3505."),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    replies_need_approval = models.BooleanField(
        _("replies need the branch lead's approval"),
        default=False,
        help_text=_(
            "Set by the provincial office: a reply drafted by staff counts only once a "
            "lead of the branch other than its author approves it."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind="province"),
                name="branch_single_province",
            ),
            models.CheckConstraint(
                condition=Q(kind="province", parent__isnull=True)
                | Q(kind="city", parent__isnull=False),
                name="branch_only_province_is_root",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The full name in the reader's language (泉州分院 / Quanzhou Branch)."""
        return in_reader_language(self.name, self.name_en)

    @property
    def display_short_name(self) -> str:
        """The short name in the reader's language (泉州 / Quanzhou): the label of tables,
        badges and lists. An English page without an English short name shows the English
        full name rather than the Chinese short one."""
        if english_active():
            return self.short_name_en or self.name_en or self.short_name or self.name
        return self.short_name or self.name

    @property
    def is_province(self) -> bool:
        return self.kind == self.Kind.PROVINCE


class County(models.Model):
    """A county-level division (区/县/市) served by a city branch."""

    branch = models.ForeignKey(
        Branch, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="counties"
    )
    code = models.CharField(_("division code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the reader's language (鲤城区 / Licheng District)."""
        return in_reader_language(self.name, self.name_en)


class Membership(models.Model):
    """A user's place in the institute: one branch and one role, which decide what they see.

    Branch staff and leads work in a city branch and see only it; the provincial office
    and institute leaders belong to the provincial institute and see every branch.
    """

    class Role(models.TextChoices):
        STAFF = "staff", _("Branch staff")
        LEAD = "lead", _("Branch lead")
        OFFICE = "office", _("Provincial office")
        LEADER = "leader", _("Institute leader")

    # The Django group each role's permissions live in (created by migration 0002); the
    # database keeps each user in their role's group (migration 0003).
    GROUP_NAMES = {
        Role.STAFF: "branch staff",
        Role.LEAD: "branch lead",
        Role.OFFICE: "provincial office",
        Role.LEADER: "institute leader",
    }
    PROVINCIAL_ROLES = frozenset({Role.OFFICE, Role.LEADER})

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="membership",
    )
    branch = models.ForeignKey(
        Branch, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    job_title = models.CharField(_("job title"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["branch__sort_order", "role", "user__username"]
        indexes = [models.Index(fields=["branch", "role"], name="membership_branch_role")]

    def __str__(self) -> str:
        return f"{self.user} · {self.branch} · {self.get_role_display()}"

    @property
    def is_provincial(self) -> bool:
        return self.role in self.PROVINCIAL_ROLES

    def clean(self):
        """Provincial roles belong to the provincial institute, branch roles to a city branch."""
        if not self.role or self.branch_id is None:
            return
        if self.is_provincial and not self.branch.is_province:
            raise ValidationError(
                _(
                    "The provincial office and institute leaders belong to the "
                    "provincial institute."
                ),
                code="provincial_role_in_city_branch",
            )
        if not self.is_provincial and self.branch.is_province:
            raise ValidationError(
                _("Branch staff and branch leads belong to a city branch."),
                code="branch_role_in_province",
            )


class Liaison(models.Model):
    """An institute leader's liaison branch (挂点): highlighted on the leader's screens."""

    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader"),
        on_delete=models.CASCADE,
        related_name="liaisons",
    )
    branch = models.ForeignKey(
        Branch, verbose_name=_("branch"), on_delete=models.CASCADE, related_name="liaisons"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("liaison")
        verbose_name_plural = _("liaisons")
        ordering = ["branch__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["leader", "branch"], name="liaison_unique_pair")
        ]

    def __str__(self) -> str:
        return f"{self.leader} → {self.branch}"
