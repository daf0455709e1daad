"""The demo's words for the clock: returns and rulings, extensions, supervision notices,
replies waiting for the branch lead's approval (``builder.clock`` writes them).

``{date}``, ``{old}``, ``{new}``, ``{person}`` and ``{contact}`` are filled in by the builder.
"""

# --- sign-for and return (签收、退单) --------------------------------------------------------

#: The same words as the app's sign-for, return and ruling events (in Chinese).
SIGNED_NOTE = "{date}前完成整改。"
RETURNED_NOTE = "理由：{reason}\n{note}"
INSISTED_NOTE = "维持原交办：由分院办理；须于{date}前签收。\n{note}"
REASSIGNED_NOTE = "改派给{person}；须于{date}前签收。\n{note}"

#: A return made on the day of the decision, ruled "insist" the next morning, then signed.
RETURN_INSISTED = {
    "reason": "需与其他单位共同办理",
    "note": "该问题涉及省院有关部门和属地监管部门的职责，分院单独难以推动，"
    "建议由省院协调相关单位共同办理。",
    "ruling_note": "经研究，该问题由分院牵头办理；需省院有关部门和监管部门配合的事项，"
    "由省院办公室负责协调。",
}
#: A return the office ruled on only after checking with the branch: reassigned, so the
#: branch's new responsible person has yet to sign for it on the demo's day.
RETURN_REASSIGNED = {
    "reason": "职责不清",
    "note": "该问题涉及分院检验业务和综合服务两个部门，分院内部对牵头部门意见不一，请省院明确。",
    "ruling_note": "经省院办公室与分院核实，明确由分院检验部门牵头办理，综合服务部门配合。",
}

# --- extensions (延期) -----------------------------------------------------------------------

EXTENSION_REQUESTED_NOTE = "申请期限由{old}延至{new}：{reason}"
EXTENSION_APPROVED_NOTE = "同意延期：期限由{old}延至{new}。\n{note}"
EXTENSION_REFUSED_NOTE = "不同意延期：期限仍为{old}（申请延至{new}）。\n{note}"

#: Approved by the branch lead (an issue the branch planned itself).
EXTENSION_APPROVED = {
    "reason": "整改措施须在全分院试行后修订完善，原定期限内难以全部到位，申请延期。",
    "note": "同意。请按新的期限抓紧推进，每周向分院报告一次进展。",
}
#: Refused by the office (the provincial meeting set the deadline).
EXTENSION_REFUSED = {
    "reason": "近期检验任务集中，整改所需人员难以及时到位，申请延期。",
    "note": "院长办公会确定的完成时限不变。请分院统筹安排检验任务，加强力量，按期完成整改。",
}
#: Waiting for the office on the demo's day.
EXTENSION_PENDING = {
    "reason": "整改方案须报省院审定后实施，原定期限内难以完成，申请适当延长完成时限。",
}

# --- chasing and supervision (催办、督办) ----------------------------------------------------

REMINDED_NOTE = "距整改期限（{date}）还有{days}个工作日，已提醒责任人{person}。"
DUE_NOTE = "整改期限（{date}）今日到期，已提醒分院负责人{person}。"
AUTOMATIC_NOTICE = (
    "该问题已超过整改期限（{date}）{days}个工作日仍未完成整改。请分院负责人书面说明"
    "未按期完成的原因、目前进展和预计完成时间。"
)
AUTOMATIC_ANSWER = (
    "未按期完成的原因：整改涉及多个部门和外部单位配合，协调时间长于预期。"
    "目前进展：主要整改措施已经落实，其余工作正在推进。预计完成时间：本月底前。"
    "分院已明确专人负责，每周向省院报告一次进展。"
)
MANUAL_NOTICE = (
    "该问题整改期限（{date}）已过，至今未完成整改。请分院于{reply_by}前书面报告整改进展、"
    "存在的困难和完成时间，分院主要负责人对整改结果负责。"
)
ANSWERED_NOTE = "书面答复督办单：{answer}"

# --- replies waiting for the branch lead's approval (答复审核) ------------------------------

DRAFTED_NOTE = "起草对{who}的答复，提交分院负责人审核。"
SENT_BACK_NOTE = "答复退回修改：{comment}"
SENT_BACK_COMMENT = "答复过于简单，未说明具体整改措施和完成时间，请补充后重新提交。"
