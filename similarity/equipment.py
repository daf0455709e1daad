"""The classes of special equipment a text names, by the codes of the app's equipment
classes (the eight of the Special Equipment Safety Law).

Two problems about different equipment are different problems, however alike their words
("电梯检验报告出具慢" against "锅炉检验报告出具慢"): the grouping into themes keeps them apart.
The names are matched after ``text.normalize`` (so 叉车, 场车 and 厂内车辆 are all found).
"""

from __future__ import annotations

import re

from .text import normalize

#: Each class's code and the names that say it (after normalising).
NAMES: dict[str, tuple[str, ...]] = {
    "boiler": ("锅炉",),
    "pressure_vessel": ("压力容器", "气瓶", "储罐", "液化气", "液化石油气", "储气罐", "槽车"),
    "pressure_piping": ("压力管道", "管道", "燃气管"),
    "elevator": ("电梯", "扶梯", "自动人行道"),
    "lifting": ("起重机械", "门式起重", "桥式起重", "升降机"),
    "ropeway": ("客运索道", "索道", "缆车"),
    "amusement": ("游乐设施", "过山车", "摩天轮"),
    "vehicle": ("场内机动车辆", "叉车", "观光车"),
}

_NAME_RE = re.compile(
    "|".join(
        re.escape(name)
        for name in sorted({n for ns in NAMES.values() for n in ns}, key=len, reverse=True)
    )
)
_CLASS_OF = {name: code for code, names in NAMES.items() for name in names}


def equipment_named(text: str) -> frozenset[str]:
    """The codes of the classes the text names (none for a text that names none)."""
    return frozenset(_CLASS_OF[match.group(0)] for match in _NAME_RE.finditer(normalize(text)))
