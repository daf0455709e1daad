"""The province's enterprise registry: one record per company, whichever branch meets it.

Registering and editing the shared record with the duplicate guard (the same credit code,
or the same normalised name in the same county, anywhere in the province; the database
enforces both), and the provincial office's merge of two records of one company. What a
branch records about an enterprise (activities, opinions) is written by ``services.py``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from branches import rules
from branches.models import Branch, County

from . import signals
from .models import Activity, Enterprise, EquipmentClass, FeedbackItem
from .names import enterprise_name_key
from .validators import normalize_uscc, validate_uscc


def ensure_can_edit_enterprise(actor, enterprise: Enterprise) -> None:
    """The shared record is kept by its home branch and the provincial office."""
    if not rules.can_edit_enterprise(actor, enterprise.branch):
        raise PermissionDenied(
            _("Only the enterprise's home branch or the provincial office can change it.")
        )


# --- enterprises ----------------------------------------------------------------------


def enterprise_duplicates(*, uscc: str, name: str, county: County | None, exclude_pk=None):
    """Active enterprises anywhere in the province that are probably this one: the same
    USCC (or the record a merged one with that code went into), or the same name in the
    county."""
    condition = Q()
    code = normalize_uscc(uscc)
    if code:
        condition |= Q(uscc=code) | Q(merged_records__uscc=code)
    if county is not None and name:
        condition |= Q(county=county, name_key=enterprise_name_key(name))
    if not condition:
        return Enterprise.objects.none()
    queryset = Enterprise.objects.active().filter(condition)
    if exclude_pk:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset.select_related("branch", "county").distinct()


def _enterprise_fields(*, name, uscc, county, address, contact_name, contact_phone) -> dict:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Enter the enterprise's name.")})
    code = normalize_uscc(uscc)
    if code:
        try:
            validate_uscc(code)
        except ValidationError as error:
            raise ValidationError({"uscc": error.messages}) from None
    # Any county of the province: the county is where the company is, which need not be
    # where its home branch works, and the name guard below looks at the county.
    return {
        "name": name,
        "name_key": enterprise_name_key(name),
        "uscc": code,
        "county": county,
        "address": (address or "").strip(),
        "contact_name": (contact_name or "").strip(),
        "contact_phone": (contact_phone or "").strip(),
    }


@transaction.atomic
def enterprise_create(
    *,
    actor,
    branch: Branch,
    name: str,
    uscc: str = "",
    county: County | None = None,
    address: str = "",
    equipment_classes: Iterable[EquipmentClass] = (),
    contact_name: str = "",
    contact_phone: str = "",
    allow_similar_name: bool = False,
) -> Enterprise:
    """Register an enterprise with ``branch`` as its home branch.

    The same USCC anywhere in the province is always refused; the same name in the same
    county is refused unless ``allow_similar_name`` (the user looked at the match and says
    it is another company). The database enforces both, so two simultaneous registrations
    of one company leave one record and one refusal.
    """
    if not rules.can_log_outreach_in(actor, branch):
        raise PermissionDenied(_("You may only record outreach for your own branch."))
    fields = _enterprise_fields(
        name=name,
        uscc=uscc,
        county=county,
        address=address,
        contact_name=contact_name,
        contact_phone=contact_phone,
    )
    namesake = _refuse_duplicates(fields, county=county, allow_similar_name=allow_similar_name)
    enterprise = Enterprise(branch=branch, created_by=actor, namesake_confirmed=namesake, **fields)
    _save_guarded(enterprise)
    enterprise.equipment_classes.set(equipment_classes)
    return enterprise


@transaction.atomic
def enterprise_update(
    *,
    actor,
    enterprise: Enterprise,
    name: str,
    uscc: str = "",
    county: County | None = None,
    address: str = "",
    equipment_classes: Iterable[EquipmentClass] = (),
    contact_name: str = "",
    contact_phone: str = "",
    allow_similar_name: bool = False,
) -> Enterprise:
    """Change the shared record (its home branch or the provincial office)."""
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    ensure_can_edit_enterprise(actor, enterprise)
    if enterprise.is_withdrawn:
        raise ValidationError(_("This record has been withdrawn and can no longer be changed."))
    fields = _enterprise_fields(
        name=name,
        uscc=uscc,
        county=county,
        address=address,
        contact_name=contact_name,
        contact_phone=contact_phone,
    )
    namesake = _refuse_duplicates(
        fields, county=county, allow_similar_name=allow_similar_name, exclude_pk=enterprise.pk
    )
    for field, value in fields.items():
        setattr(enterprise, field, value)
    enterprise.namesake_confirmed = namesake
    enterprise._change_reason = "edit"
    _save_guarded(enterprise)
    enterprise.equipment_classes.set(equipment_classes)
    return enterprise


def _refuse_duplicates(fields, *, county, allow_similar_name, exclude_pk=None) -> bool:
    """Refuse a code or (unconfirmed) name already registered anywhere in the province;
    say whether a confirmed namesake exists in the county."""
    if fields["uscc"]:
        same_code = Enterprise.objects.filter(uscc=fields["uscc"])
        if exclude_pk:
            same_code = same_code.exclude(pk=exclude_pk)
        if same_code.exists():
            raise _duplicate_code()
    if county is None:
        return False
    similar = Enterprise.objects.active().filter(county=county, name_key=fields["name_key"])
    if exclude_pk:
        similar = similar.exclude(pk=exclude_pk)
    if not similar.exists():
        return False
    if not allow_similar_name:
        raise _duplicate_name()
    return True


def _duplicate_code() -> ValidationError:
    message = _("An enterprise with this unified social credit code is already registered.")
    return ValidationError({"uscc": ValidationError(message, code="duplicate_uscc")})


def _duplicate_name() -> ValidationError:
    message = _("An enterprise with the same name is already registered in this county.")
    return ValidationError({"name": ValidationError(message, code="duplicate_name")})


def _save_guarded(enterprise: Enterprise) -> None:
    """Save, turning the database's duplicate refusal (a registration that raced another
    past the checks above) into the guard's own message."""
    try:
        with transaction.atomic():
            enterprise.save()
    except IntegrityError as error:
        text = str(error)
        if "enterprise_name_unique_in_county" in text or "name_key" in text:
            raise _duplicate_name() from None
        if "uscc" in text:
            raise _duplicate_code() from None
        raise


def met_by_other_branches(enterprise: Enterprise) -> bool:
    """Whether another branch than its home branch has an activity or opinion with it."""
    others = ~Q(branch=enterprise.branch_id)
    return (
        Activity.objects.active().filter(others, enterprises=enterprise).exists()
        or FeedbackItem.objects.active().filter(others, enterprise=enterprise).exists()
    )


# --- merging two records of one company --------------------------------------------------

#: Every relation that points at an enterprise, each moved to the survivor by a merge
#: (tests compare it with the model, so a new relation cannot be left behind). Those of
#: apps above outreach are moved by their receivers of ``signals.enterprise_merged``.
MERGED_RELATIONS = frozenset({"activities", "feedback_items", "merged_records", "receipts"})
#: The survivor's empty fields a merge fills from the duplicate's.
FILLED_FIELDS = ("uscc", "county", "address", "contact_name", "contact_phone")


@transaction.atomic
def enterprise_merge(
    *, actor, survivor: Enterprise, duplicate: Enterprise, reason: str
) -> Enterprise:
    """Merge ``duplicate`` into ``survivor``: two records of one company become one.

    Every link moves to the survivor: the activities that met the duplicate (an activity
    that met both keeps one link), the opinions it gave (each with a history row), and the
    records merged into it before. The survivor keeps its fields, takes the duplicate's
    where its own are empty, and gets the equipment classes of both. The duplicate is
    withdrawn with ``reason`` and points at the survivor (``merged_into``); both keep their
    history. Both rows are locked first, in id order, so two merges cannot interleave.
    The provincial office's alone.
    """
    if not rules.can_merge_enterprises(actor):
        raise PermissionDenied(_("Only the provincial office can merge enterprises."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why these records are one company.")})
    locked = Enterprise.objects.select_for_update().filter(pk__in=[survivor.pk, duplicate.pk])
    rows = {enterprise.pk: enterprise for enterprise in locked.order_by("pk")}
    survivor, duplicate = rows[survivor.pk], rows[duplicate.pk]
    check_mergeable(survivor=survivor, duplicate=duplicate)

    _move_activities(survivor, duplicate)
    _move_opinions(survivor, duplicate, actor)
    _move_earlier_merges(survivor, duplicate, actor)
    signals.enterprise_merged.send(
        sender=Enterprise, survivor=survivor, duplicate=duplicate, actor=actor
    )
    filled = {
        name: getattr(duplicate, name)
        for name in FILLED_FIELDS
        if not getattr(survivor, name) and getattr(duplicate, name)
    }
    duplicate.withdrawn_at = timezone.now()
    duplicate.withdrawn_by = actor
    duplicate.withdrawn_reason = reason
    duplicate.merged_into = survivor
    if "uscc" in filled:
        duplicate.uscc = ""  # the code moves with the company: it is unique
    # Kept in both records' history, with who merged them (outside a request too).
    duplicate._history_user = survivor._history_user = actor
    duplicate._change_reason = f"merged into #{survivor.pk}"
    duplicate.save()
    for name, value in filled.items():
        setattr(survivor, name, value)
    survivor._change_reason = f"merged #{duplicate.pk} into this record"
    _save_guarded(survivor)
    survivor.equipment_classes.add(*duplicate.equipment_classes.all())
    return survivor


def check_mergeable(*, survivor: Enterprise, duplicate: Enterprise) -> None:
    """Refuse a merge into itself, or of a record no longer in use (merged or withdrawn)."""
    if survivor.pk == duplicate.pk:
        raise ValidationError({"survivor": _("A record cannot be merged into itself.")})
    if duplicate.is_withdrawn:
        raise ValidationError(_merged_or_withdrawn(duplicate))
    if survivor.is_withdrawn:
        raise ValidationError({"survivor": _merged_or_withdrawn(survivor)})


def _merged_or_withdrawn(record: Enterprise) -> str:
    if record.merged_into_id:
        return _("“{name}” was already merged into “{into}”.").format(
            name=record.name, into=record.merged_into.name
        )
    return _("“{name}” was withdrawn; only records in use can be merged.").format(name=record.name)


def _move_activities(survivor: Enterprise, duplicate: Enterprise) -> None:
    """Re-point the activities' links; an activity that met both keeps the survivor's."""
    links = Activity.enterprises.through.objects
    both = links.filter(enterprise=survivor).values("activity_id")
    links.filter(enterprise=duplicate, activity_id__in=both).delete()
    links.filter(enterprise=duplicate).update(enterprise=survivor)


def _move_opinions(survivor: Enterprise, duplicate: Enterprise, actor) -> None:
    """Every opinion the duplicate gave (withdrawn ones too), each with a history row."""
    items = list(FeedbackItem.objects.select_for_update().filter(enterprise=duplicate))
    now = timezone.now()
    for item in items:
        item.enterprise, item.updated_at = survivor, now
    bulk_update_with_history(
        items,
        FeedbackItem,
        ["enterprise", "updated_at"],
        batch_size=500,
        default_user=actor,
        default_change_reason=f"enterprise #{duplicate.pk} merged into #{survivor.pk}",
    )


def _move_earlier_merges(survivor: Enterprise, duplicate: Enterprise, actor) -> None:
    """Records merged into the duplicate before now point at the survivor: a merged
    record's ``merged_into`` is always a record in use."""
    earlier = list(Enterprise.objects.select_for_update().filter(merged_into=duplicate))
    for record in earlier:
        record.merged_into = survivor
    bulk_update_with_history(
        earlier,
        Enterprise,
        ["merged_into"],
        default_user=actor,
        default_change_reason=f"merged into #{survivor.pk}",
    )
