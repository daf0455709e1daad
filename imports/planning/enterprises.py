"""Planning the 企业 sheet, and finding the enterprise another sheet's cell names."""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from branches.models import Branch, County
from outreach.models import Enterprise, EquipmentClass
from outreach.names import enterprise_name_key
from outreach.validators import normalize_uscc, validate_uscc

from ..cells import cell_text, split_list
from ..plans import EnterprisePlan
from ..reading import Row
from ..sheets import fold
from .checker import SheetChecker, join_names
from .matching import USCC_SHAPE, RegisteredEnterprises, Vocabulary


class EnterpriseDirectory:
    """The enterprises the 活动 and 意见建议 sheets may name, by code or by name: a row of
    the 企业 sheet first, then an enterprise of the province's registry (by name, the
    branch's own before the others)."""

    def __init__(self, *, branch: Branch, registered: RegisteredEnterprises):
        self.branch = branch
        self.registered = registered
        self.by_uscc: dict[str, EnterprisePlan] = {}
        #: name key -> rows of the 企业 sheet (only the first of duplicate rows).
        self.by_name: dict[str, list[EnterprisePlan]] = defaultdict(list)
        #: registered enterprise id -> its plan, so each is one plan however often named.
        self.reference_plans: dict[int, EnterprisePlan] = {}

    def resolve(self, check: SheetChecker, row: Row, key: str, token: str) -> EnterprisePlan | None:
        """The enterprise ``token`` (a code or a name in the cell ``key``) means, or None
        with a problem recorded at the cell."""
        code = normalize_uscc(token)
        if USCC_SHAPE.fullmatch(code):
            if code in self.by_uscc:
                return self.by_uscc[code]
            enterprise = in_use(self.registered.by_uscc.get(code))
            if enterprise is None:
                message = _(
                    "No enterprise with the code {code} in the 企业 sheet or in the "
                    "province's registry."
                ).format(code=code)
            elif enterprise.is_withdrawn:
                message = _("The enterprise with the code {code} was withdrawn.").format(code=code)
            else:
                return self.reference_plan(enterprise)
            check.error(row, key, message)
            return None
        name_key = enterprise_name_key(token)
        in_file = self.by_name.get(name_key, [])
        # A registered enterprise that a row of the 企业 sheet describes (same county and
        # name) is that row, not a second candidate.
        described = {plan.county.pk for plan in in_file if plan.county is not None}
        reused = {plan.existing.pk for plan in in_file if plan.existing is not None}

        def candidates_in(enterprises):
            return [
                enterprise
                for enterprise in enterprises.get(name_key, [])
                if enterprise.county_id not in described and enterprise.pk not in reused
            ]

        # The branch's own namesakes first; only without any, the rest of the province's.
        registered = candidates_in(self.registered.by_name)
        if not in_file and not registered:
            registered = candidates_in(self.registered.by_name_anywhere)
        candidates = len(in_file) + len(registered)
        if candidates == 1:
            return in_file[0] if in_file else self.reference_plan(registered[0])
        if candidates > 1:
            message = _(
                "More than one enterprise is named “{name}”: write its unified social credit "
                "code instead."
            )
        else:
            message = _(
                "No enterprise named “{name}” in the 企业 sheet or in the province's registry: "
                "add it to the 企业 sheet."
            )
        check.error(row, key, message.format(name=token))
        return None

    def reference_plan(self, enterprise: Enterprise) -> EnterprisePlan:
        if enterprise.pk not in self.reference_plans:
            self.reference_plans[enterprise.pk] = EnterprisePlan(
                name=enterprise.name, uscc=enterprise.uscc, existing=enterprise
            )
        return self.reference_plans[enterprise.pk]


class EnterpriseSheet:
    """Plans the rows of the 企业 sheet: each a new enterprise, or the registered one it
    describes (same code, or same name in the same county), whichever branch registered it.
    Fills ``directory`` with the rows the other sheets may refer to."""

    def __init__(
        self,
        check: SheetChecker,
        *,
        branch: Branch,
        vocabulary: Vocabulary,
        registered: RegisteredEnterprises,
    ):
        self.check = check
        self.branch = branch
        self.vocabulary = vocabulary
        self.registered = registered
        self.directory = EnterpriseDirectory(branch=branch, registered=registered)

    def plan(self) -> list[EnterprisePlan]:
        check = self.check
        plans: list[EnterprisePlan] = []
        seen_county_name: dict[tuple, int] = {}
        for row in check.rows:
            count = len(check.problems)
            name = " ".join(check.text(row, "name", 200, required=True).split())
            plan = EnterprisePlan(name=name, row=row.number)
            plan.uscc = self.uscc(row)
            plan.county = self.county(row)
            plan.address = check.text(row, "address", 255)
            plan.contact_name = check.text(row, "contact_name", 50)
            plan.contact_phone = check.text(row, "contact_phone", 30)
            plan.equipment_classes = self.equipment(row)
            key = enterprise_name_key(name)
            duplicate = False
            if plan.uscc:
                if plan.uscc in self.directory.by_uscc:
                    duplicate = True
                    check.error(
                        row,
                        "uscc",
                        _("The same code is on row {row}.").format(
                            row=self.directory.by_uscc[plan.uscc].row
                        ),
                    )
                self.directory.by_uscc.setdefault(plan.uscc, plan)
            if name and plan.county is not None:
                county_key = (plan.county.pk, key)
                if county_key in seen_county_name:
                    duplicate = True
                    check.error(
                        row,
                        "name",
                        _("The same enterprise name in the same county is on row {row}.").format(
                            row=seen_county_name[county_key]
                        ),
                    )
                seen_county_name.setdefault(county_key, row.number)
            if name and not duplicate:
                # Only the first of duplicate rows is what other sheets refer to.
                self.directory.by_name[key].append(plan)
            if len(check.problems) == count:
                self.match_registered(row, plan, key)
            plans.append(plan)
        for plan in plans:
            if plan.existing is not None:
                self.directory.reference_plans.setdefault(plan.existing.pk, plan)
        return plans

    def uscc(self, row: Row) -> str:
        code = normalize_uscc(cell_text(row["uscc"]))
        if not code:
            return ""
        try:
            validate_uscc(code)
        except ValidationError as error:
            for message in error.messages:
                self.check.error(row, "uscc", message)
        return code

    def county(self, row: Row) -> County | None:
        """Any county of the province: where the company is, whichever branch serves it."""
        text = self.check.text(row, "county", required=True)
        if not text:
            return None
        county = self.vocabulary.counties.get(fold(text))
        if county is None:
            names = self.vocabulary.county_names
            if names:
                message = _(
                    "“{name}” is not a county of the province. Your branch's counties: {options}."
                )
            else:
                message = _("“{name}” is not a county of the province.")
            self.check.error(row, "county", message.format(name=text, options=join_names(names)))
        return county

    def equipment(self, row: Row) -> list[EquipmentClass]:
        found = []
        for name in split_list(row["equipment_classes"]):
            equipment_class = self.vocabulary.classes.get(fold(name))
            if equipment_class is None:
                self.check.error(
                    row,
                    "equipment_classes",
                    _("“{name}” is not a class of special equipment. Use: {options}.").format(
                        name=name, options=join_names(self.vocabulary.class_names)
                    ),
                )
            elif equipment_class not in found:
                found.append(equipment_class)
        return found

    def match_registered(self, row: Row, plan: EnterprisePlan, key: str) -> None:
        """Reuse the registered enterprise this row describes, whichever branch registered
        it: one record per company for the province."""
        check = self.check
        if plan.uscc and plan.uscc in self.registered.by_uscc:
            enterprise = in_use(self.registered.by_uscc[plan.uscc])
            if enterprise.is_withdrawn:
                check.error(
                    row,
                    "uscc",
                    _("The enterprise with this code was withdrawn; it cannot be imported again."),
                )
            else:
                plan.existing = enterprise
            return
        enterprise = self.registered.by_county_name.get((plan.county.pk, key))
        if enterprise is None:
            return
        if plan.uscc and enterprise.uscc and enterprise.uscc != plan.uscc:
            check.error(
                row,
                "uscc",
                _(
                    "“{name}” in this county is registered with another code ({code}): "
                    "correct the code, or the name if it is another enterprise."
                ).format(name=enterprise.name, code=enterprise.uscc),
            )
        else:
            plan.existing = enterprise


def in_use(enterprise: Enterprise | None) -> Enterprise | None:
    """The record in use for ``enterprise``: the one it was merged into, if it was."""
    if enterprise is not None and enterprise.merged_into_id:
        return enterprise.merged_into
    return enterprise
