"""The four-colour rules and the follow-up cadence, independent of the database."""
from datetime import date

import pytest

from app.domain.levels import DEFAULT_CADENCE_DAYS, LEVEL_ORDER, MEANINGS, Level, Module
from app.domain.rules import Actor, check_level_change, is_overdue, next_due_date
from app.domain.search import build_search_text, name_keys
from app.errors import PermissionDenied, RuleViolation, ValidationError

OFFICER = Actor(3, "张伟", "officer")
LEADER = Actor(1, "王建国", "leader")


def test_every_module_defines_every_level_in_both_languages():
    for module in Module:
        assert set(MEANINGS[module]) == set(LEVEL_ORDER)
        for meaning in MEANINGS[module].values():
            assert meaning.zh and meaning.en and meaning.action_zh and meaning.action_en
    assert MEANINGS[Module.CASE][Level.RED].zh == "有条件破案"  # red = most actionable for cases
    assert "民转刑" in MEANINGS[Module.DISPUTE][Level.RED].zh


def test_reason_is_always_required():
    for reason in (None, "", "   "):
        with pytest.raises(ValidationError) as err:
            check_level_change(Module.CASE, Level.ORANGE, "active", "yellow", reason, "", OFFICER)
        assert err.value.field == "reason"


def test_green_requires_the_closing_outcome_per_module():
    for module, word in ((Module.CASE, "办结情况"), (Module.DISPUTE, "调解结果"), (Module.PERSON, "撤销列管")):
        with pytest.raises(ValidationError) as err:
            check_level_change(module, Level.YELLOW, "active", "green", "完成", "", LEADER)
        assert word in err.value.zh and err.value.field == "outcome"


def test_closing_red_and_delisting_need_the_leader():
    with pytest.raises(PermissionDenied):
        check_level_change(Module.CASE, Level.RED, "active", "green", "破案", "已办结", OFFICER)
    with pytest.raises(PermissionDenied):
        check_level_change(Module.PERSON, Level.YELLOW, "active", "green", "评估", "无现实危险", OFFICER)
    # an officer may close a yellow case, and the leader may close a red one
    assert check_level_change(Module.CASE, Level.YELLOW, "active", "green", "办结", "已判决", OFFICER)[0] == Level.GREEN
    assert check_level_change(Module.CASE, Level.RED, "active", "green", "破案", "已办结", LEADER)[0] == Level.GREEN


def test_no_change_on_voided_or_converted_or_to_the_same_level():
    with pytest.raises(RuleViolation):
        check_level_change(Module.CASE, Level.RED, "voided", "orange", "x", "", LEADER)
    with pytest.raises(RuleViolation):
        check_level_change(Module.DISPUTE, Level.RED, "converted", "orange", "x", "", LEADER)
    with pytest.raises(ValidationError):
        check_level_change(Module.CASE, Level.RED, "active", "red", "x", "", LEADER)
    with pytest.raises(ValidationError) as err:
        check_level_change(Module.CASE, Level.RED, "active", "purple", "x", "", LEADER)
    assert err.value.field == "level"


def test_cadence_and_overdue():
    last = date(2025, 5, 1)
    assert DEFAULT_CADENCE_DAYS[Level.RED] == 7
    assert next_due_date(Level.RED, last) == date(2025, 5, 8)
    assert next_due_date(Level.ORANGE, last) == date(2025, 5, 15)
    assert next_due_date(Level.YELLOW, last) == date(2025, 5, 31)
    assert next_due_date(Level.GREEN, last) is None
    assert next_due_date(Level.RED, last, explicit=date(2025, 5, 3)) == date(2025, 5, 3)
    assert next_due_date(Level.RED, last, cadence={Level.RED: 3}) == date(2025, 5, 4)
    assert is_overdue(date(2025, 5, 8), "active", date(2025, 5, 9))
    assert not is_overdue(date(2025, 5, 8), "active", date(2025, 5, 8))  # due today is not overdue
    assert not is_overdue(date(2025, 5, 8), "closed", date(2025, 6, 1))


@pytest.mark.parametrize("name,key", [
    ("张三", "zhangsan"), ("张三", "zs"), ("曾国藩", "zengguofan"), ("曾国藩", "zgf"),
    ("单雄信", "shanxiongxin"), ("解缙", "xiejin"), ("欧阳修", "oyx"), ("吕布", "lvbu"),
])
def test_name_keys_cover_pinyin_initials_and_surname_readings(name, key):
    assert key in name_keys(name)


def test_search_text_holds_names_and_their_keys():
    text = build_search_text("A2025001", "宅基地纠纷", names=("曾国藩",))
    assert "a2025001" in text and "宅基地纠纷" in text and "zgf" in text and "曾国藩" in text
