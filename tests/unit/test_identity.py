"""ID numbers (GB 11643-1999) and mobile numbers against published and hand-checked examples."""
from datetime import date

import pytest

from app.domain.identity import mask_id_number, mask_name, normalise_mobile, parse_id_number
from app.errors import ValidationError

# Published examples: GB 11643-1999's own sample 11010519491231002X and the widely cited
# 440524188001010014 (the standard's explanatory example), plus checks worked out by hand
# with the MOD 11-2 weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2.
VALID = [
    ("11010519491231002X", date(1949, 12, 31), "F"),
    ("440524188001010014", date(1880, 1, 1), "M"),
    ("110101199003074477", date(1990, 3, 7), "M"),
]


def mod11_2(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights)) % 11]


@pytest.mark.parametrize("number,birth,sex", VALID)
def test_valid_numbers_give_birth_date_and_sex(number, birth, sex):
    assert mod11_2(number[:17]) == number[17]  # the example itself obeys the rule
    rid = parse_id_number(number)
    assert (rid.number, rid.birth_date, rid.sex) == (number, birth, sex)


def test_lower_case_x_and_spaces_are_normalised():
    assert parse_id_number(" 11010519491231002x ").number == "11010519491231002X"


@pytest.mark.parametrize("number,words", [
    ("110105194912310021", "校验位"),        # wrong check character (should be X)
    ("440524188001010015", "校验位"),
    ("1101051949123100", "18位"),            # too short
    ("11010519491231002XX", "18位"),         # too long
    ("11010519491331002X", "出生日期"),      # month 13
    ("11010520990101002X", "出生日期"),      # in the future
    ("11010519491231A02X", "数字"),          # a letter inside
    ("99010519491231002X", "省级"),          # no such province
    ("", "不能为空"),
])
def test_invalid_numbers_name_the_fault(number, words):
    with pytest.raises(ValidationError) as err:
        parse_id_number(number)
    assert words in err.value.zh
    assert err.value.field == "id_number"


def test_mobile_numbers():
    assert normalise_mobile("13812345678") == "13812345678"
    assert normalise_mobile("+86 138 1234 5678") == "13812345678"
    for bad in ("12345678901", "110", "010-12345678", "1381234567", "abc"):
        with pytest.raises(ValidationError) as err:
            normalise_mobile(bad)
        assert err.value.field == "phone"


def test_masks():
    assert mask_id_number("360102199003074477") == "3601**********4477"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳修文") == "欧**文"
