"""The demo's online opinion box (意见箱): a few opinions left through ``receipts.box``, as a
visitor of ``/r/box/`` leaves them, so the branch's "my work" and the box's standing activity
have something to show. Left once: a run that finds box opinions in the demo campaign leaves
none (and an older demo database gets them on its next run).

They are the box's, not the seed report's: the report's figures count the opinions staff
heard at the campaign's activities, and the box's standing activity is apart from those.
Their dates are the day the seed ran, as a real box's would be.
"""

from __future__ import annotations

from branches.models import Branch
from outreach.models import Activity, Enterprise, FeedbackCategory, FeedbackItem
from receipts import box, codes
from receipts.models import BoxOpinion

#: The branch whose box gets the opinions (its staff and lead are demo logins).
BRANCH_CODE = "quanzhou"
#: (anonymous, whose credit code: "registered" or "", stated name, category index, kind,
#: content, contact).
OPINIONS = (
    (
        True,
        "",
        "",
        0,
        FeedbackItem.Kind.PROBLEM,
        "电梯定期检验预约电话经常占线，希望增加网上预约渠道。",
        "",
    ),
    (
        False,
        "registered",
        "",
        1,
        FeedbackItem.Kind.SUGGESTION,
        "建议检验报告出具后通过短信提醒企业领取，减少来回跑腿。",
        "0595-2268 1234 王经理",
    ),
    (
        False,
        "",
        "晋江市某食品有限公司",
        0,
        FeedbackItem.Kind.PRAISE,
        "上周锅炉检验的两位师傅讲解耐心，现场指出的隐患我们已经整改，谢谢。",
        "",
    ),
)


def demo_box_opinions(campaign) -> list[BoxOpinion]:
    """Leave the demo's box opinions for ``campaign`` unless its box already has some (or
    the box collects for another campaign); returns the ones left."""
    if campaign is None or box.box_campaign() != campaign:
        return []
    if BoxOpinion.objects.filter(
        feedback_item__activity__campaign=campaign,
        feedback_item__activity__kind=Activity.Kind.ONLINE_BOX,
    ).exists():
        return []
    branch = Branch.objects.filter(code=BRANCH_CODE).first()
    categories = list(FeedbackCategory.objects.filter(is_active=True).order_by("sort_order", "id"))
    if branch is None or not categories:
        return []
    registered = (
        Enterprise.objects.active()
        .filter(branch=branch, merged_into__isnull=True)
        .exclude(uscc="")
        .order_by("id")
        .first()
    )
    left = []
    for anonymous, code_of, name, category, kind, content, contact in OPINIONS:
        uscc = registered.uscc if code_of == "registered" and registered else ""
        receipt = box.box_submit(
            code=codes.new_code(),
            branch=branch,
            category=categories[category % len(categories)],
            content=content,
            anonymous=anonymous,
            stated_name=(registered.name if uscc else name),
            stated_uscc=uscc,
            contact=contact,
            kind=kind,
        )
        left.append(BoxOpinion.objects.get(feedback_item__receipts=receipt))
    return left
