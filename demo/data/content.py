"""The demo's organisation, people, enterprises and activity wording (the seed report's world).

Everything here is data: the real county-level divisions of the seven cities, fictitious
people and enterprises, and the Chinese phrases activities are described with. The builder
combines them with a seeded random generator, so the result is the same on every run.
"""

CAMPAIGN_CODE = "mass-line-2"
CAMPAIGN_NAME = "第二批党的群众路线教育实践活动"
CAMPAIGN_NAME_EN = "Second round of the Party's Mass Line Education and Practice Campaign"
CAMPAIGN_DESCRIPTION = (
    "根据省局党组和党的群众路线教育实践活动领导小组的部署和要求，省特检院全省分院坚持"
    "“问题导向”，扎实开展第二批党的群众路线教育实践活动。全省7个设区市分院对照教育实践"
    "活动要求，结合业务工作实际，抓好学习调研、听取意见、问题查摆和自查自纠等环节，在改进"
    "服务中查找问题，在解决问题中转变作风。\n"
    "要求：坚持重心下移，多到企业开展“面对面”交流，既要“走出去”也要“请进来”，既要"
    "“面对面”，也要“背靠背”；坚持边查边改、立行立改；需要省院层面研究解决的问题提交院长"
    "办公会专题研究；对群众反映的问题“条条有落实，件件有反馈”。"
)

DEMO_PASSWORD = "Outreach#2026"  # noqa: S105 - the demo password is printed for all to use

#: The office's assessment scheme (考核方案), in force from the campaign's first month:
#: its weights, and a minimum for ranking that suits the demo's few issues a branch has
#: in a month (a component is scored on 3 cases or more).
ASSESSMENT_WEIGHTS = {
    "signed_on_time": 10,
    "rectified_on_time": 25,
    "replied_on_time": 20,
    "reply_rate": 20,
    "enterprise_satisfaction": 10,
    "reopen_rate": 10,
    "supervision": 5,
}
ASSESSMENT_MIN_DENOMINATOR = 3

#: The office's decision on the recurring problem the search finds in most branches.
THEME_DEADLINE = (2026, 12, 31)
THEME_DECISION = (
    "作为本月全省共性问题（每月一题）立项整改：省院办公室牵头，各相关分院对照排查本单位情况，"
    "制定统一规范并于期限前报送整改情况。"
)

PROVINCE = {
    "code": "province",
    "name": "福建省特种设备检验研究院",
    "name_en": "Fujian Special Equipment Inspection and Research Institute",
    "short_name": "省院",
    "short_name_en": "Provincial institute",
}

# The seven city branches in the report's order. Counties are the real county-level
# divisions (2021 codes: 三明 after 梅列 merged into 三元 and 沙县 became a district,
# 漳州 after 龙海 and 长泰 became districts). 金门县 (350527) is left out: no branch
# inspects there. Each county is (code, name, English name, weight for enterprises).
BRANCHES = [
    {
        "code": "quanzhou",
        "short": "泉州",
        "city": "泉州市",
        "region": "3505",
        "area_code": "0595",
        "counties": [
            ("350502", "鲤城区", "Licheng District", 2),
            ("350503", "丰泽区", "Fengze District", 3),
            ("350504", "洛江区", "Luojiang District", 2),
            ("350505", "泉港区", "Quangang District", 2),
            ("350521", "惠安县", "Hui'an County", 2),
            ("350524", "安溪县", "Anxi County", 1),
            ("350525", "永春县", "Yongchun County", 1),
            ("350526", "德化县", "Dehua County", 1),
            ("350581", "石狮市", "Shishi City", 2),
            ("350582", "晋江市", "Jinjiang City", 4),
            ("350583", "南安市", "Nan'an City", 3),
        ],
        "industries": {
            "shoes": 5,
            "textile": 4,
            "stone": 3,
            "ceramics": 2,
            "petrochem": 2,
            "tea": 1,
            "port": 1,
            "food": 2,
        },
        "must_have": [],
        "room": "分院三楼会议室",
    },
    {
        "code": "ningde",
        "short": "宁德",
        "city": "宁德市",
        "region": "3509",
        "area_code": "0593",
        "counties": [
            ("350902", "蕉城区", "Jiaocheng District", 4),
            ("350921", "霞浦县", "Xiapu County", 2),
            ("350922", "古田县", "Gutian County", 1),
            ("350923", "屏南县", "Pingnan County", 1),
            ("350924", "寿宁县", "Shouning County", 1),
            ("350925", "周宁县", "Zhouning County", 1),
            ("350926", "柘荣县", "Zherong County", 1),
            ("350981", "福安市", "Fu'an City", 3),
            ("350982", "福鼎市", "Fuding City", 2),
        ],
        "industries": {
            "newenergy": 4,
            "motor": 3,
            "stainless": 3,
            "seafood": 3,
            "tea": 2,
            "port": 1,
        },
        "must_have": [],
        "room": "分院二楼会议室",
    },
    {
        "code": "putian",
        "short": "莆田",
        "city": "莆田市",
        "region": "3503",
        "area_code": "0594",
        "counties": [
            ("350302", "城厢区", "Chengxiang District", 3),
            ("350303", "涵江区", "Hanjiang District", 3),
            ("350304", "荔城区", "Licheng District", 3),
            ("350305", "秀屿区", "Xiuyu District", 2),
            ("350322", "仙游县", "Xianyou County", 3),
        ],
        "industries": {"shoes": 4, "crafts": 3, "food": 2, "port": 1, "gas": 1},
        "must_have": [],
        "room": "分院会议室",
    },
    {
        "code": "nanping",
        "short": "南平",
        "city": "南平市",
        "region": "3507",
        "area_code": "0599",
        "counties": [
            ("350702", "延平区", "Yanping District", 3),
            ("350703", "建阳区", "Jianyang District", 2),
            ("350721", "顺昌县", "Shunchang County", 1),
            ("350722", "浦城县", "Pucheng County", 1),
            ("350723", "光泽县", "Guangze County", 1),
            ("350724", "松溪县", "Songxi County", 1),
            ("350725", "政和县", "Zhenghe County", 1),
            ("350781", "邵武市", "Shaowu City", 2),
            ("350782", "武夷山市", "Wuyishan City", 2),
            ("350783", "建瓯市", "Jian'ou City", 2),
        ],
        "industries": {"bamboo": 4, "wood": 2, "tea": 3, "tourism": 1, "paper": 2, "food": 2},
        "must_have": ["tourism"],
        "homes": {"tourism": "350782"},  # 武夷山
        "room": "分院会议室",
    },
    {
        "code": "sanming",
        "short": "三明",
        "city": "三明市",
        "region": "3504",
        "area_code": "0598",
        "counties": [
            ("350404", "三元区", "Sanyuan District", 4),
            ("350405", "沙县区", "Shaxian District", 2),
            ("350421", "明溪县", "Mingxi County", 1),
            ("350423", "清流县", "Qingliu County", 1),
            ("350424", "宁化县", "Ninghua County", 1),
            ("350425", "大田县", "Datian County", 1),
            ("350426", "尤溪县", "Youxi County", 1),
            ("350428", "将乐县", "Jiangle County", 1),
            ("350429", "泰宁县", "Taining County", 1),
            ("350430", "建宁县", "Jianning County", 1),
            ("350481", "永安市", "Yong'an City", 3),
        ],
        "industries": {"lpg": 3, "steel": 3, "cement": 2, "chemical": 2, "bamboo": 2, "textile": 1},
        "must_have": ["lpg", "lpg", "lpg", "gas"],
        "room": "分院五楼会议室",
    },
    {
        "code": "longyan",
        "short": "龙岩",
        "city": "龙岩市",
        "region": "3508",
        "area_code": "0597",
        "counties": [
            ("350802", "新罗区", "Xinluo District", 5),
            ("350803", "永定区", "Yongding District", 2),
            ("350821", "长汀县", "Changting County", 1),
            ("350823", "上杭县", "Shanghang County", 2),
            ("350824", "武平县", "Wuping County", 1),
            ("350825", "连城县", "Liancheng County", 1),
            ("350881", "漳平市", "Zhangping City", 1),
        ],
        "industries": {
            "mining": 3,
            "machinery": 3,
            "cement": 2,
            "realestate": 2,
            "thermal": 1,
            "tourism": 1,
        },
        "must_have": ["realestate", "elevator_install"],
        "homes": {"tourism": "350825"},  # 连城 (冠豸山)
        "room": "分院会议室",
    },
    {
        "code": "zhangzhou",
        "short": "漳州",
        "city": "漳州市",
        "region": "3506",
        "area_code": "0596",
        "counties": [
            ("350602", "芗城区", "Xiangcheng District", 3),
            ("350603", "龙文区", "Longwen District", 2),
            ("350604", "龙海区", "Longhai District", 3),
            ("350605", "长泰区", "Changtai District", 1),
            ("350622", "云霄县", "Yunxiao County", 1),
            ("350623", "漳浦县", "Zhangpu County", 2),
            ("350624", "诏安县", "Zhao'an County", 1),
            ("350626", "东山县", "Dongshan County", 1),
            ("350627", "南靖县", "Nanjing County", 1),
            ("350628", "平和县", "Pinghe County", 1),
            ("350629", "华安县", "Hua'an County", 1),
        ],
        "industries": {"food": 4, "petrochem": 2, "port": 2, "seafood": 2, "paper": 1},
        "must_have": [],
        "room": "分院会议室",
    },
]

# 南平's lead visited its 10 counties in five trips of two neighbouring counties each.
NANPING_TRIPS = [
    ("350702", "350721"),  # 延平区, 顺昌县
    ("350703", "350782"),  # 建阳区, 武夷山市
    ("350722", "350724"),  # 浦城县, 松溪县
    ("350725", "350783"),  # 政和县, 建瓯市
    ("350781", "350723"),  # 邵武市, 光泽县
]

BRANCH_NAME = "福建省特种设备检验研究院{short}分院"
BRANCH_NAME_EN = "{pinyin} Branch"

# The figures of the report, per branch: distinct enterprises visited, enterprise and
# internal forums, opinions heard, and how the problems found were handled. ``anonymous``
# opinions (背靠背, ~8%) come from enterprise forums; ``undisposed`` ones are still waiting
# for a disposition; ``linked`` opinions make up the issues (1 to 3 each);
# ``fix_rectified`` immediate fixes still wait for replies (the rest are answered);
# ``esc_states`` gives each escalated issue's state after the director meeting (Answered,
# Rectified, still rectifyinG); ``forum_share`` of named opinions come from forums.
FIGURES = {
    "quanzhou": {
        "visited": 32,
        "ent_forums": 3,
        "int_forums": 8,
        "feedback": 35,
        "fix": 9,
        "esc": 4,
        "plan": 1,
        "anonymous": 3,
        "undisposed": 1,
        "linked": 20,
        "fix_rectified": 1,
        "esc_states": "ARGG",
        "forum_share": 0.25,
    },
    "ningde": {
        "visited": 26,
        "ent_forums": 3,
        "int_forums": 7,
        "feedback": 92,
        "fix": 10,
        "esc": 6,
        "plan": 1,
        "anonymous": 7,
        "undisposed": 2,
        "linked": 36,
        "fix_rectified": 1,
        "esc_states": "ARRGGG",
        "forum_share": 0.45,
    },
    "putian": {
        "visited": 64,
        "ent_forums": 2,
        "int_forums": 7,
        "feedback": 13,
        "fix": 6,
        "esc": 2,
        "plan": 1,
        "anonymous": 1,
        "undisposed": 0,
        "linked": 10,
        "fix_rectified": 0,
        "esc_states": "RG",
        "forum_share": 0.1,
    },
    "nanping": {
        "visited": 29,
        "ent_forums": 2,
        "int_forums": 7,
        "feedback": 98,
        "fix": 12,
        "esc": 6,
        "plan": 1,
        "anonymous": 8,
        "undisposed": 3,
        "linked": 39,
        "fix_rectified": 2,
        "esc_states": "ARRGGG",
        "forum_share": 0.3,
    },
    "sanming": {
        "visited": 30,
        "ent_forums": 3,
        "int_forums": 7,
        "feedback": 96,
        "fix": 12,
        "esc": 7,
        "plan": 1,
        "anonymous": 8,
        "undisposed": 2,
        "linked": 39,
        "fix_rectified": 1,
        "esc_states": "AARGGGG",
        "forum_share": 0.35,
    },
    "longyan": {
        "visited": 28,
        "ent_forums": 3,
        "int_forums": 7,
        "feedback": 92,
        "fix": 12,
        "esc": 6,
        "plan": 0,
        "anonymous": 7,
        "undisposed": 2,
        "linked": 37,
        "fix_rectified": 2,
        "esc_states": "ARRGGG",
        "forum_share": 0.35,
    },
    "zhangzhou": {
        "visited": 24,
        "ent_forums": 3,
        "int_forums": 9,
        "feedback": 84,
        "fix": 12,
        "esc": 6,
        "plan": 1,
        "anonymous": 7,
        "undisposed": 2,
        "linked": 34,
        "fix_rectified": 1,
        "esc_states": "ARGGGG",
        "forum_share": 0.35,
    },
}

PINYIN = {
    "quanzhou": "Quanzhou",
    "ningde": "Ningde",
    "putian": "Putian",
    "nanping": "Nanping",
    "sanming": "Sanming",
    "longyan": "Longyan",
    "zhangzhou": "Zhangzhou",
}

# --- people -------------------------------------------------------------------------

# Fictitious people. (surname, given name, job title) per branch: lead, staff, staff2, staff3.
BRANCH_PEOPLE = {
    "quanzhou": [
        ("黄", "志强", "分院院长"),
        ("陈", "晓玲", "综合办公室科员"),
        ("林", "建华", "检验一科科长"),
        ("王", "丽娟", "检验员"),
    ],
    "ningde": [
        ("郑", "国平", "分院院长"),
        ("吴", "静", "综合办公室科员"),
        ("刘", "海波", "检验二科科长"),
        ("周", "雪梅", "检验员"),
    ],
    "putian": [
        ("蔡", "文辉", "分院院长"),
        ("方", "丽清", "综合办公室科员"),
        ("黄", "俊杰", "检验一科科长"),
        ("林", "秀英", "检验员"),
    ],
    "nanping": [
        ("谢", "永康", "分院院长"),
        ("李", "婷", "综合办公室科员"),
        ("叶", "志明", "检验一科科长"),
        ("江", "红梅", "检验员"),
    ],
    "sanming": [
        ("罗", "建新", "分院院长"),
        ("邓", "晓燕", "综合办公室科员"),
        ("张", "宇", "压力容器检验科科长"),
        ("曾", "庆华", "检验员"),
    ],
    "longyan": [
        ("赖", "福生", "分院院长"),
        ("邱", "丽萍", "综合办公室科员"),
        ("钟", "伟", "机电检验科科长"),
        ("温", "小红", "检验员"),
    ],
    "zhangzhou": [
        ("杨", "振东", "分院院长"),
        ("许", "雅琴", "综合办公室科员"),
        ("蔡", "明辉", "检验一科科长"),
        ("沈", "晓东", "检验员"),
    ],
}
BRANCH_USER_SUFFIXES = ("lead", "staff", "staff2", "staff3")

# Provincial users: (username, surname, given name, role, job title, liaison branch codes).
PROVINCIAL_PEOPLE = [
    ("office", "何", "敏", "office", "院办公室主任（教育实践活动办）", []),
    ("leader", "陈", "立新", "leader", "院长", ["quanzhou", "ningde"]),
    ("leader2", "王", "建平", "leader", "副院长", ["nanping", "sanming", "longyan"]),
]

SURNAMES = list("陈林黄张吴王李郑刘蔡杨许谢洪郭曾邱赖周叶苏庄江何罗钟卢施游傅詹颜")
GIVEN_NAMES = [
    "建华",
    "志明",
    "丽华",
    "秀英",
    "国强",
    "晓东",
    "海燕",
    "文斌",
    "美玲",
    "春生",
    "金水",
    "丽娟",
    "伟",
    "强",
    "敏",
    "静",
    "斌",
    "勇",
    "芳",
    "燕",
    "明辉",
    "建国",
    "永福",
    "清泉",
    "志勇",
    "雪梅",
    "少华",
    "惠珍",
    "荣华",
    "鸿",
    "宇",
    "雅琴",
    "家豪",
    "俊杰",
    "晓红",
    "玉兰",
    "榕生",
    "炳坤",
    "丽萍",
    "秋菊",
    "德明",
    "振华",
    "梅芳",
    "水生",
    "国栋",
    "瑞祥",
]
MOBILE_PREFIXES = [
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "158",
    "159",
    "177",
    "180",
    "186",
    "188",
    "189",
]

# --- enterprises --------------------------------------------------------------------

# key: (name endings, equipment class codes, weight everywhere). A branch's "industries"
# add weight for its local trades.
INDUSTRIES = {
    "machinery": (
        ["机械制造有限公司", "机械有限公司", "重工机械有限公司", "精密机械有限公司"],
        ["lifting", "pressure_vessel", "vehicle"],
        3,
    ),
    "gas": (
        ["燃气有限公司", "天然气有限公司", "燃气发展有限公司"],
        ["pressure_vessel", "pressure_piping"],
        2,
    ),
    "lpg": (
        ["液化气有限公司", "液化石油气有限公司", "石油液化气充装有限公司"],
        ["pressure_vessel", "pressure_piping"],
        1,
    ),
    "elevator_install": (
        ["电梯工程有限公司", "电梯安装工程有限公司", "机电设备安装有限公司"],
        ["elevator", "lifting"],
        2,
    ),
    "property": (["物业管理有限公司", "物业服务有限公司"], ["elevator"], 3),
    "realestate": (["房地产开发有限公司", "置业有限公司"], ["elevator", "lifting"], 2),
    "chemical": (
        ["化工有限公司", "化学工业有限公司", "精细化工有限公司"],
        ["pressure_vessel", "pressure_piping", "boiler"],
        2,
    ),
    "food": (
        ["食品有限公司", "食品工业有限公司", "饮料有限公司"],
        ["boiler", "pressure_vessel", "vehicle"],
        2,
    ),
    "hotel": (
        ["大酒店有限公司", "酒店管理有限公司", "国际酒店有限公司"],
        ["elevator", "boiler"],
        2,
    ),
    "hospital": ([], ["elevator", "boiler", "pressure_vessel"], 2),
    "logistics": (
        ["物流有限公司", "仓储物流有限公司", "冷链物流有限公司"],
        ["vehicle", "lifting", "elevator"],
        2,
    ),
    "building_materials": (
        ["建材有限公司", "新型建材有限公司", "混凝土有限公司"],
        ["lifting", "vehicle", "boiler"],
        2,
    ),
    "construction": (["建设工程有限公司", "建筑工程有限公司"], ["lifting", "vehicle"], 2),
    "thermal": (
        ["热电有限公司", "热力有限公司"],
        ["boiler", "pressure_piping", "pressure_vessel"],
        1,
    ),
    "gases": (["工业气体有限公司", "气体有限公司"], ["pressure_vessel"], 1),
    "paper": (["纸业有限公司", "包装材料有限公司"], ["boiler", "pressure_vessel", "lifting"], 1),
    "textile": (
        ["纺织有限公司", "织造有限公司", "印染有限公司"],
        ["boiler", "pressure_vessel", "lifting"],
        1,
    ),
    "shoes": (
        ["鞋业有限公司", "鞋服有限公司", "体育用品有限公司"],
        ["boiler", "elevator", "vehicle"],
        0,
    ),
    "ceramics": (["陶瓷有限公司", "瓷业有限公司"], ["boiler", "pressure_piping", "vehicle"], 0),
    "stone": (["石材有限公司", "石业有限公司"], ["lifting", "vehicle"], 0),
    "petrochem": (
        ["石化有限公司", "石油化工有限公司"],
        ["pressure_vessel", "pressure_piping", "boiler"],
        0,
    ),
    "port": (["港务有限公司", "码头有限公司"], ["lifting", "vehicle"], 0),
    "tea": (["茶业有限公司", "茶叶有限公司"], ["boiler"], 0),
    "newenergy": (
        ["新能源科技有限公司", "电池材料有限公司", "储能科技有限公司"],
        ["elevator", "lifting", "pressure_vessel", "vehicle"],
        0,
    ),
    "motor": (["电机有限公司", "电器有限公司"], ["lifting", "pressure_vessel"], 0),
    "seafood": (
        ["水产食品有限公司", "海洋食品有限公司", "冷冻食品有限公司"],
        ["boiler", "pressure_vessel", "pressure_piping"],
        0,
    ),
    "stainless": (["不锈钢有限公司", "特钢有限公司"], ["lifting", "vehicle", "pressure_piping"], 0),
    "crafts": (["工艺品有限公司", "古典家具有限公司"], ["boiler", "lifting"], 0),
    "bamboo": (["竹业有限公司", "竹木制品有限公司"], ["boiler", "lifting"], 0),
    "wood": (["木业有限公司", "人造板有限公司"], ["boiler", "vehicle"], 0),
    "tourism": (["旅游发展有限公司", "文化旅游有限公司"], ["ropeway", "amusement", "vehicle"], 0),
    "steel": (
        ["钢铁有限公司", "钢材加工有限公司"],
        ["lifting", "vehicle", "pressure_piping", "pressure_vessel"],
        0,
    ),
    "cement": (["水泥有限公司", "建材水泥有限公司"], ["lifting", "vehicle", "boiler"], 0),
    "mining": (["矿业有限公司", "矿产开发有限公司"], ["lifting", "vehicle"], 0),
}

BRANDS = [
    "华鑫",
    "恒达",
    "瑞丰",
    "宏远",
    "鑫源",
    "德润",
    "金泰",
    "博创",
    "顺通",
    "闽兴",
    "腾龙",
    "建新",
    "佳美",
    "泰和",
    "鸿运",
    "荣盛",
    "天成",
    "凯达",
    "亿丰",
    "新宇",
    "正通",
    "安捷",
    "宏达",
    "中联",
    "益民",
    "福源",
    "联盛",
    "众鑫",
    "富华",
    "晨光",
    "嘉禾",
    "广裕",
    "源泰",
    "祥瑞",
    "万福",
    "华达",
    "盛世",
    "宝丰",
    "东升",
    "立德",
    "信达",
    "金诚",
    "长青",
    "和顺",
    "展鹏",
    "同创",
    "百川",
    "远航",
    "晟达",
    "铭泰",
    "恒昌",
    "利民",
    "九鼎",
    "天润",
    "隆兴",
    "锦程",
    "鼎盛",
    "永兴",
    "汇通",
    "海峰",
    "协力",
    "海润",
    "泓信",
    "骏达",
    "昌盛",
    "兴达",
    "润丰",
    "明辉",
    "宏伟",
    "裕达",
    "中天",
    "金鹰",
    "启航",
    "美达",
    "群力",
    "大成",
    "恒信",
    "瑞源",
    "聚鑫",
    "坤泰",
    "福海",
    "鑫诚",
    "鹏程",
    "凯盛",
    "友联",
    "南星",
    "通达",
    "振兴",
]
HOSPITAL_BRANDS = ["仁爱", "康宁", "博爱", "安康", "惠民", "仁和", "济民", "德善", "康华", "慈济"]
ROADS = [
    "工业路",
    "创业路",
    "科技路",
    "滨江路",
    "兴业路",
    "环城路",
    "建设路",
    "解放路",
    "通港路",
    "经济开发区纬一路",
    "工业园区兴园路",
    "高新区创新大道",
    "城东路",
    "湖滨路",
    "民主路",
    "新华路",
    "沿河路",
    "园区二路",
    "站前路",
    "振兴路",
]

# --- activities -------------------------------------------------------------------

# Words for the eight equipment classes: the class as a title says it, then the words an
# enterprise might use for its own equipment.
EQUIPMENT_TITLE = {
    "boiler": "锅炉",
    "pressure_vessel": "压力容器",
    "pressure_piping": "压力管道",
    "elevator": "电梯",
    "lifting": "起重机械",
    "ropeway": "客运索道",
    "amusement": "大型游乐设施",
    "vehicle": "厂内机动车辆",
}
EQUIPMENT_WORDS = {
    "boiler": ["锅炉", "燃气锅炉", "生物质锅炉", "导热油炉", "蒸汽锅炉"],
    "pressure_vessel": ["压力容器", "储气罐", "空压机储气罐", "液化石油气储罐", "反应釜"],
    "pressure_piping": ["压力管道", "工业管道", "蒸汽管道", "燃气管道"],
    "elevator": ["电梯", "乘客电梯", "载货电梯", "自动扶梯"],
    "lifting": ["起重机", "桥式起重机", "门式起重机", "塔式起重机", "施工升降机"],
    "ropeway": ["客运索道"],
    "amusement": ["游乐设施", "观览车", "滑行车类游乐设施"],
    "vehicle": ["叉车", "观光车", "厂内机动车辆"],
}

INTERNAL_FORUM_FIRST = "第二批党的群众路线教育实践活动动员部署会"
INTERNAL_FORUM_LAST = "整改落实推进会"
INTERNAL_FORUM_MIDDLE = [
    "学习贯彻省局党组会议精神专题学习会",
    "“问题导向”专题讨论会",
    "检验一线职工座谈会",
    "中层干部座谈会",
    "意见建议梳理分析会",
    "青年职工座谈会",
    "查摆问题专题讨论会",
    "整改措施专题研究会",
    "离退休老同志座谈会",
]
INTERNAL_FORUM_TOPICS = {
    INTERNAL_FORUM_FIRST: "传达省局和院党委关于第二批教育实践活动的部署，"
    "明确分院活动安排和责任分工",
    INTERNAL_FORUM_LAST: "逐项检查整改措施落实情况，对未完成的事项明确责任人和时限",
    "学习贯彻省局党组会议精神专题学习会": "学习省局党组书记在分类指导座谈会上的讲话精神",
    "“问题导向”专题讨论会": "对照“问题导向”要求，讨论如何找准问题、解决问题",
    "检验一线职工座谈会": "听取检验一线人员对改进服务、提高效率的意见",
    "中层干部座谈会": "查找科室在服务企业、工作作风方面存在的不足",
    "意见建议梳理分析会": "对走访和座谈收集的企业意见逐条归类梳理，明确办理责任",
    "青年职工座谈会": "听取青年职工对改进作风、提升业务能力的意见建议",
    "查摆问题专题讨论会": "对照群众反映的问题逐一查摆，剖析原因",
    "整改措施专题研究会": "研究制定整改措施，区分立行立改和需省院研究解决的问题",
    "离退休老同志座谈会": "听取离退休老同志对分院作风建设的意见",
}

ENTERPRISE_FORUM_TITLES = [
    "{short}分院特种设备使用单位座谈会",
    "电梯使用单位和维保单位座谈会",
    "锅炉、压力容器使用单位座谈会",
    "{county}片区企业座谈会",
    "气瓶充装单位座谈会",
    "起重机械使用单位座谈会",
]
NINGDE_FORUM_TITLE = "宁德分院廉政和“院企共建”会议"
NINGDE_FORUM_MINUTES = (
    "分院召开廉政和“院企共建”会议，邀请宁德市区内60多位特种设备行业的负责人参加，"
    "通报分院廉政建设和服务承诺，发放廉政监督卡，落实省局“质量提升，服务进企业”的要求。"
    "会议拓宽意见反馈渠道，现场采取发言和背靠背填写意见表相结合的方式听取意见，"
    "共收集意见建议{count}条。"
)

LONGYAN_ONSITE_SITES = [
    "东湖花园",
    "新罗区保障性住房项目",
    "城区公租房项目",
    "城区学校学生公寓项目",
    "市区医院住院综合楼项目",
]
