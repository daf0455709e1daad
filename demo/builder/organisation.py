"""The demo's organisation: the province, its branches and counties, and their people.

These functions find what exists and create only what is missing, so they also run on a
database that holds part of the organisation already. They are public because the
province-scale generator (``bench.generate``) builds its organisation with them too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured

from branches.models import Branch, County, Membership
from branches.services import liaison_set, membership_set
from demo.data import content as C
from demo.data import opinions as O
from outreach.models import EquipmentClass, FeedbackCategory

from .plans import BranchContext
from .story import TZ

USERS_JOINED = datetime(2026, 8, 24, 9, 0, tzinfo=TZ)


@dataclass(frozen=True)
class ReferenceData:
    """The rows the migrations load that the demo's opinions and enterprises refer to."""

    categories: dict[str, FeedbackCategory]  # by name
    equipment_classes: dict[str, EquipmentClass]  # by code


def reference_data() -> ReferenceData:
    """The feedback categories and equipment classes; ImproperlyConfigured if they are missing
    (the database has not been migrated)."""
    categories = {c.name: c for c in FeedbackCategory.objects.all()}
    equipment_classes = {e.code: e for e in EquipmentClass.objects.all()}
    wanted = set(O.CATEGORY_WEIGHTS)
    if not wanted <= set(categories) or len(equipment_classes) < 8:
        raise ImproperlyConfigured(
            "The feedback categories and equipment classes are missing: run migrate first."
        )
    return ReferenceData(categories, equipment_classes)


def ensure_user(username, surname="", given="", *, password_hash: str, superuser=False):
    """The user called ``username``; created if missing, with the story's join date and the
    given (already hashed) password. An existing user is returned unchanged."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username,
            last_name=surname,
            first_name=given,
            email=f"{username}@example.com",
            date_joined=USERS_JOINED,
            is_staff=superuser,
            is_superuser=superuser,
        )
        user.password = password_hash
        user.save()
    return user


@dataclass(eq=False)
class Organisation:
    province: Branch
    branches: list[BranchContext]  # in the order of ``content.BRANCHES``
    provincial: dict  # the province's people by username (``content.PROVINCIAL_PEOPLE``)

    @property
    def office(self):
        """The provincial office, who records meetings and decisions."""
        return self.provincial["office"]


def ensure_organisation(password_hash: str) -> Organisation:
    """The province, its seven city branches with their counties, each branch's lead and
    three staff, the province's office and leaders (with the branches they liaise with) and
    the ``admin`` superuser: found, or created with ``password_hash`` for the new users.

    Hash the password once and pass the hash: Argon2 is slow on purpose.
    """
    province = Branch.objects.filter(kind=Branch.Kind.PROVINCE).first()
    if province is None:
        province = Branch.objects.create(
            kind=Branch.Kind.PROVINCE,
            code=C.PROVINCE["code"],
            name=C.PROVINCE["name"],
            name_en=C.PROVINCE["name_en"],
            short_name=C.PROVINCE["short_name"],
            short_name_en=C.PROVINCE["short_name_en"],
            sort_order=0,
        )
    contexts = []
    for order, spec in enumerate(C.BRANCHES, start=1):
        branch, _ = Branch.objects.get_or_create(
            code=spec["code"],
            defaults={
                "name": C.BRANCH_NAME.format(short=spec["short"]),
                "name_en": C.BRANCH_NAME_EN.format(pinyin=C.PINYIN[spec["code"]]),
                "short_name": spec["short"],
                "short_name_en": C.PINYIN[spec["code"]],
                "kind": Branch.Kind.CITY,
                "parent": province,
                "region_code": spec["region"],
                "sort_order": order,
            },
        )
        counties = []
        for code, name, name_en, weight in spec["counties"]:
            county, _ = County.objects.get_or_create(
                code=code, defaults={"branch": branch, "name": name, "name_en": name_en}
            )
            counties.append((county, weight))
        users = []
        for suffix, (surname, given, title) in zip(
            C.BRANCH_USER_SUFFIXES, C.BRANCH_PEOPLE[spec["code"]], strict=True
        ):
            user = ensure_user(
                f"{spec['code']}_{suffix}", surname, given, password_hash=password_hash
            )
            role = Membership.Role.LEAD if suffix == "lead" else Membership.Role.STAFF
            membership_set(user=user, branch=branch, role=role, job_title=title)
            users.append(user)
        contexts.append(BranchContext(spec, C.FIGURES[spec["code"]], branch, counties, *users))
    by_code = {ctx.code: ctx.branch for ctx in contexts}
    provincial = {}
    for username, surname, given, role, title, liaisons in C.PROVINCIAL_PEOPLE:
        user = ensure_user(username, surname, given, password_hash=password_hash)
        membership_set(user=user, branch=province, role=role, job_title=title)
        if liaisons:
            liaison_set(leader=user, branches=[by_code[code] for code in liaisons])
        provincial[username] = user
    ensure_user("admin", superuser=True, password_hash=password_hash)
    return Organisation(province, contexts, provincial)
