"""The demo station's material: places, names, causes, the texts officers write, and how records move."""
from __future__ import annotations

from bisect import bisect_right
from datetime import date
from itertools import accumulate
from typing import Callable

from stdnum.cn import ric

# -- the station ---------------------------------------------------------------------------------
#: Branch offices (分局) with the county code their case numbers carry, and six stations each.
#: Consecutive seeds fall under the same branch, so seeds 1-6 can be merged at one branch office.
BRANCHES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("青山湖分局", "360111", ("湖坊", "塘山", "罗家", "上海路", "青山路", "昌东")),
    ("东湖分局", "360102", ("滨湖", "豫章", "墩子塘", "董家窑", "彭家桥", "沿江")),
    ("西湖分局", "360103", ("朝阳洲", "桃花", "南浦", "丁公路", "广润门", "系马桩")),
    ("青云谱分局", "360104", ("洪都", "三家店", "京山", "岱山", "徐家坊", "施尧")),
    ("新建分局", "360122", ("长堎", "望城", "生米", "西山", "石埠", "乐化")),
    ("南昌县公安局", "360121", ("莲塘", "向塘", "小蓝", "武阳", "冈上", "幽兰")),
)
#: How reports spread over the hours of the day (110 calls peak in the morning and the evening).
REPORT_HOURS = (1, .6, .4, .3, .3, .4, .8, 1.5, 2.5, 3, 3, 2.8, 2.5, 2.6, 2.8, 2.8, 2.7, 2.6, 2.6, 2.8, 2.8, 2.4, 1.8,
                1.3)

#: (name, kind): the kind decides which work a team mostly takes on.
TEAMS: tuple[tuple[str, str], ...] = (
    ("社区警务一队", "community"),
    ("治安巡逻队", "patrol"),
    ("案件办理队", "cases"),
    ("社区警务二队", "community"),
    ("矛盾纠纷调处组", "mediation"),
    ("社区警务三队", "community"),
)
#: Relative size of each kind of team.
TEAM_SIZE = {"cases": 1.6, "patrol": 1.3, "community": 1.0, "mediation": 0.6}
#: Share of each module's records taken by each kind of team.
TEAM_WORK = {
    "case": {"cases": 10, "patrol": 4, "community": 1.2, "mediation": 0.5},
    "dispute": {"cases": 0.6, "patrol": 3, "community": 4, "mediation": 6},
    "person": {"cases": 0.4, "patrol": 0.6, "community": 6, "mediation": 1},
}

COMMUNITIES = (
    "湖滨社区", "青山社区", "光明社区", "幸福社区", "建设社区", "永和社区", "站前社区", "文教社区",
    "新村社区", "胜利社区", "东方社区", "洪都社区", "贤士社区", "桃苑社区", "南莲社区", "丰和社区",
    "顺化社区", "民德社区", "百花洲社区", "铁路社区", "城南社区", "塘山社区", "艾溪社区", "高新社区",
    "京东社区", "瑶湖社区", "松柏社区", "梅岭社区", "象湖社区", "朝阳社区",
)
ROADS = (
    "北京东路", "上海路", "解放西路", "胜利路", "洪都大道", "青山南路", "湖滨东路", "民强路", "顺化门路",
    "火炬大街", "京东大道", "昌东大道", "贤士一路", "井冈山大道", "象山北路", "船山路", "孺子路", "阳明路",
    "丁公路", "站前路", "迎宾大道", "庐山南大道", "紫阳大道", "艾溪湖北路", "高新大道", "天祥大道",
    "南京东路", "八一大道", "抚河北路", "叠山路",
)
ESTATES = (
    "阳光花园", "锦绣华庭", "滨江名苑", "金色家园", "绿地新都会", "铁路新村", "青山湖畔", "东方明珠苑",
    "恒大名都", "万科城", "御景湾", "天赐良园", "职工宿舍", "幸福里", "丽景湾", "保利公园",
    "城市印象", "翠苑小区", "工业新村", "水电宿舍",
)
VENUES = (
    "农贸市场", "万达广场", "地铁站出口", "网吧", "KTV", "汽车站", "小学门口", "公园", "建筑工地",
    "快捷酒店", "超市", "烧烤店", "电动车充电桩", "停车场", "医院门诊部", "棋牌室", "物流园", "批发市场",
)
ORGANISATIONS = (
    "某建筑劳务公司", "某物业服务公司", "某外卖配送站", "某快递网点", "某装修公司", "某餐饮店",
    "某医院", "某诊所", "某商贸公司", "某物流公司", "某网约车平台", "某培训机构",
)

# -- people ----------------------------------------------------------------------------------------
#: Common surnames with rough weights, including the tricky readings (曾 单 解) and double surnames.
SURNAMES: tuple[tuple[str, float], ...] = (
    ("王", 7), ("李", 7), ("张", 6.5), ("刘", 6), ("陈", 5), ("杨", 3.5), ("黄", 3.5), ("赵", 2.5),
    ("吴", 2.5), ("周", 2.4), ("徐", 2.4), ("孙", 1.7), ("马", 1.5), ("朱", 1.5), ("胡", 2.5), ("郭", 1.3),
    ("何", 1.2), ("高", 1.2), ("林", 1.1), ("罗", 2), ("郑", 1), ("梁", 0.9), ("谢", 1), ("宋", 0.8),
    ("唐", 0.8), ("许", 0.8), ("韩", 0.7), ("冯", 0.7), ("邓", 1.2), ("曹", 0.7), ("彭", 1), ("曾", 1.1),
    ("肖", 0.8), ("田", 0.6), ("董", 0.6), ("袁", 0.6), ("潘", 0.6), ("于", 0.5), ("蒋", 0.5), ("蔡", 0.5),
    ("余", 0.9), ("杜", 0.5), ("叶", 0.5), ("程", 0.6), ("苏", 0.5), ("魏", 0.5), ("吕", 0.4), ("丁", 0.4),
    ("任", 0.4), ("沈", 0.4), ("姚", 0.4), ("卢", 0.4), ("姜", 0.4), ("崔", 0.3), ("钟", 0.5), ("谭", 0.4),
    ("陆", 0.4), ("汪", 0.5), ("范", 0.4), ("金", 0.3), ("石", 0.4), ("廖", 0.5), ("贾", 0.3), ("夏", 0.4),
    ("付", 0.4), ("方", 0.4), ("邹", 0.6), ("熊", 1.2), ("涂", 0.8), ("万", 0.9), ("龚", 0.4), ("雷", 0.4),
    ("单", 0.25), ("解", 0.2), ("欧阳", 0.3), ("司马", 0.05), ("上官", 0.05), ("诸葛", 0.03),
)
GIVEN_MALE = (
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞", "俊",
    "波", "峰", "亮", "建国", "建华", "国强", "志强", "志刚", "海波", "文斌", "晓东", "小龙", "小军",
    "春生", "冬生", "水根", "根生", "金华", "金龙", "学文", "德明", "永红", "卫东", "红兵", "建平", "国华",
    "振华", "家豪", "子轩", "浩然", "宇航", "俊杰", "志明", "文华", "天佑", "明辉", "建军", "海龙", "云飞",
    "晨阳", "博文", "思远", "一鸣", "立新", "宏伟", "爱民", "长春", "荣生", "福根", "发明", "仁杰", "锦涛",
)
GIVEN_FEMALE = (
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "婷", "慧", "琳", "洁", "秀英", "桂英",
    "玉兰", "秀兰", "春梅", "冬梅", "小红", "小燕", "丽华", "美玲", "晓丽", "雪梅", "海燕", "金凤", "翠花",
    "淑珍", "红梅", "建英", "春花", "丽萍", "雅琴", "思琪", "欣怡", "梓涵", "雨桐", "佳怡", "诗涵", "梦洁",
    "晓雯", "文静", "倩", "月娥", "凤英", "素芬", "银花", "莉", "颖", "菊香", "爱华", "桂花", "巧玲",
)
#: Minority names with the middle dot, as the domain requires names to allow it.
MINORITY_NAMES = ("阿依古丽·买买提", "买买提·艾力", "热依拉·吐尔逊")

# -- resident ID area codes ---------------------------------------------------------------------
#: (area code, first birth year it is valid for, last, weight) as python-stdnum's table knows them
#: (an ID is only valid when its area code existed in the birth year).
ID_AREAS: tuple[tuple[str, int, int, float], ...] = (
    ("360102", 1983, 2099, 6), ("360103", 1983, 2099, 6), ("360104", 1983, 2099, 5),
    ("360111", 1983, 2099, 8), ("360121", 1900, 2099, 8), ("360122", 1900, 2015, 5),
    ("360123", 1983, 2099, 2), ("360124", 1983, 2099, 3), ("360120", 1900, 1983, 10),
    ("360403", 1983, 2099, 1), ("360425", 1983, 2099, 1), ("360502", 1983, 2099, 0.8),
    ("360702", 1998, 2099, 1), ("360902", 2000, 2099, 1), ("361002", 2000, 2099, 1), ("361102", 2000, 2099, 1),
    ("362201", 1900, 2000, 1.5), ("362226", 1900, 2000, 1), ("362301", 1900, 2000, 1.5),
    ("362329", 1900, 2000, 1), ("362330", 1900, 2000, 1), ("362421", 1900, 2000, 1),
    ("362522", 1900, 2000, 1), ("362531", 1900, 2000, 1), ("362101", 1900, 1998, 1),
)
MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156",
    "157", "158", "159", "166", "173", "177", "180", "181", "182", "183", "185", "186", "187", "188",
    "189", "191", "198", "199",
)

# -- cases -------------------------------------------------------------------------------------------
#: (cause, category, weight, summary templates). Placeholders: {place} {victim} {suspect} {amount}.
CRIMINAL_CAUSES: tuple[tuple[str, str, float, tuple[str, ...]], ...] = (
    ("盗窃", "侵财类", 30, (
        "报警人{victim}称其停放在{place}的电动自行车被盗，价值约{amount}元。",
        "报警人{victim}称其位于{place}的住宅被人撬门入室，被盗现金及首饰价值约{amount}元。",
        "报警人{victim}称在{place}乘车时手机被扒窃，价值约{amount}元。")),
    ("诈骗", "电信网络诈骗", 22, (
        "受害人{victim}接到冒充电商客服的电话，按对方要求转账{amount}元后发现被骗。",
        "受害人{victim}在网络刷单兼职中被骗{amount}元。",
        "受害人{victim}被冒充公检法人员以涉嫌洗钱为由骗取{amount}元。")),
    ("故意伤害", "侵犯人身类", 7, (
        "{suspect}与{victim}在{place}发生口角后持械将其打伤，经鉴定为轻伤二级。",)),
    ("寻衅滋事", "扰序类", 5, (
        "{suspect}等人在{place}酒后无故滋事，随意殴打他人。",)),
    ("抢夺", "侵财类", 2, (
        "{victim}在{place}行走时被骑摩托车男子抢走挎包，内有现金{amount}元。",)),
    ("抢劫", "侵财类", 1, (
        "{victim}在{place}被两名男子持刀威胁，抢走现金{amount}元。",)),
    ("帮助信息网络犯罪活动", "电信网络诈骗", 5, (
        "经研判，{suspect}出租、出售本人银行卡供他人转移诈骗资金，流水{amount}元。",)),
    ("危险驾驶", "交通类", 8, (
        "{suspect}醉酒后驾驶小型轿车行至{place}被查获，血液酒精含量超标。",)),
    ("开设赌场", "涉赌类", 3, (
        "群众举报{place}有人组织聚众赌博，抽头渔利约{amount}元。",)),
    ("故意毁坏财物", "侵财类", 3, (
        "{suspect}因琐事将{victim}停放在{place}的车辆砸毁，损失约{amount}元。",)),
    ("掩饰、隐瞒犯罪所得", "侵财类", 2, (
        "{suspect}明知是盗窃所得电动车仍予以收购，涉案价值{amount}元。",)),
    ("容留他人吸毒", "涉毒类", 2, (
        "{suspect}在{place}出租屋内多次容留他人吸食毒品。",)),
    ("非法拘禁", "侵犯人身类", 1, (
        "{suspect}因债务纠纷将{victim}限制在{place}长达十余小时。",)),
)
ADMIN_CAUSES: tuple[tuple[str, str, float, tuple[str, ...]], ...] = (
    ("殴打他人", "侵犯人身类", 22, (
        "{suspect}与{victim}在{place}因琐事发生争执，{suspect}殴打{victim}致其轻微伤。",
        "{victim}报称在{place}被邻居{suspect}推搡殴打。")),
    ("盗窃", "侵财类", 16, (
        "{suspect}在{place}超市盗窃商品，价值{amount}元，被店员当场发现。",
        "报警人{victim}称其放在{place}的快递包裹被盗，价值约{amount}元。")),
    ("赌博", "涉赌类", 10, (
        "民警在{place}查获{suspect}等人以打麻将形式赌博，现场收缴赌资{amount}元。",)),
    ("故意损毁财物", "侵财类", 7, (
        "{suspect}酒后将{place}的玻璃门砸坏，损失约{amount}元。",)),
    ("吸毒", "涉毒类", 6, (
        "民警在{place}盘查时发现{suspect}尿检呈阳性，涉嫌吸食毒品。",)),
    ("扰乱单位秩序", "扰序类", 4, (
        "{suspect}在{place}大声吵闹、拒不离开，致使单位工作无法正常进行。",)),
    ("寻衅滋事", "扰序类", 4, (
        "{suspect}在{place}酒后追逐拦截他人。",)),
    ("卖淫嫖娼", "涉黄类", 3, (
        "民警在{place}查获一起卖淫嫖娼违法行为。",)),
    ("诈骗", "侵财类", 4, (
        "{suspect}以借款为由骗取{victim}现金{amount}元，数额较小。",)),
    ("非法侵入住宅", "侵犯人身类", 2, (
        "{suspect}因纠纷强行闯入{victim}位于{place}的住宅。",)),
    ("发送信息干扰他人正常生活", "扰序类", 2, (
        "{suspect}多次向{victim}发送侮辱、威胁短信，干扰其正常生活。",)),
    ("阻碍执行职务", "扰序类", 1.5, (
        "{suspect}在{place}阻碍民警依法盘查。",)),
    ("违反危险物品管理规定", "治安管理类", 1.5, (
        "民警在{place}检查时发现{suspect}违规储存液化气罐。",)),
)
#: Offences caught on the spot with a named suspect: the suspect is in hand from the start, so the
#: case enters at yellow (取得初步战果) or, for an administrative one, often green (当场处罚),
#: never red or orange (there is nothing left to find).
ON_THE_SPOT = frozenset({"危险驾驶", "吸毒", "赌博", "殴打他人"})
#: Causes a dispute that could not be mediated turns into (民转刑 / 民转行).
CONVERTED_CAUSES = {
    "criminal": (("故意伤害", "侵犯人身类"), ("寻衅滋事", "扰序类"), ("故意毁坏财物", "侵财类"),
                 ("非法拘禁", "侵犯人身类")),
    "administrative": (("殴打他人", "侵犯人身类"), ("故意损毁财物", "侵财类"), ("非法侵入住宅", "侵犯人身类"),
                       ("扰乱单位秩序", "扰序类")),
}

CASE_WORK = (
    "调取{place}周边监控视频，梳理嫌疑人活动轨迹", "走访询问现场目击证人", "对现场开展勘查，提取痕迹物证",
    "串并比对同类案件，发现相似作案手法", "开展资金流查询，冻结涉案账户", "传唤违法嫌疑人到所接受询问",
    "对嫌疑人落脚点开展蹲守", "将嫌疑人信息录入网上追逃系统", "与受害人核实损失情况", "协调技术部门开展研判",
    "赴外地调查取证", "提请检察院批准逮捕", "制作询问笔录并固定证据", "发布协查通报",
)
CASE_REASONS = {
    ("red", "yellow"): ("抓获犯罪嫌疑人，案件告破", "锁定并抓获嫌疑人，取得初步战果", "嫌疑人到案，如实供述作案经过"),
    ("red", "orange"): ("嫌疑人在逃，线索中断", "监控轨迹中断，暂无破案条件", "涉案账户资金已被转移，线索中断"),
    ("orange", "red"): ("串并侦查发现新线索，具备破案条件", "比对发现嫌疑人身份，具备破案条件",
                        "技术研判锁定嫌疑人落脚点"),
    ("yellow", "red"): ("深挖发现同伙线索，具备抓捕条件",),
    ("orange", "yellow"): ("串并案件中抓获同伙，取得初步战果",),
    ("yellow", "orange"): ("同案嫌疑人在逃，深挖暂无进展",),
}
CASE_CLOSE_REASONS = ("案件办结", "侦查终结，案件办结", "处罚决定已执行完毕", "依法处理完毕")
#: Closing outcomes, by kind and by whether the case was solved (破案) or closed unsolved.
CASE_OUTCOMES = {
    ("criminal", True): ("已移送检察院审查起诉", "侦查终结，移送审查起诉", "追缴赃款{amount}元发还受害人，移送起诉",
                         "犯罪嫌疑人取保候审后移送起诉"),
    ("administrative", True): ("行政拘留{days}日", "罚款{amount}元", "警告", "行政拘留{days}日并处罚款{amount}元",
                               "经调解双方达成协议，不予处罚", "情节轻微，不予行政处罚"),
    ("administrative", False): ("违法事实不能成立，终止调查", "违法嫌疑人身份无法查明，终止调查"),
}
ON_THE_SPOT_OUTCOMES = ("当场处罚：警告", "当场处罚：罚款{amount}元")

# -- disputes ---------------------------------------------------------------------------------------
#: focus area -> (weight, issues). Wages peak before the Spring Festival (see the generator).
DISPUTE_ISSUES: dict[str, tuple[float, tuple[str, ...]]] = {
    "family": (24, ("家庭琐事", "离婚财产分割", "赡养老人", "子女抚养", "彩礼返还")),
    "neighbour": (20, ("噪音扰民", "楼上漏水", "占用公共通道", "宠物伤人", "相邻通行")),
    "wages": (11, ("拖欠工资", "工程款结算", "工伤赔偿", "解除劳动合同补偿")),
    "property": (11, ("物业费收缴", "停车位占用", "电梯维修费用分摊", "装修扰民")),
    "land": (7, ("宅基地边界", "房屋租赁押金", "拆迁补偿款分配", "房屋买卖")),
    "medical": (5, ("医疗费用", "治疗效果不满", "手术并发症赔偿")),
    "new_work": (8, ("外卖骑手交通事故赔偿", "网约车平台派单扣款", "快递员工资扣罚", "直播带货货款")),
    "other": (14, ("交通事故赔偿", "消费退款", "借款纠纷", "合伙经营纠纷")),
}
DISPUTE_CATEGORIES = (("police_primary", 45), ("non_police", 40), ("assistance", 15))
DISPUTE_SOURCES = (("110", 48), ("visit", 26), ("walk_in", 16), ("referral", 10))
ASSISTANCE_ISSUES = ("老人走失", "儿童走失", "醉酒人员倒地", "精神异常人员滋扰", "轻生警情", "被困求助")
DISPUTE_DETAILS = (
    "双方情绪激动，现场有推搡行为。", "一方扬言要采取过激行为。", "多次协商未果，矛盾有激化苗头。",
    "涉及金额{amount}元，双方分歧较大。", "社区已介入调解一次，未达成一致。", "经初步了解，双方均有调解意愿。",
    "当事人多次到社区反映。", "涉及人数较多，需防止聚集。",
)
DISPUTE_WORK = {
    "visit": ("上门走访当事人{a}，了解诉求", "走访社区网格员，掌握双方近况", "入户走访，排查矛盾隐患"),
    "mediation": ("联合社区、综治中心组织双方调解", "邀请人民调解员参与调解", "在群众工作室组织双方面对面协商",
                  "联合司法所开展联合调解", "电话联系双方，释法说理"),
    "followup": ("回访当事人，协议履行情况良好", "回访双方当事人，未发现矛盾反弹", "电话回访，当事人表示满意"),
}
DISPUTE_REASONS = {
    ("yellow", "orange"): ("调解多次未果，久拖未决", "一方不接受调解方案，矛盾持续"),
    ("yellow", "red"): ("一方扬言报复，存在民转刑风险", "双方发生肢体冲突，矛盾激化"),
    ("orange", "red"): ("矛盾激化，存在民转刑风险", "当事人扬言采取极端行为"),
    ("orange", "yellow"): ("经多方调处，矛盾趋于缓和", "双方同意继续协商，风险降低"),
    ("red", "orange"): ("经稳控当事人情绪稳定，但尚未化解", "已落实稳控措施，风险有所降低"),
    ("red", "yellow"): ("风险隐患已消除，转为一般纠纷",),
}
DISPUTE_CLOSE_REASONS = ("调解完成", "双方达成调解协议", "矛盾纠纷化解")
DISPUTE_OUTCOMES = (
    "双方达成调解协议，{a}赔偿{b}{amount}元", "经调解双方握手言和", "签订人民调解协议书，当场履行",
    "{b}同意分期支付{amount}元", "引导当事人通过诉讼途径解决，双方认可", "经释法说理，当事人撤回诉求",
    "支付拖欠款项{amount}元，纠纷化解",
)
ASSISTANCE_OUTCOMES = ("已将求助人安全送回家中", "已联系家属接回", "已送医救治并通知家属", "已协助脱困")
CONVERT_WHY = ("一方持械伤人，涉嫌违法犯罪", "调解期间发生殴打，依法受案查处", "一方拒不接受调解并损毁财物",
               "矛盾激化引发治安案件")

# -- key persons --------------------------------------------------------------------------------------
PERSON_CATEGORY_WEIGHTS = {
    "red": (("serious_record", 4), ("extreme_threat", 2), ("mental_incident", 3), ("key_petitioner", 1.5)),
    "orange": (("veterans", 2), ("mass_involvement", 2.5), ("five_losses", 4)),
    "yellow": (("ordinary", 1),),
}
PERSON_SUMMARIES = {
    "serious_record": ("曾因{crime}罪被判处有期徒刑{years}年，{year}年刑满释放。",),
    "extreme_threat": ("因{issue}问题多次扬言采取极端行为。",),
    "mental_incident": ("患有精神分裂症，曾有肇事肇祸行为。", "患有精神障碍，曾持械威胁他人。"),
    "key_petitioner": ("因{issue}问题多次赴省进京非正常上访，被上级列为重点人员。",),
    "veterans": ("退役军人，参与涉退群体诉求活动。",),
    "mass_involvement": ("涉及某理财平台非法集资案，投资款{amount}元未追回。", "参与小区业主集体维权。"),
    "five_losses": ("生活失意、心理失衡，与家人关系紧张。", "投资失败、婚恋受挫，情绪不稳定。",
                    "家庭矛盾突出，行为偶有失常。"),
    "ordinary": ("社区矫正对象，定期报到。", "刑满释放人员，已回归社会。", "有吸毒史，已戒断三年以上。",
                 "曾因治安违法被处罚。"),
}
PERSON_CRIMES = ("故意伤害", "抢劫", "盗窃", "贩卖毒品", "诈骗", "寻衅滋事")
PERSON_ISSUES = ("征地拆迁补偿", "劳动争议", "医疗纠纷", "家庭财产", "涉法涉诉")
CONTROL_PLANS = {
    "red": ("落实一人一专班，专班民警每周见面谈话，推送天网系统24小时盯控，发现异常立即报告。",
            "所领导包保，社区民警、网格员、家属共同稳控，纳入天网重点布控，每日掌握动态。"),
    "orange": ("社区民警每两周见面谈话一次，网格员每周掌握动态，重要节点专人稳控。",
               "联合社区、退役军人服务站做好思想稳控，发现聚集苗头及时处置。"),
    "yellow": ("社区民警每月走访一次，网格员日常掌握动态。", "纳入社区日常管理，定期见面了解近况。"),
    "green": ("动态关注，定期了解近况。",),
}
MENTAL_PLAN = "落实“四帮一”管控小组，监护人签订有奖监护协议，按时服药。"
PERSON_WORK = {
    "talk": ("见面谈话，了解近期生活工作情况，情绪稳定", "约谈本人，告知法律后果，其表示遵纪守法",
             "入户见面，核实居住及就业情况"),
    "counselling": ("开展教育疏导，讲解相关法律政策", "联合心理咨询师开展心理疏导", "联合社区做好帮扶救助"),
    "stabilise": ("联合家属、社区做好思想稳控工作", "重要节点期间落实稳控措施，人员在控", "协调解决合理诉求，情绪平稳"),
    "watch": ("专人盯控，天网比对轨迹正常", "天网预警核查，人员在本地活动", "专班民警实地核查，人员在家"),
}
PERSON_REASONS = {
    ("red", "orange"): ("经综合评估现实危险性降低", "病情稳定，按时服药，风险降低"),
    ("red", "yellow"): ("经专班评估已无重大现实危险",),
    ("orange", "yellow"): ("诉求已妥善解决，情绪稳定", "经评估风险下降，转为一般管控"),
    ("orange", "red"): ("近期扬言采取极端行为，风险升高", "有赴外地聚集迹象，风险升高"),
    ("yellow", "orange"): ("近期生活受挫，情绪波动较大", "参与群体诉求活动"),
    ("yellow", "red"): ("扬言报复社会，风险急剧升高", "精神病情复发，有肇事迹象"),
    ("green", "yellow"): ("重新发现风险苗头，恢复列管",),
}
DELIST_REASONS = ("撤销列管", "经综合评估撤销列管")
DELIST_OUTCOMES = ("经专班综合评估已无现实危害，符合撤销列管条件", "本人已迁出辖区，办理移交后撤销列管",
                   "刑满释放满五年，表现良好，无现实危害", "病情长期稳定，监护落实，经评估撤销列管")
DEDICATED_DUTIES = ("专班组长", "包保责任民警", "盯控民警", "信息研判", "网格联络")
GUARDIAN_RELATIONS = ("父亲", "母亲", "配偶", "兄长", "姐姐", "儿子", "女儿")

VOID_REASONS = ("重复录入", "录入信息有误，重新登记", "经核实非本辖区管辖，已移交", "报警人系误报")
PERSON_VOID_REASONS = ("经核实不符合列管条件，录入有误", "人员信息录入错误，已重新登记")

# -- making material -------------------------------------------------------------------------------
class Material:
    """Names, numbers and places drawn from `self.rnd` (the generator's current random stream)."""

    rnd: Callable[[], float]
    pick_surname: Callable[[], str]
    county: str
    roads: tuple[str, ...]
    estates: tuple[str, ...]
    _ids_seen: set[str] | None = None
    _areas: dict[int, tuple[list[str], list[float]]]

    def one(self, seq):
        return seq[int(self.rnd() * len(seq))]

    def name(self, male: bool) -> str:
        pool = GIVEN_MALE if male else GIVEN_FEMALE
        return self.pick_surname() + pool[int(self.rnd() * len(pool))]

    def mobile(self) -> str:
        return self.one(MOBILE_PREFIXES) + "%08d" % int(self.rnd() * 1e8)

    def amount(self) -> int:
        return self.one((200, 300, 500, 800, 1200, 1500, 2000, 3000, 5000, 8000, 12000, 20000, 50000, 130000))

    def address(self) -> str:
        r = self.rnd
        if r() < 0.6:
            return (f"{self.one(self.estates)}{1 + int(r() * 30)}栋{1 + int(r() * 4)}单元"
                    f"{1 + int(r() * 30)}0{1 + int(r() * 4)}室")
        return f"{self.one(self.roads)}{1 + int(r() * 400)}号"

    def place(self) -> str:
        r = self.rnd()
        if r < 0.45:
            return f"{self.one(self.roads)}{1 + int(self.rnd() * 400)}号{self.one(VENUES)}"
        if r < 0.8:
            return f"{self.one(self.estates)}小区"
        a, b = self.one(self.roads), self.one(self.roads)
        return f"{a}与{b}交叉口" if a != b else f"{a}沿线"

    def resident_id(self, male: bool, last_year: int) -> tuple[str, str]:
        """A new valid resident ID number (GB 11643) and its birth date: an area code that
        existed in the birth year, the sequence odd for men, the check character computed."""
        if self._ids_seen is None:
            self._ids_seen, self._areas = set(), {}
        rnd = self.rnd
        while True:
            year = int(1950 + (last_year + 1 - 1950) * (rnd() + rnd()) / 2)  # most born in the 1970s-80s
            if year not in self._areas:
                ok = [(a, w * (4 if a == self.county else 1)) for a, lo, hi, w in ID_AREAS if lo <= year <= hi]
                self._areas[year] = ([a for a, _ in ok], list(accumulate(w for _, w in ok)))
            codes, cum = self._areas[year]
            area = codes[min(bisect_right(cum, rnd() * cum[-1]), len(codes) - 1)]
            birth = date.fromordinal(date(year, 1, 1).toordinal() + int(rnd() * (366 if year % 4 == 0 else 365)))
            body = f"{area}{birth:%Y%m%d}{int(rnd() * 500) * 2 + (1 if male else 0):03d}"
            number = body + ric.calc_check_digit(body + "0")
            if number not in self._ids_seen:
                self._ids_seen.add(number)
                return number, birth.isoformat()


# -- how records move ------------------------------------------------------------------------------
# Level walks: level -> ((next level or 'convert', probability, minimum days, mean extra days), ...);
# the probabilities left over mean the record stays where it is.
CRIMINAL_EARLY = {
    "red": (("yellow", 0.55, 2, 20), ("orange", 0.45, 5, 25)),
    "orange": (("red", 0.25, 10, 110),),  # unsolved criminal cases stay open
    "yellow": (("green", 0.80, 10, 45), ("red", 0.05, 5, 30), ("orange", 0.03, 10, 60)),
    "green": (),
}
CRIMINAL_LATE = {**CRIMINAL_EARLY,
                 "red": (("yellow", 0.74, 2, 14), ("orange", 0.26, 5, 25)),
                 "orange": (("red", 0.36, 10, 80),)}
ADMIN_EARLY = {
    "red": (("green", 0.82, 0, 10), ("orange", 0.18, 3, 20)),
    "orange": (("red", 0.40, 5, 60), ("green", 0.30, 30, 120)),
    "yellow": (("green", 0.95, 0, 7),),
    "green": (),
}
ADMIN_LATE = {**ADMIN_EARLY, "red": (("green", 0.90, 0, 7), ("orange", 0.10, 3, 20))}
DISPUTE_WALK = {
    "yellow": (("green", 0.90, 0, 5), ("orange", 0.05, 7, 20), ("red", 0.015, 1, 10), ("convert", 0.005, 1, 10)),
    "orange": (("green", 0.68, 5, 35), ("red", 0.07, 3, 20), ("yellow", 0.10, 5, 20), ("convert", 0.08, 3, 25)),
    "red": (("yellow", 0.25, 1, 6), ("orange", 0.30, 1, 8), ("green", 0.20, 2, 10), ("convert", 0.25, 0, 5)),
    "green": (),
}
#: Assistance calls (救助) are settled on the spot or soon after; they never become cases.
ASSISTANCE_WALK = {  # every step moves on: an assistance call is never left open for years
    "yellow": (("green", 0.98, 0, 1), ("orange", 0.02, 3, 10)),
    "orange": (("green", 0.88, 1, 10), ("yellow", 0.12, 1, 5)),
    "red": (("yellow", 0.40, 0, 2), ("green", 0.60, 0, 3)),
    "green": (),
}
#: A record that stays at its level (the one kept red and open for the morning meeting).
HOLD = {"red": (), "orange": (), "yellow": (), "green": ()}
PERSON_WALK = {
    "red": (("orange", 0.45, 30, 200), ("yellow", 0.12, 60, 300)),
    "orange": (("yellow", 0.35, 30, 220), ("red", 0.08, 20, 200), ("green", 0.12, 90, 320)),
    "yellow": (("green", 0.33, 60, 330), ("orange", 0.10, 30, 260), ("red", 0.04, 30, 300)),
    "green": (("yellow", 0.06, 60, 200),),
}


# -- what officers write, per module -----------------------------------------------------------------
class Texts:
    """What officers write in one module: reasons, closing outcomes and work entries."""

    generic = ("经会商研判调整等级",)

    def __init__(self, g, reasons: dict):
        self.g, self.reasons = g, reasons
        self.last_outcome = ""

    def before_change(self, rec, t: int, frm: str, to: str) -> None:
        return None


class PersonTexts(Texts):
    def close(self, rec, frm: str) -> tuple[str, str]:
        self.last_outcome = self.g.one(DELIST_OUTCOMES)
        return self.g.one(DELIST_REASONS), self.last_outcome

    def work(self, rec) -> tuple[str, str]:
        r = self.g.rnd()
        lvl = rec.level
        if lvl == "red":
            kind = "watch" if r < 0.35 else "talk" if r < 0.65 else "stabilise" if r < 0.85 else "counselling"
        elif lvl == "orange":
            kind = "talk" if r < 0.45 else "stabilise" if r < 0.75 else "counselling"
        else:
            kind = "talk" if r < 0.7 else "counselling"
        return kind, self.g.one(PERSON_WORK[kind])


class DisputeTexts(Texts):
    a = b = ""
    assistance = False

    def close(self, rec, frm: str) -> tuple[str, str]:
        g = self.g
        if self.assistance:
            self.last_outcome = g.one(ASSISTANCE_OUTCOMES)
        else:
            self.last_outcome = g.one(DISPUTE_OUTCOMES).format(a=self.a, b=self.b, amount=g.amount())
        return g.one(DISPUTE_CLOSE_REASONS), self.last_outcome

    def work(self, rec) -> tuple[str, str]:
        kind = "visit" if self.g.rnd() < 0.4 else "mediation"
        return kind, self.g.one(DISPUTE_WORK[kind]).format(a=self.a)

    def before_change(self, rec, t: int, frm: str, to: str) -> None:
        # Mediation is done before a dispute is marked mediated (green).
        if to == "green" and not self.assistance:
            ta = t - 300 - int(self.g.rnd() * 3000)
            if ta > rec.last_t:
                self.g.act(rec, ta, "mediation", rec.off[0], self.g.one(DISPUTE_WORK["mediation"]).format(a=self.a))


class CaseTexts(Texts):
    kind = "criminal"
    place = ""

    def close(self, rec, frm: str) -> tuple[str, str]:
        g = self.g
        solved = frm != "orange"  # an administrative case closed from orange was never cleared up
        pool = CASE_OUTCOMES[(self.kind, solved)]
        self.last_outcome = g.one(pool).format(amount=g.amount(), days=g.one((3, 5, 7, 10, 15)))
        return g.one(CASE_CLOSE_REASONS), self.last_outcome

    def work(self, rec) -> tuple[str, str]:
        return "investigation", self.g.one(CASE_WORK).format(place=self.place)
