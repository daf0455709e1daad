"""The domain's words for comparing texts: what to ignore, what means the same, what stays
one word.

Written from the way enterprises and staff put problems in this field (the campaign report,
the opinions heard): the words every text has ("企业反映……希望……") carry no meaning for
telling two problems apart, an equipment or a procedure has several names, and a few terms
jieba's general dictionary would cut in two.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Words that say nothing about which problem it is: who speaks, hopes and asks, the
#: institute's own names, function words. (Single characters are never words here: the
#: character bigrams carry them.)
STOP_WORDS = _words(
    """
    企业 公司 单位 厂里 我们 你们 他们 我司 贵院 分院 省院 特检院 检验院 院里 工作人员
    希望 建议 问题 反映 意见 要求 请求 能否 能不能 可以 可否 是否 应该 需要 还是 还要
    一些 有些 有的 个别 部分 一下 一点 一直 经常 每次 总是 有时 有时候 目前 现在 今后
    以后 之前 时候 已经 然后 而且 但是 所以 因为 如果 这样 那样 这个 那个 什么 怎么
    怎样 如何 哪里 哪些 到底 非常 比较 特别 十分 真正 主要 相关 有关 方面 情况 存在
    进一步 加强 改进 提高 尽快 及时 做好 落实 工作 服务 特种设备 设备 同志 人员 方面
    知道 觉得 认为 感觉 发现 表示 提出 说明 告诉 根本 基本 直接 专门 顺便 结果 的话
    """
)

#: Names of one thing, replaced by the first before the text is cut (longest first, so a
#: long name is never half-replaced by a shorter one inside it).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "场内机动车辆": (
        "场(厂)内机动车辆",
        "场（厂）内机动车辆",
        "厂内机动车辆",
        "场内车辆",
        "厂内车辆",
        "场车",
    ),
    "起重机械": ("起重机", "吊车", "塔吊", "龙门吊", "行车吊"),
    "气瓶": ("钢瓶", "液化气瓶", "煤气罐"),
    "电梯": ("直梯", "客梯", "货梯", "升降梯"),
    "检验": ("检测", "年检", "定检", "检查"),
    "检验人员": ("检验员", "检验师", "检验的人", "检测人员"),
    "发票": ("开票", "票据"),
    "收费": ("费用", "检验费", "收钱", "交钱", "缴费"),
    "预约": ("约检", "约时间", "排期"),
    "报告": ("报告书", "检验报告", "出报告", "出证"),
    "整改通知": ("整改通知书", "整改通知单", "整改意见书", "整改单"),
    "上门服务": ("上门检验", "上门办理", "上门"),
    "12345": ("12345热线", "12345市民服务热线", "市民热线", "便民热线", "12345平台"),
    "慢": ("太拖", "拖延", "迟迟", "太久", "很久", "太长", "不及时", "响应慢"),
    "态度": ("口气", "语气", "脸色"),
    "作业证": ("操作证", "上岗证", "作业人员证", "考证"),
    "宴请": ("请吃饭", "吃饭", "用餐", "招待"),
    "周末": ("节假日", "双休日", "休息日", "假期"),
    "通知": ("提醒", "告知", "短信"),
    "联系人": ("对接人", "联络人", "联系方式", "联系电话", "负责人"),
    "礼品": ("红包", "礼品卡", "购物卡", "超市卡", "土特产", "节礼", "礼金", "购物券"),
    "停产": ("停机", "停工", "停梯", "停炉", "停运", "停用", "停车"),
    "邮寄": ("快递", "寄送", "寄到", "寄来"),
    "网上": ("在线", "线上", "手机上", "网站", "公众号", "电子版"),
    "偏远": ("山区", "乡镇", "外县", "县里", "县城", "路途远", "来回奔波"),
    "扫码支付": ("微信", "支付宝", "扫码"),
}

#: Terms that must stay one word (jieba would cut them).
DOMAIN_WORDS = (
    "场内机动车辆",
    "起重机械",
    "压力容器",
    "压力管道",
    "安全阀",
    "气瓶",
    "锅炉",
    "电梯",
    "客运索道",
    "游乐设施",
    "检验人员",
    "整改通知",
    "上门服务",
    "使用登记",
    "定期检验",
    "无损检测",
    "作业证",
    "维保单位",
    "绿色通道",
    "电子发票",
    "能效测试",
    "水处理",
    "检验标志",
    "12345",
)
