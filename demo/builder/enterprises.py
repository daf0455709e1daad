"""The demo's enterprises: names, USCCs, addresses and contacts, unique and plausible.

Each branch gets the enterprises its leads visited plus a few met only at forums, in the
trades the branch is known for (``content.BRANCHES``).
"""

from __future__ import annotations

import random

from branches.models import County
from demo.data import content as C
from outreach.validators import USCC_ALPHABET, uscc_check_digit

from .plans import BranchContext, EnterprisePlan
from .story import weighted

ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def org_code_check(body: str) -> str:
    """The 9th character of an organisation code (GB 11714) for its first eight."""
    total = sum(
        (int(ch) if ch.isdigit() else ord(ch) - 55) * weight
        for ch, weight in zip(body, ORG_CODE_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


class EnterprisePlanner:
    """Plans each branch's enterprises; names and USCCs never repeat across branches."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.usccs: set[str] = set()
        self.enterprise_names: set[str] = set()

    def _uscc(self, county_code: str) -> str:
        rng = self.rng
        while True:
            if rng.random() < 0.4:  # registered since 2015: the organisation code starts MA
                body = "MA" + "".join(rng.choice(USCC_ALPHABET) for _ in range(6))
            else:
                body = "".join(rng.choice("0123456789") for _ in range(8))
            first17 = "91" + county_code + body + org_code_check(body)
            code = first17 + uscc_check_digit(first17)
            if code not in self.usccs:
                self.usccs.add(code)
                return code

    def _enterprise_name(self, spec, industry: str, county: County) -> str:
        rng = self.rng
        county_short = county.name[:-1]
        endings = C.INDUSTRIES[industry][0]
        while True:
            if industry == "hospital":
                brand = rng.choice(C.HOSPITAL_BRANDS)
                name = rng.choice(
                    [f"{county_short}{brand}医院", f"{spec['short']}{brand}医院有限公司"]
                )
            else:
                brand, ending, form = rng.choice(C.BRANDS), rng.choice(endings), rng.random()
                if form < 0.45:
                    name = f"{county_short}{brand}{ending}"
                elif form < 0.75:
                    name = f"{spec['short']}{brand}{ending}"
                elif form < 0.95 and county.name.endswith("区"):
                    name = f"{spec['city']}{county.name}{brand}{ending}"
                elif form < 0.95:
                    name = f"{county.name}{brand}{ending}"
                else:
                    name = f"福建{brand}{ending}"
            if name not in self.enterprise_names:
                self.enterprise_names.add(name)
                return name

    def _phone(self, spec) -> str:
        rng = self.rng
        if rng.random() < 0.25:
            return f"{spec['area_code']}-2{rng.randint(0, 9_999_999):07d}"
        return f"{rng.choice(C.MOBILE_PREFIXES)}{rng.randint(0, 99_999_999):08d}"

    def _person_name(self) -> str:
        return self.rng.choice(C.SURNAMES) + self.rng.choice(C.GIVEN_NAMES)

    def plan(self, ctx: BranchContext):
        """Add the branch's enterprises to ``ctx.enterprises``, the visited ones first."""
        rng, spec, fig = self.rng, ctx.spec, ctx.figures
        weights = {key: base for key, (_endings, _classes, base) in C.INDUSTRIES.items()}
        for key, extra in spec["industries"].items():
            weights[key] += extra
        extra_count = 4
        total = fig["visited"] + extra_count
        industries = list(spec["must_have"])
        industries += [weighted(rng, weights) for _ in range(total - len(industries))]
        county_weights = dict(ctx.counties)
        homes = {county.code: county for county, _weight in ctx.counties}
        for index, industry in enumerate(industries):
            visited = index < fig["visited"]
            if industry in spec.get("homes", {}):
                county = homes[spec["homes"][industry]]
            elif ctx.code == "nanping" and visited:
                # The report: 南平's lead visited 29 enterprises in all 10 counties.
                county = ctx.counties[index % len(ctx.counties)][0]
            else:
                county = weighted(rng, county_weights)
            classes = C.INDUSTRIES[industry][1]
            count = min(len(classes), rng.choice([1, 2, 2, 3]))
            # Drawn in this order (the generator's sequence makes the data).
            name = self._enterprise_name(spec, industry, county)
            uscc = self._uscc(county.code)
            street = f"{rng.choice(C.ROADS)}{rng.randint(1, 399)}号"
            ctx.enterprises.append(
                EnterprisePlan(
                    name=name,
                    uscc=uscc,
                    county=county,
                    address=f"{spec['city']}{county.name}{street}",
                    contact_name=self._person_name(),
                    contact_phone=self._phone(spec),
                    classes=rng.sample(classes, count),
                    industry=industry,
                    visited=visited,
                )
            )
