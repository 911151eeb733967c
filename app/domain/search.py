"""Search keys: the text a record is found by, including the pinyin and initials of names."""
from __future__ import annotations

from functools import lru_cache

#: Surnames pypinyin reads with their common-word reading (python-pinyin issue #297).
SURNAME_READINGS = {
    "曾": ("zeng",), "单": ("shan",), "解": ("xie",), "仇": ("qiu",), "区": ("ou",), "查": ("zha",),
    "朴": ("piao",), "繁": ("po",), "尉": ("yu",), "员": ("yun",), "乐": ("yue", "le"), "盖": ("ge",),
    "黑": ("he",), "纪": ("ji",), "覃": ("qin",), "种": ("chong",), "翟": ("zhai",), "缪": ("miao",),
    "召": ("shao",), "折": ("she",), "秘": ("bi",), "冼": ("xian",), "长孙": ("zhangsun",),
    "尉迟": ("yuchi",), "万俟": ("moqi",), "单于": ("chanyu",), "令狐": ("linghu",),
}
DOUBLE_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
                   "宇文", "司徒", "夏侯", "令狐", "万俟", "单于", "轩辕", "端木", "独孤", "南宫")


@lru_cache(maxsize=65536)
def name_keys(name: str) -> tuple[str, ...]:
    """Every full-pinyin and initials spelling of a name: 曾国藩 → zengguofan, zgf, cengguofan, cgf."""
    # Imported on first use: pypinyin's dictionaries take about 50 MB and 0.3-0.5 s, and the
    # first window (which only reads) never needs them.
    from pypinyin import Style, lazy_pinyin, pinyin

    name = (name or "").strip().replace("·", "")
    if not name:
        return ()
    surname = next((s for s in DOUBLE_SURNAMES if name.startswith(s)), name[0])
    given = name[len(surname):]
    readings = set(SURNAME_READINGS.get(surname, ()))
    if len(surname) == 1:
        readings.update(pinyin(surname, style=Style.NORMAL, heteronym=True)[0])
    else:
        readings.add("".join(lazy_pinyin(surname)))
    given_syllables = lazy_pinyin(given, v_to_u=False) if given else []
    keys: list[str] = []
    surname_syllable_count = len(surname)
    for reading in sorted(readings):
        full = reading + "".join(given_syllables)
        if surname_syllable_count == 1:
            initials = reading[0] + "".join(s[0] for s in given_syllables if s)
        else:
            parts = lazy_pinyin(surname) if reading == "".join(lazy_pinyin(surname)) else [reading]
            initials = "".join(p[0] for p in parts) + "".join(s[0] for s in given_syllables if s)
        keys += [full, initials]
    return tuple(dict.fromkeys(k.lower() for k in keys if k))


def build_search_text(*parts: str | None, names: tuple[str, ...] = ()) -> str:
    """One lower-cased line of everything a record is searched by; names add their pinyin keys."""
    pieces = [p.strip() for p in parts if p and p.strip()]
    for n in names:
        if n:
            pieces.append(n)
            pieces.extend(name_keys(n))
    return " ".join(pieces).lower()
