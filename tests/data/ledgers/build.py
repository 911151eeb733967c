"""Ledgers in the shapes stations really keep, written with openpyxl / csv, and what each row must become.

Every builder returns the expected outcome of every line (line → (outcome, words the reason
must contain)), so tests check each row, not only the totals. Dates are placed relative to
`today` (this month, the month before, a year before) so the statistics can be worked out by
hand for any day the tests run.
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

# Valid resident ID numbers (check characters computed with stdnum.cn.ric).
ID_ZHAO = "110105197503150014"  # male, 1975-03-15
ID_LINA = "11010519900402002X"  # female, 1990-04-02
ID_WANGFANG_OLD = "110105198507070024"  # female, 1985-07-07 (already on file)
ID_WANGFANG_NEW = "110105199211110028"  # female, 1992-11-11 (a namesake)
ID_CHEN = "360102197001010035"  # male, 1970-01-01 (already on file)
ID_BAD_CHECK = "110105198005050016"  # the right check character is 5
ID_AS_NUMBER = 110105198005050015  # typed into a General cell: Excel keeps 15 digits


@dataclass(frozen=True)
class Days:
    """This month's first day, the month before's first day, the same month a year before."""

    today: date

    @property
    def m(self) -> date:
        return self.today.replace(day=1)

    @property
    def p(self) -> date:
        return (self.m - timedelta(days=1)).replace(day=1)

    @property
    def y(self) -> date:
        return self.m.replace(year=self.m.year - 1)


def cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def dotted(d: date) -> str:
    return f"{d.year}.{d.month}.{d.day}"


def slashed(d: date) -> str:
    return f"{d.year}/{d.month:02d}/{d.day:02d}"


def excel_serial(d: date) -> int:
    return (d - date(1899, 12, 30)).days


def _sheet_with_title(ws, title: str, subtitle: str, header: list[str]) -> None:
    """Two merged title rows above the header, the way ledgers are printed for the wall."""
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append([subtitle])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(header))
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(header)


# -- cases -----------------------------------------------------------------------------------------
CASE_HEADER = ["序号", "案件编号", "案件类别", "案由", "受案日期", "立案日期", "破案日期", "办结日期", "预警等级",
               "简要案情", "发案地点", "责任民警", "带班领导", "所领导", "备注"]


def case_ledger(path: Path, today: date) -> dict[int, tuple[str, str]]:
    """A case ledger: title rows, dates as Excel dates / text in three forms / Excel day numbers /
    yyyymmdd numbers, colours as words, a blank line, a duplicate, a total row and a sign-off."""
    d = Days(today)
    wb = Workbook()
    ws = wb.active
    ws.title = "案件台账"
    _sheet_with_title(ws, "城关派出所刑事、行政案件台账", f"填报单位：社区警务一队    截至{cn(today)}", CASE_HEADER)
    rows = [
        # line 4..
        [1, "A001", "刑事", "入室盗窃", datetime.combine(d.p - timedelta(days=5), datetime.min.time()),
         d.p - timedelta(days=4), cn(d.m), None, "黄色", "3栋被盗", "东门小区", "张伟", "李强", "王建国", ""],
        [2, "A002", "刑事案件", "电信诈骗", dotted(d.p - timedelta(days=3)), None, slashed(d.p), None, "橙",
         "冒充客服", "", "张伟", "李强", "王建国", ""],
        [3, "A003", "行政", "殴打他人", excel_serial(d.p), None, None, datetime.combine(d.m, datetime.min.time()),
         "绿色", "已处罚", "", "刘洋", "陈刚", "王建国", ""],
        [None] * 15,
        [4, "A004", "刑事", "盗窃电动车", int(d.y.strftime("%Y%m%d")), None, cn(d.y), None, "红色", "", "", "张伟",
         "", "", ""],
        [5, "A005", "刑事", "抢夺", cn(d.p), None, None, None, "高", "", "", "张伟", "李强", "王建国", ""],
        [6, "A006", "刑事", "盗窃", "2025.2.30", None, None, None, "黄色", "", "", "张伟", "李强", "王建国", ""],
        [7, "A007", "刑事", "诈骗", cn(d.p), None, None, None, "黄色", "", "", "赵六", "李强", "王建国", ""],
        [8, "A008", "行政", "赌博", cn(d.p), None, None, None, "绿色", "", "", "刘洋", "陈刚", "王建国", ""],
        [9, "A009", "刑事", "盗窃", slashed(d.p), None, dotted(d.m), None, "黄色", "", "", "刘洋", "陈刚", "王建国", ""],
        [10, "A001", "刑事", "入室盗窃", datetime.combine(d.p - timedelta(days=5), datetime.min.time()),
         d.p - timedelta(days=4), cn(d.m), None, "黄色", "3栋被盗", "东门小区", "张伟", "李强", "王建国", ""],
        ["合计", None, None, None, None, None, None, None, None, "共10件", None, None, None, None, None],
        ["制表人：张伟", None, None, None, None, None, None, "审核：李强"],
    ]
    for r in rows:
        ws.append(r)
    ws.merge_cells(start_row=15, start_column=1, end_row=15, end_column=9)  # the total row's label spans
    wb.save(path)
    return {
        4: ("imported", ""), 5: ("imported", ""), 6: ("imported", ""), 7: ("skipped", "空行"),
        8: ("imported", ""), 9: ("rejected", "预警等级“高”无法识别"), 10: ("rejected", "“2025.2.30”不是有效日期"),
        11: ("rejected", "责任民警“赵六”不在本所民警名单中"), 12: ("rejected", "须填写办结日期"),
        13: ("imported", ""), 14: ("present", "与第4行重复"), 15: ("skipped", "合计"), 16: ("skipped", "表尾"),
    }


# -- disputes --------------------------------------------------------------------------------------
DISPUTE_HEADER = ["序号", "纠纷编号", "纠纷类别", "来源", "当事人", "发现日期", "化解日期", "调解结果", "回访满意",
                  "风险级别", "化解状态", "责任民警", "所领导"]
#: How another tool's levels and statuses map onto ours: what a person chooses once.
DISPUTE_MAPPING = {
    "values": {"预警等级": {"高": "红色", "中": "橙色", "低": "黄色"},
               "化解状态": {"待化解": "在办（未结）", "调解中": "在办（未结）", "已调解": "已办结/已化解",
                        "待关注": "在办（未结）"}},
}


def dispute_rows(today: date) -> list[list]:
    d = Days(today)
    return [
        [1, "J001", "公安主责类", "110警情", "赵甲、钱乙", d.m, None, "", "", "高", "待化解", "张伟", "王建国"],
        [2, "J002", "非公安主责", "走访", "孙丙、李丁", cn(d.m), cn(d.m), "双方和解", "满意", "", "已调解", "张伟", "王建国"],
        [3, "J003", "公安主责类", "来所反映", "周戊", dotted(d.p), slashed(d.m), "赔偿到位", "基本满意", "", "已调解", "刘洋",
         "王建国"],
        [4, "J004", "重要救助警情", "110", "吴己", slashed(d.m), None, "", "", "低", "待关注", "刘洋", "王建国"],
        [5, "J005", "公安主责类", "部门移交", "郑庚、王辛", d.m.strftime("%Y-%m-%d"), None, "", "", "中", "调解中", "张伟",
         "王建国"],
        [6, "J006", "公安主责类", "110警情", "冯壬", cn(d.m), None, "", "", "特急", "待化解", "张伟", "王建国"],
        [7, "J007", "公安主责类", "110警情", "陈癸", cn(d.m), cn(d.m), "已和解", "", "高", "已调解", "张伟", "王建国"],
        [8, "J008", "公安主责类", "110警情", "褚子", cn(d.m), cn(d.m), "", "", "", "已调解", "张伟", "王建国"],
    ]


DISPUTE_EXPECTED = {
    4: ("imported", ""), 5: ("imported", ""), 6: ("imported", ""), 7: ("imported", ""), 8: ("imported", ""),
    9: ("rejected", "预警等级“特急”无法识别"),
    # history: red while open, mediated on its day (a ledger records both); 已调解 is its own outcome
    10: ("imported", "按台账历史导入：在办时为红色"), 11: ("imported", ""),
}


def dispute_ledger(path: Path, today: date) -> dict[int, tuple[str, str]]:
    wb = Workbook()
    ws = wb.active
    ws.title = "矛盾纠纷"
    _sheet_with_title(ws, "矛盾纠纷排查化解台账", "城关派出所", DISPUTE_HEADER)
    for r in dispute_rows(today):
        ws.append(r)
    ws.append([])
    ws.append(["总计", None, None, None, "8起"])
    wb.save(path)
    return {**DISPUTE_EXPECTED, 12: ("skipped", "空行"), 13: ("skipped", "合计")}


def dispute_csv(path: Path, today: date, encoding: str) -> dict[int, tuple[str, str]]:
    """The same disputes as a CSV saved by Excel/WPS: no title rows, dates as text."""
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(DISPUTE_HEADER)
        for r in dispute_rows(today):
            w.writerow([v.isoformat() if isinstance(v, date) else ("" if v is None else v) for v in r])
        w.writerow(["合计", "", "", "", "8起"])
    return {line - 2: want for line, want in DISPUTE_EXPECTED.items()} | {10: ("skipped", "合计")}


def write_mapping(path: Path, data: dict) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# -- key persons -----------------------------------------------------------------------------------
PERSON_HEADER = ["序号", "姓名", "身份证号", "性别", "出生日期", "联系电话", "现住址", "人员类别", "管控措施", "列管日期",
                 "预警等级", "责任民警"]


def person_ledger(path: Path, today: date) -> dict[int, tuple[str, str]]:
    """Key persons: an ID column where one cell was typed as a number, people without ID numbers,
    a spelling variant of someone in the same ledger, a namesake and a person already on file.
    Expects 王芳 (ID_WANGFANG_OLD), 陈静 (ID_CHEN) and 周杰 (no ID) on file already."""
    d = Days(today)
    wb = Workbook()
    ws = wb.active
    ws.title = "重点人员"
    _sheet_with_title(ws, "重点人员管控台账", "城关派出所", PERSON_HEADER)
    rows = [
        [1, "赵六", ID_ZHAO, "", None, "13812345678", "东门路1号", "一般重点人员", "每月谈话", cn(d.p), "黄色", "张伟"],
        [2, "钱七", ID_AS_NUMBER, "", None, "", "东门路2号", "一般", "", cn(d.p), "黄色", "张伟"],
        [3, "孙八", ID_BAD_CHECK, "", None, "", "东门路3号", "一般", "", cn(d.p), "黄色", "张伟"],
        [4, "李娜", "", "女", "1990-04-02", "", "东门路8号", "五失人员", "", cn(d.p), "橙色", "张伟"],
        [5, "李那", "", "女", "1990.4.2", "13912345678", "东门路8号", "五失", "", cn(d.p), "橙色", "张伟"],
        [6, "王芳", ID_WANGFANG_NEW, "", None, "", "西街5号", "一般", "", cn(d.p), "黄色", "刘洋"],
        [7, "王芳", "", "女", "1960/01/01", "", "南街9号", "一般", "", cn(d.p), "黄色", "刘洋"],
        [8, "周杰", "", "", None, "", "", "一般", "", cn(d.p), "黄色", "刘洋"],
        [9, "吴九", "", "", None, "", "", "扬言极端", "", cn(d.p), "红色", "刘洋"],
        [10, "陈静", ID_CHEN, "", None, "", "", "一般", "", cn(d.p), "黄色", "刘洋"],
    ]
    for r in rows:
        ws.append(r)
    ws.cell(5, 3).number_format = "0"  # the row of 钱七: a General/number cell, as officers type it
    wb.save(path)
    return {
        4: ("imported", ""), 5: ("rejected", "被Excel存成了数字"), 6: ("rejected", "校验位错误"),
        7: ("imported", ""), 8: ("merged", "姓名同音"), 9: ("imported", ""), 10: ("imported", ""),
        11: ("imported", ""), 12: ("rejected", "管控方案"), 13: ("present", "身份证号相同"),
    }


# -- another tool's workbook: several sheets, its own titles, informal officer names, history ----------
OTHER_CASE_HEADER = ["序号", "案件编号", "案件名称", "案件类型", "案发时间", "风险等级", "责任民警", "办理进度", "办结日期"]
OTHER_DISPUTE_HEADER = ["序号", "事件名称", "事件类型", "事件内容", "事发时间", "风险等级", "责任民警", "处置进度"]
OTHER_PERSON_HEADER = ["序号", "姓名", "身份证号", "风险类型", "风险问题", "管控措施", "列管日期", "风险等级", "责任民警",
                       "处置进度", "撤管日期", "整改期限"]
BADGE_ZHAO = "031245"  # 赵磊's badge number, added to the roster by the tests


def other_tool_mapping(today: date) -> dict[str, dict]:
    """What a person answers once per sheet: officers as the tool writes them, and for the disputes
    sheet the columns it lacks (category, source, the ledger's cut-off day for closed rows)."""
    d = Days(today)
    officers = {"陈警官": "陈刚", "李队": "李强", "张玮": "张伟", "周警官": {"add_to_team": "社区警务一队"}, "某警官": None}
    return {
        "案件": {"officers": officers},
        "矛盾纠纷": {"officers": officers,
                 "defaults": {"纠纷类别": "公安主责类", "来源": "走访排查", "化解日期": d.m.isoformat(), "转案案件类别": "刑事"}},
        "重点人员": {"officers": officers},
    }


def other_tool_workbook(path: Path, today: date) -> dict[str, dict[int, tuple[str, str]]]:
    """The sample workbook of another police tool: a notes sheet, then cases, disputes and key
    persons in that tool's titles; colours kept on closed rows (the level while open); officers as
    陈警官, a badge number, a typo, someone not on the roster. Returns sheet → line → outcome."""
    d = Days(today)
    wb = Workbook()
    notes = wb.active
    notes.title = "填报说明"
    notes.append(["本表由XX平台导出，请勿修改表头"])
    cases = wb.create_sheet("案件")
    cases.append(OTHER_CASE_HEADER)
    for r in [
        [1, "C101", "盗窃电动车", "刑事", d.y, "红色", "陈警官", "已结", d.y + timedelta(days=10)],
        [2, "C102", "殴打他人", "行政", d.y, "橙色", "张玮", "已办结", d.y + timedelta(days=5)],
        [3, "C103", "电信诈骗", "刑事", d.p, "黄色", BADGE_ZHAO, "在办", None],
        [4, "C104", "寻衅滋事", "行政", d.p, "绿色", "周警官", "已结", d.p],
        [5, "C105", "诈骗", "刑事", d.p, "黄色", "某警官", "在办", None],
    ]:
        cases.append(r)
    disputes = wb.create_sheet("矛盾纠纷")
    disputes.append(OTHER_DISPUTE_HEADER)
    for r in [
        [1, "张某与李某邻里纠纷", "邻里矛盾", "楼上漏水引发争吵", d.y, "橙色", "陈警官", "已调解"],
        [2, "王某婚姻家庭纠纷", "婚姻家庭", "离婚财产分割", d.y, "红色", "李队", "调解成功"],
        [3, "赵某讨薪纠纷", "欠薪讨薪", "工资拖欠三个月", d.p, "黄色", BADGE_ZHAO, "未结"],
        [4, "钱某宅基地纠纷", "宅基地纠纷", "宅基地边界争议", d.y, "橙色", "张伟", "转案件"],
        [5, "孙某与物业纠纷", "物业纠纷", "停车费争议", d.m, "绿色", "刘洋", "已化解"],
        [6, "周某纠纷", "邻里矛盾", "口角", d.m, "特急", "张伟", "未结"],
    ]:
        disputes.append(r)
    persons = wb.create_sheet("重点人员")
    persons.append(OTHER_PERSON_HEADER)
    for r in [
        [1, "赵六", ID_ZHAO, "扬言极端", "扬言报复社会", "专人盯控", d.y, "红色", "陈警官", "撤销列管", d.p, None],
        [2, "李娜", ID_LINA, "一般", "家庭矛盾", "每月谈话", d.p, "黄色", "张伟", "在管", None, today + timedelta(days=30)],
    ]:
        persons.append(r)
    wb.save(path)
    return {
        "案件": {2: ("imported", "在办时为红色"), 3: ("imported", "在办时为橙色"), 4: ("imported", ""),
               5: ("imported", ""), 6: ("rejected", "责任民警“某警官”按映射不予导入")},
        "矛盾纠纷": {2: ("imported", "在办时为橙色"), 3: ("imported", "在办时为红色"), 4: ("imported", ""),
                 5: ("imported", "转为案件"), 6: ("imported", ""), 7: ("rejected", "预警等级“特急”无法识别")},
        "重点人员": {2: ("imported", "在办时为红色"), 3: ("imported", "")},
    }
