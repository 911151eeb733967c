"""The briefing's slides: overview, since the last briefing, red records, overdue, trends, headline figures.

Each page paints one Briefing (app.services.briefing) onto the 1920x1080 canvas; nothing here
queries. Colours are the projector theme's tokens, and every level colour comes with its shape
and its name. The red lists run over as many slides as they need (ten rows a slide).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QLocale

from app.domain.levels import (
    FOCUS_AREA_NAMES,
    LEVEL_NAMES,
    LEVEL_ORDER,
    MEANINGS,
    MODULE_NAMES,
    PERSON_RISK_CATEGORIES,
    Level,
    Module,
)
from app.domain.workflows import REPEAT_ALERT_DAYS
from app.services.briefing import Briefing, ChangeItem, RedList
from ui.briefing.canvas import CENTER, HEIGHT, LEFT, RIGHT, WIDTH, SlidePainter
from ui.records.columns import code_label, joined, lang_index

CONTEXT = "Briefing"
MARGIN = 60
HEADER_H = 120
FOOTER_H = 64
BODY_TOP = HEADER_H + 24
BODY_BOTTOM = HEIGHT - FOOTER_H - 16
RED_ROWS = 10
ACTIVE_LEVELS = (Level.RED, Level.ORANGE, Level.YELLOW)
UNITS = {"case": "件", "dispute": "起", "person": "人"}  # Chinese only: in English the column names the unit
#: What green means as a running total, per module.
GREEN_HINTS = {"case": QT_TRANSLATE_NOOP(CONTEXT, "累计办结"), "dispute": QT_TRANSLATE_NOOP(CONTEXT, "累计化解"),
               "person": QT_TRANSLATE_NOOP(CONTEXT, "已撤销列管")}
KIND_LABELS = {"new": QT_TRANSLATE_NOOP(CONTEXT, "新增"), "raised": QT_TRANSLATE_NOOP(CONTEXT, "升级"),
               "lowered": QT_TRANSLATE_NOOP(CONTEXT, "降级"), "closed": QT_TRANSLATE_NOOP(CONTEXT, "办结/化解/撤管"),
               "converted": QT_TRANSLATE_NOOP(CONTEXT, "纠纷转案件"), "voided": QT_TRANSLATE_NOOP(CONTEXT, "作废")}
MODULE_KEYS = ("case", "dispute", "person")


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def module_name(code: str) -> str:
    return MODULE_NAMES[Module(code)][lang_index()]


def level_name(level: Level | str) -> str:
    return LEVEL_NAMES[Level(level)][lang_index()]


def short_level_name(level: Level | str) -> str:
    """红 / Red: beside the level's shape where a line has little room."""
    name = level_name(level)
    return name[0] if lang_index() == 0 else name


def unit(module: str) -> str:
    """件 / 起 / 人 after a count; nothing in English, where the heading says what is counted."""
    return UNITS[module] if lang_index() == 0 else ""


def day_label(d: date | None) -> str:
    if d is None:
        return ""
    return _tr("%1月%2日").replace("%1", str(d.month)).replace("%2", str(d.day))


def due_label(d: date | None, today: date) -> str:
    if d == today:
        return _tr("今天")
    if d is not None and (d - today).days == 1:
        return _tr("明天")
    return day_label(d)


def moment_label(at: datetime, today: date) -> str:
    """08:30 today, 11月25日 08:30 on another day."""
    hm = at.strftime("%H:%M")
    return hm if at.date() == today else f"{day_label(at.date())} {hm}"


def long_date(d: date) -> str:
    return QLocale().toString(QDate(d.year, d.month, d.day), QLocale.FormatType.LongFormat)


@dataclass(frozen=True)
class Chrome:
    """What the header and footer show around every page."""

    page_no: int
    page_count: int
    next_refresh: datetime | None = None
    notice: str = ""


class Page:
    """One slide. `key` names it for tests and file names."""

    key = "page"

    def __init__(self, briefing: Briefing):
        self.b = briefing

    def title(self) -> str:
        raise NotImplementedError

    def paint_body(self, sp: SlidePainter) -> None:
        raise NotImplementedError

    def paint(self, sp: SlidePainter, chrome: Chrome) -> None:
        sp.rect(0, 0, WIDTH, HEIGHT, "window.bg")
        self._paint_header(sp)
        self.paint_body(sp)
        self._paint_footer(sp, chrome)

    # -- chrome -----------------------------------------------------------------------------
    def _paint_header(self, sp: SlidePainter) -> None:
        b = self.b
        sp.rect(0, 0, WIDTH, HEADER_H, "accent")
        mode = _tr("晨会简报") if b.mode == "daily" else _tr("每周会商研判")
        right = f"{b.station_name} · {mode} · {long_date(b.today)}"
        right_w = min(sp.measure(right, 34), 900)
        sp.text(WIDTH - MARGIN - right_w, 0, right_w, HEADER_H, right, 34, color="selection.fg", align=RIGHT,
                fit="shrink")
        sp.text(MARGIN, 0, WIDTH - 3 * MARGIN - right_w, HEADER_H, self.title(), 58, bold=True,
                color="selection.fg", fit="shrink")

    def _paint_footer(self, sp: SlidePainter, chrome: Chrome) -> None:
        b = self.b
        top = HEIGHT - FOOTER_H
        sp.rect(0, top, WIDTH, FOOTER_H, "header.bg")
        sp.line(0, top, WIDTH, top, "border", 2)
        left = _tr("数据截至 %1").replace("%1", b.as_of.strftime("%H:%M"))
        if chrome.next_refresh is not None:
            left += " · " + _tr("下次刷新 %1").replace("%1", chrome.next_refresh.strftime("%H:%M"))
        sp.text(MARGIN, top, 700, FOOTER_H, left, 30, bold=True)
        sp.text(WIDTH / 2 - 200, top, 400, FOOTER_H,
                _tr("第 %1 / %2 页").replace("%1", str(chrome.page_no)).replace("%2", str(chrome.page_count)),
                30, align=CENTER)
        if b.unmasked:
            privacy, colour = _tr("实名显示中（已记入审计）"), "overdue.fg"
        else:
            privacy, colour = _tr("人员姓名、身份证号已遮挡"), "text"
        sp.text(WIDTH - MARGIN - 620, top, 620, FOOTER_H, privacy, 30, bold=b.unmasked, color=colour, align=RIGHT)
        if chrome.notice:
            sp.rect(MARGIN, top - 100, WIDTH - 2 * MARGIN, 84, "banner.bg", "banner.border", 8, 3)
            sp.text(MARGIN + 30, top - 100, WIDTH - 2 * MARGIN - 60, 84, chrome.notice, 38, bold=True,
                    color="banner.fg", align=CENTER)

    # -- shared pieces ----------------------------------------------------------------------
    def subtitle(self, sp: SlidePainter, text: str) -> None:
        sp.text(MARGIN, BODY_TOP, WIDTH - 2 * MARGIN, 56, text, 36, color="text.muted")

    def table_header(self, sp: SlidePainter, x: float, y: float, widths: list[float], labels: list[str],
                     h: float = 64, size: float = 32, aligns=None) -> None:
        sp.rect(x, y, sum(widths), h, "header.bg")
        cx = x
        for i, (w, label) in enumerate(zip(widths, labels)):
            align = aligns[i] if aligns else LEFT
            sp.text(cx + 14, y, w - 28, h, label, size, bold=True, align=align, fit="shrink")
            cx += w
        sp.line(x, y + h, x + sum(widths), y + h, "border", 3)

    def cells(self, sp: SlidePainter, x: float, y: float, widths: list[float], values: list[str], h: float,
              size: float, bolds=None, colours=None, aligns=None) -> None:
        cx = x
        for i, (w, value) in enumerate(zip(widths, values)):
            sp.text(cx + 14, y, w - 28, h, value, size, bold=bool(bolds and bolds[i]),
                    color=(colours[i] if colours and colours[i] else "text"),
                    align=aligns[i] if aligns else LEFT, fit="shrink", min_scale=0.8)
            cx += w
        sp.line(x, y + h, x + sum(widths), y + h, "grid", 2)

    def empty(self, sp: SlidePainter, text: str, x: float = MARGIN, w: float = WIDTH - 2 * MARGIN) -> None:
        sp.text(x, BODY_TOP + 120, w, 300, text, 56, bold=True, color="text.muted", align=CENTER)

    def item_row(self, sp: SlidePainter, x: float, y: float, w: float, level: str, title: str, right: str,
                 right_colour: str, meta: str) -> None:
        """A two-line entry of a list: shape and short level name, the title with a note on the
        right, and a muted line of particulars under it."""
        sp.level_tag(level, short_level_name(level), x, y + 30, 38)
        # "Orange" is wider than 橙: the titles start after the widest tag, all in one column.
        widest = max(sp.measure(short_level_name(lv), 38, True) for lv in Level)
        tx = x + max(110, 38 * 1.3 + widest + 20)
        right_w = min(sp.measure(right, 34, True), 300) if right else 0
        sp.text(tx, y, w - (tx - x) - right_w - 16, 60, title, 38, bold=True, fit="shrink", min_scale=0.8)
        if right:
            sp.text(x + w - right_w, y, right_w, 60, right, 34, bold=True, color=right_colour, align=RIGHT,
                    fit="shrink")
        sp.text(tx, y + 58, w - (tx - x), 46, meta, 30, color="text.muted", fit="shrink", min_scale=0.8)
        sp.line(x, y + 110, x + w, y + 110, "grid", 1.5)


# -- 1. overview ----------------------------------------------------------------------------------
class OverviewPage(Page):
    key = "overview"

    def title(self) -> str:
        return _tr("概览：三类记录的预警等级")

    def paint_body(self, sp: SlidePainter) -> None:
        gap = 40
        w = (WIDTH - 2 * MARGIN - 2 * gap) / 3
        top = BODY_TOP + 6
        for i, code in enumerate(MODULE_KEYS):
            x = MARGIN + i * (w + gap)
            ov = self.b.overview[code]
            sp.rect(x, top, w, BODY_BOTTOM - top, "panel.bg", "border", 10, 3)
            sp.text(x + 30, top + 8, w - 60, 84, module_name(code), 50, bold=True)
            y = top + 100
            for lv in LEVEL_ORDER:
                sp.rect(x + 20, y, w - 40, 150, f"level.{lv.value}.bg", "border", 8, 2)
                sp.level_tag(lv, level_name(lv), x + 40, y + (56 if lv == Level.GREEN else 75), 48)
                if lv == Level.GREEN:
                    sp.text(x + 104, y + 90, 260, 44, _tr(GREEN_HINTS[code]), 30, color="text.muted")
                n = f"{ov.by_level.get(lv.value, 0):,}"
                sp.text(x + 250, y, w - 250 - 100, 150, n, 96, bold=True, align=RIGHT, fit="shrink")
                sp.text(x + w - 20 - 64, y + 70, 50, 60, unit(code), 34, align=LEFT)
                y += 164
            line = _tr("在办 %1 %2").replace("%1", f"{ov.active:,}").replace("%2", unit(code))
            sp.text(x + 30, y + 4, w / 2 - 30, 64, line, 38, bold=True)
            colour = "overdue.fg" if ov.overdue else "text"
            od = _tr("超期 %1 %2").replace("%1", f"{ov.overdue:,}").replace("%2", unit(code))
            sp.text(x + w / 2, y + 4, w / 2 - 30, 64, od, 38, bold=True, color=colour, align=RIGHT)


# -- 2. since the last briefing -------------------------------------------------------------------
class ChangesPage(Page):
    key = "changes"

    def title(self) -> str:
        return _tr("自上次晨会以来") if self.b.mode == "daily" else _tr("自上次会商以来")

    def paint_body(self, sp: SlidePainter) -> None:
        s = self.b.since_last
        today = self.b.today
        last = _tr("上次晨会") if self.b.mode == "daily" else _tr("上次会商")
        self.subtitle(sp, _tr("从 %1（%2）到现在 %3").replace("%1", moment_label(s.since, today))
                      .replace("%2", last).replace("%3", s.until.strftime("%H:%M")))
        weekly = s.previous is not None
        widths = [300, 130, 130, 130, 140] + ([150] if weekly else [])
        labels = [_tr("变化"), _tr("案件"), _tr("纠纷"), _tr("人员"), _tr("合计")] + ([_tr("上一周")] if weekly else [])
        aligns = [LEFT] + [RIGHT] * (len(widths) - 1)
        x, y = MARGIN, BODY_TOP + 70
        self.table_header(sp, x, y, widths, labels, aligns=aligns)
        y += 64
        for kind in ("new", "raised", "lowered", "closed", "converted", "voided"):
            counts = [s.by_module[m].get(kind) for m in MODULE_KEYS]
            total = sum(counts)
            numbers = counts + [total] + ([s.total(kind, previous=True)] if weekly else [])
            values = [_tr(KIND_LABELS[kind])] + [str(n) for n in numbers]
            bolds = [True, False, False, False, True, False]
            # Zeros recede, so the eye goes to what moved.
            colours = [None] + ["text.muted" if n == 0 else None for n in numbers]
            if kind == "raised" and total:
                colours[4] = "overdue.fg"
            self.cells(sp, x, y, widths, values, 96, 40, bolds=bolds, colours=colours, aligns=aligns)
            y += 96
        new_red = sum(s.by_module[m].new_by_level["red"] for m in MODULE_KEYS)
        note = _tr("新增中红色 %1 条").replace("%1", str(new_red))
        sp.text(x, y + 12, sum(widths), 56, note, 34, bold=bool(new_red),
                color="overdue.fg" if new_red else "text.muted")

        lx = MARGIN + sum(widths) + 60
        lw = WIDTH - MARGIN - lx
        sp.text(lx, BODY_TOP + 70, lw, 64, _tr("新增与升级（红色在前）"), 40, bold=True)
        sp.line(lx, BODY_TOP + 134, lx + lw, BODY_TOP + 134, "border", 3)
        if not s.items:
            sp.text(lx, BODY_TOP + 170, lw, 80, _tr("无"), 44, color="text.muted")
            return
        room = int((BODY_BOTTOM - (BODY_TOP + 146)) // 118)
        per = room if len(s.items) <= room else room - 1
        y = BODY_TOP + 146
        for item in s.items[:per]:
            self._item(sp, item, lx, y, lw)
            y += 118
        if len(s.items) > per:
            more = _tr("另有 %1 条，见系统").replace("%1", str(len(s.items) - per))
            sp.text(lx, y, lw, 56, more, 34, color="text.muted")

    def _item(self, sp: SlidePainter, item: ChangeItem, x: float, y: float, w: float) -> None:
        if item.kind == "new":
            what = _tr("新增")
        else:
            what = (_tr("升级 %1→%2").replace("%1", short_level_name(item.from_level))
                    .replace("%2", short_level_name(item.to_level)))
        def meta_line(with_team: bool) -> str:
            team = (f"（{item.team}）" if lang_index() == 0 else f" ({item.team})") if item.team and with_team else ""
            people = item.officer + team
            return " · ".join(p for p in (f"{module_name(item.module)} {item.number}".strip(), people,
                                          moment_label(item.at, self.b.today)) if p)

        meta = meta_line(True)
        if sp.measure(meta, 30 * 0.8) > w - 110:  # a narrow list: the team goes first, the rest stays whole
            meta = meta_line(False)
        self.item_row(sp, x, y, w, item.to_level, item.label or item.number, what,
                      "overdue.fg" if item.kind == "raised" else "text", meta)


# -- 3. red records, one module per slide (or several) --------------------------------------------
class RedPage(Page):
    key = "red"

    def __init__(self, briefing: Briefing, module: str, part: int, parts: int):
        super().__init__(briefing)
        self.module = module
        self.part = part
        self.parts = parts
        self.key = f"red_{module}" + (f"_{part + 1}" if parts > 1 else "")

    @property
    def red(self) -> RedList:
        return self.b.red[self.module]

    def title(self) -> str:
        t = _tr("红色预警 · %1（%2 %3）").replace("%1", module_name(self.module)).replace(
            "%2", str(self.red.total)).replace("%3", unit(self.module))
        return t + (f"  {self.part + 1}/{self.parts}" if self.parts > 1 else "")

    def _columns(self) -> tuple[list[float], list[str]]:
        tail = [_tr("责任民警"), _tr("队组"), _tr("下次跟进")]
        if self.module == "case":
            return [370, 350, 390, 190, 290, 210], [_tr("案件编号"), _tr("案由"), _tr("地点")] + tail
        if self.module == "dispute":
            return [300, 520, 290, 190, 290, 210], [_tr("纠纷编号"), _tr("当事人"), _tr("领域")] + tail
        return [200, 400, 510, 190, 290, 210], [_tr("姓名"), _tr("身份证号"), _tr("人员类别")] + tail

    def paint_body(self, sp: SlidePainter) -> None:
        meaning = MEANINGS[Module(self.module)][Level.RED]
        self.subtitle(sp, (meaning.zh + " — " + meaning.action_zh) if lang_index() == 0
                      else (meaning.en + " — " + meaning.action_en))
        red = self.red
        if not red.total:
            self.empty(sp, _tr("目前没有红色预警的%1").replace("%1", module_name(self.module)))
            return
        widths, labels = self._columns()
        x, y = MARGIN, BODY_TOP + 70
        self.table_header(sp, x, y, widths, labels)
        y += 64
        rows = red.rows[self.part * RED_ROWS:(self.part + 1) * RED_ROWS]
        for r in rows:
            if self.module == "person":
                detail = joined(code_label(PERSON_RISK_CATEGORIES, c) for c in r.detail.split(",") if c)
                values = [r.label, r.number, detail]
            elif self.module == "dispute":
                values = [r.number, r.label, code_label(FOCUS_AREA_NAMES, r.detail)]
            else:
                values = [r.number, r.label, r.detail]
            if r.days_overdue:
                due = _tr("超期%1天").replace("%1", str(r.days_overdue))
            else:
                due = due_label(r.next_due, self.b.today)
            values += [r.officer, r.team, due]
            colours = [None] * 5 + ["overdue.fg" if r.days_overdue else None]
            bolds = [True, False, False, True, False, bool(r.days_overdue)]
            self.cells(sp, x, y, widths, values, 72, 34, bolds=bolds, colours=colours)
            y += 72
        last = self.part == self.parts - 1
        hidden = red.total - len(red.rows)
        if last and hidden > 0:
            sp.text(x, y + 8, sum(widths), 50, _tr("另有 %1 %2未列出，见系统").replace("%1", str(hidden))
                    .replace("%2", unit(self.module)), 32, color="text.muted")


# -- 4. overdue follow-ups by team ----------------------------------------------------------------
class OverduePage(Page):
    key = "overdue"

    def title(self) -> str:
        return _tr("超期未跟进（共 %1 条）").replace("%1", str(self.b.overdue.total))

    def paint_body(self, sp: SlidePainter) -> None:
        od = self.b.overdue
        self.subtitle(sp, _tr("在办记录超过下次跟进日期仍未跟进，按队组"))
        if not od.total:
            self.empty(sp, _tr("没有超期未跟进的记录"))
            return
        widths = [330, 150, 150, 150, 160]
        aligns = [LEFT, RIGHT, RIGHT, RIGHT, RIGHT]
        x, y = MARGIN, BODY_TOP + 70
        self.table_header(sp, x, y, widths, [_tr("队组"), _tr("案件"), _tr("纠纷"), _tr("人员"), _tr("合计")],
                          aligns=aligns)
        y += 64
        teams = list(od.teams)
        if len(teams) > 8:  # the slide holds eight teams; the rest are summed up
            rest = teams[7:]
            teams = teams[:7]
            merged = {m: sum(t.by_module[m] for t in rest) for m in MODULE_KEYS}
            teams.append(type(rest[0])(None, _tr("其他队组"), merged))
        for t in teams:
            name = t.team or _tr("未分队组")
            values = [name] + [str(t.by_module[m]) for m in MODULE_KEYS] + [str(t.total)]
            colours = [None] * 4 + ["overdue.fg" if t.total else None]
            self.cells(sp, x, y, widths, values, 72, 36, bolds=[True, False, False, False, True], colours=colours,
                       aligns=aligns)
            y += 72
        values = [_tr("合计")] + [str(od.by_module[m]) for m in MODULE_KEYS] + [str(od.total)]
        sp.rect(x, y, sum(widths), 72, "header.bg")
        self.cells(sp, x, y, widths, values, 72, 36, bolds=[True] * 5, aligns=aligns)

        lx = MARGIN + sum(widths) + 70
        lw = WIDTH - MARGIN - lx
        sp.text(lx, BODY_TOP + 70, lw, 64, _tr("超期最久"), 40, bold=True)
        sp.line(lx, BODY_TOP + 134, lx + lw, BODY_TOP + 134, "border", 3)
        y = BODY_TOP + 146
        for item in od.oldest:
            meta = " · ".join(p for p in (f"{module_name(item.module)} {item.number}".strip(), item.officer,
                                          item.team) if p)
            self.item_row(sp, lx, y, lw, item.level, item.label or item.number,
                          _tr("超期%1天").replace("%1", str(item.days_overdue)), "overdue.fg", meta)
            y += 118


# -- 5. trends ------------------------------------------------------------------------------------
class TrendsPage(Page):
    key = "trends"

    def title(self) -> str:
        weeks = len(next(iter(self.b.trends.values())).days)
        return _tr("趋势：近 %1 周各等级在办数").replace("%1", str(weeks))

    def paint_body(self, sp: SlidePainter) -> None:
        weekday = QLocale().dayName(self.b.today.isoweekday())
        self.subtitle(sp, _tr("每%1 24 时的在办数，最后一格为今天截至现在；每格按自身最大值绘制").replace("%1", weekday))
        gap = 40
        w = (WIDTH - 2 * MARGIN - 2 * gap) / 3
        top = BODY_TOP + 66
        cell_h = (BODY_BOTTOM - top - 60) / 3
        for i, code in enumerate(MODULE_KEYS):
            x = MARGIN + i * (w + gap)
            sp.text(x, top, w, 56, module_name(code), 42, bold=True, align=CENTER)
            trend = self.b.trends[code]
            for j, lv in enumerate(ACTIVE_LEVELS):
                self._cell(sp, x, top + 60 + j * cell_h, w, cell_h - 14, lv, trend.counts[lv.value], trend.days)

    def _cell(self, sp: SlidePainter, x: float, y: float, w: float, h: float, lv: Level, values: tuple[int, ...],
              days: tuple[date, ...]) -> None:
        sp.rect(x, y, w, h, "panel.bg", "border", 8, 2)
        used = sp.level_tag(lv, level_name(lv), x + 16, y + 34, 34)
        latest, first = values[-1], values[0]
        number_w = sp.measure(str(latest), 54, True)
        sp.text(x + w - 220, y + 4, 200, 64, str(latest), 54, bold=True, align=RIGHT)
        delta = latest - first
        sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
        left = x + 16 + used + 12  # after the tag ("Yellow" is wider than 黄色), before the number
        sp.text(left, y + 6, max(x + w - 20 - number_w - 16 - left, 40), 60, _tr("较%1周前 %2").replace("%1", str(len(values) - 1))
                .replace("%2", f"{sign}{abs(delta)}"), 28, color="text.muted", align=RIGHT)
        # Bars from a zero baseline, scaled to the cell's own maximum.
        bx, bw = x + 24, w - 48
        by, bh = y + 76, h - 76 - 40
        top_value = max(values) or 1
        n = len(values)
        slot = bw / n
        for k, v in enumerate(values):
            bar_h = bh * v / top_value
            sp.rect(bx + k * slot + slot * 0.15, by + bh - bar_h, slot * 0.7, bar_h, f"level.{lv.value}.chip",
                    "text", 0, 1.2)
        sp.line(bx, by + bh, bx + bw, by + bh, "text", 2)
        sp.text(bx, by + bh + 2, 200, 36, day_label(days[0]), 26, color="text.muted")
        sp.text(bx + bw - 200, by + bh + 2, 200, 36, _tr("今天"), 26, color="text.muted", align=RIGHT)


# -- 6. headline figures --------------------------------------------------------------------------
def _pct(value: float | None) -> str:
    if value is None:
        return "—"
    arrow = "↑" if value > 0 else ("↓" if value < 0 else "")
    return f"{arrow}{abs(value):.1f}%"


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


class HeadlinePage(Page):
    key = "headline"

    def title(self) -> str:
        return _tr("主要指标：同比 / 环比")

    def paint_body(self, sp: SlidePainter) -> None:
        h = self.b.headline
        cases, disputes = h["cases"], h["disputes"]
        win = cases["criminal_solved"]["windows"]["current"]
        start, end = date.fromisoformat(win["from"]), date.fromisoformat(win["to"])
        self.subtitle(sp, _tr("本月 %1–%2，与上月同期（环比）、去年同期（同比）相比").replace(
            "%1", day_label(start)).replace("%2", day_label(end)))
        # 起 counts cases and disputes alike; in English the card's name says what the figure counts.
        count = _tr("起") if lang_index() == 0 else ""
        cards = [
            (_tr("破刑事案件"), cases["criminal_solved"], count),
            (_tr("查处行政案件"), cases["administrative_handled"], count),
            (_tr("排查发现纠纷"), disputes["found"], count),
            (_tr("化解纠纷"), disputes["resolved"], count),
        ]
        gap = 30
        w = (WIDTH - 2 * MARGIN - 3 * gap) / 4
        top = BODY_TOP + 70
        ch = (BODY_BOTTOM - top - gap) / 2
        for i, (name, period, u) in enumerate(cards):
            self._period_card(sp, MARGIN + i * (w + gap), top, w, ch, name, period, u)
        y2 = top + ch + gap
        persons = h["persons"]
        active_persons = sum(n for code, n in persons["by_level"].items() if code != "green")
        res, sat = disputes["resolution"], disputes["satisfaction_visits"]
        # Each rate with what it is made of: numerator and denominator, and what is counted apart.
        rates = [
            (_tr("纠纷化解率"), _rate(disputes["resolution_rate"]),
             [(_tr("排查 %1 起，化解 %2 起").replace("%1", str(res["found"]))
               .replace("%2", str(res["resolved_of_found"])), ""),
              (_tr("往期化解 %1 起").replace("%1", str(res["resolved_earlier"])),
               _tr("本年 %1").replace("%1", _rate(disputes["resolution_rate_ytd"])))]),
            (_tr("群众回访满意率"), _rate(disputes["satisfaction_rate"]),
             [(_tr("回访 %1 起，满意 %2 起").replace("%1", str(sat["visits"])).replace("%2", str(sat["satisfied"])),
               ""),
              (_tr("本年累计 %1").replace("%1", _rate(disputes["satisfaction_rate_ytd"])), "")]),
        ]
        for i, (name, big, lines) in enumerate(rates):
            self._card(sp, MARGIN + i * (w + gap), y2, w, ch, name, big, lines)
        self._period_card(sp, MARGIN + 2 * (w + gap), y2, w, ch, _tr("纠纷转为案件"), disputes["converted_to_case"],
                          count)
        self._card(sp, MARGIN + 3 * (w + gap), y2, w, ch, _tr("在管重点人员"), f"{active_persons}",
                   [(_tr("其中红色 %1 人").replace("%1", str(persons["by_level"]["red"])), "")], unit("person"))

    def _period_card(self, sp: SlidePainter, x, y, w, h, name: str, period: dict, u: str) -> None:
        lines = [
            (_tr("环比 %1").replace("%1", _pct(period["mom_pct"])),
             _tr("上月同期 %1").replace("%1", str(period["previous"]))),
            (_tr("同比 %1").replace("%1", _pct(period["yoy_pct"])),
             _tr("去年同期 %1").replace("%1", str(period["last_year"]))),
        ]
        self._card(sp, x, y, w, h, name, f"{period['current']}", lines, u)

    def _card(self, sp: SlidePainter, x, y, w, h, name: str, big: str, lines: list[tuple[str, str]],
              u: str = "") -> None:
        """A figure card: its name, the figure, and lines of a comparison with its base on the right."""
        sp.rect(x, y, w, h, "panel.bg", "border", 10, 3)
        sp.text(x + 24, y + 10, w - 48, 60, name, 38, bold=True)
        bw = sp.text(x + 24, y + 72, w - 48 - (60 if u else 0), 130, big, 104, bold=True, fit="shrink")
        if u:
            sp.text(x + 24 + bw + 10, y + 120, 60, 60, u, 36)
        ly = y + 212
        for left, right in lines:
            lw = sp.text(x + 24, ly, w - 48, 56, left, 36, bold=True, fit="shrink")
            if right:
                sp.text(x + 24 + lw + 12, ly, w - 48 - lw - 12, 56, right, 28, color="text.muted", align=RIGHT,
                        fit="shrink", min_scale=0.8)
            ly += 60


# -- 在管在控 and 融调化解 --------------------------------------------------------------------------------
class WorkflowPage(Page):
    """零失控、零非访、零滋事 for the month, with the events when not zero, and what is overdue today:
    在管在控 checks, hand-over answers, 回访."""

    key = "workflows"

    def title(self) -> str:
        return _tr("在管在控与融调化解")

    def paint_body(self, sp: SlidePainter) -> None:
        from app.domain.workflows import PERSON_EVENT_NAMES, PETITION_TIER_NAMES

        wf = self.b.workflows
        zero = wf.zero
        self.subtitle(sp, _tr("本月 %1–%2，在管重点人员 %3 人").replace("%1", day_label(zero.window.start))
                      .replace("%2", day_label(zero.window.end)).replace("%3", str(zero.listed)))
        gap = 30
        w = (WIDTH - 2 * MARGIN - 2 * gap) / 3
        top = BODY_TOP + 70
        h = 210
        names = {"lost_control": _tr("失控"), "petition": _tr("非访"), "trouble": _tr("滋事")}
        for i, kind in enumerate(PERSON_EVENT_NAMES):
            x = MARGIN + i * (w + gap)
            n = zero.counts.get(kind, 0)
            sp.rect(x, top, w, h, "level.green.bg" if n == 0 else "level.red.bg", "border", 10, 3)
            big = _tr("零%1").replace("%1", names[kind]) if n == 0 else \
                _tr("%1 %2 起").replace("%1", names[kind]).replace("%2", str(n))
            sp.text(x + 24, top, w - 48, h, big, 84, bold=True, align=CENTER, fit="shrink",
                    color="text" if n == 0 else "overdue.fg")
        y = top + h + 24
        if zero.events:
            for e in zero.events[:3]:
                tier = f"（{_tr(PETITION_TIER_NAMES[e.tier][0])}）" if e.tier else ""
                line = f"{day_label(e.occurred_on)}  {e.person}  {names[e.kind]}{tier}：{e.summary}"
                sp.text(MARGIN, y, WIDTH - 2 * MARGIN, 52, line, 34, color="overdue.fg", fit="shrink", min_scale=0.8)
                y += 54
        al = wf.alerts
        sp.text(MARGIN, max(y, top + h + 24), WIDTH - 2 * MARGIN, 56,
                _tr("本月110警情 %1 起，转为纠纷 %2 起；%5日内重复报警地址 %3 处、报警人 %4 个")
                .replace("%1", str(al.received)).replace("%2", str(al.to_disputes)).replace("%5", str(REPEAT_ALERT_DAYS))
                .replace("%3", str(al.repeated_addresses)).replace("%4", str(al.repeated_callers)),
                36, bold=True, fit="shrink")
        y = max(y + 70, top + h + 200)
        cols = [
            (_tr("在管在控核查超期"), wf.checks, wf.late_checks, unit("person")),
            (_tr("移交答复超期"), wf.answers, wf.late_answers, _tr("起")),
            (_tr("回访超期"), wf.followups, wf.late_followups, _tr("起")),
        ]
        ch = BODY_BOTTOM - y
        for i, (name, fig, rows, u) in enumerate(cols):
            x = MARGIN + i * (w + gap)
            sp.rect(x, y, w, ch, "panel.bg", "border", 10, 3)
            sp.text(x + 24, y + 10, w - 48, 60, name, 38, bold=True)
            colour = "overdue.fg" if fig.overdue else "text"
            big = _tr("%1 / %2 %3").replace("%1", str(fig.overdue)).replace("%2", str(fig.of)).replace("%3", u)
            sp.text(x + 24, y + 70, w - 48, 100, big, 72, bold=True, color=colour, fit="shrink")
            ry = y + 180
            for level, label, note in rows:
                if ry + 56 > y + ch:
                    break
                sp.level_tag(level, short_level_name(level), x + 24, ry + 28, 30)
                tx = x + 24 + max(sp.measure(short_level_name(lv), 30, True) for lv in Level) + 30 * 1.3 + 16
                sp.text(tx, ry, x + w - 24 - tx, 56, f"{label}  {note}".strip(), 30, fit="shrink", min_scale=0.7)
                ry += 58


# -- the deck -------------------------------------------------------------------------------------
def build_pages(briefing: Briefing) -> list[Page]:
    """The slides of a briefing, in meeting order."""
    pages: list[Page] = [OverviewPage(briefing), ChangesPage(briefing)]
    for code in MODULE_KEYS:
        shown = len(briefing.red[code].rows)
        parts = max(1, -(-shown // RED_ROWS))
        pages += [RedPage(briefing, code, k, parts) for k in range(parts)]
    pages += [OverduePage(briefing)]
    if briefing.workflows is not None:
        pages.append(WorkflowPage(briefing))
    pages += [TrendsPage(briefing), HeadlinePage(briefing)]
    return pages
