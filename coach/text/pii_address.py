"""Street addresses down to the house number: 北京市朝阳区建国路88号3栋1201室.

What makes an address identifying is the number that ends it, so a match needs one:

* a road (路, 街, 大街, 大道, 巷, 弄, 胡同, 村) with its name, then a house number (88号, 八十八号,
  88-2号, 123弄), then any building, unit and room parts (3栋, 2单元, 1201室, 3-1201);
* a housing estate (小区, 花园, 公寓, 苑, 大厦, ...) with its name, then a building, unit or room
  (阳光花园3栋1201室);
* two or more building, unit and room parts on their own, one of them a building, unit or
  room (3栋2单元1201室, 5号楼1201).

The match then reaches back over the road or estate name (up to six characters, not past 在,
住, 到, 是, a colon or any non-ideograph) and over the province, city, district, county and town
before it (北京市朝阳区); a building named after the house number joins it (文三路478号华星时代
广场A座1201室 is one address). A road or a district without a number (建国路, 人民路支行) is no
address; nor are counter and line numbers (3号窗口, 5号线, 3楼), which have no road before them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from coach.text.pii_base import Hit

__all__ = ["candidates"]

_NUMERALS = "一二三四五六七八九十百零〇两兩"
_NUM = rf"(?:[0-9]+|[{_NUMERALS}]{{1,5}})"
_ROADS = ("大街", "大道", "胡同", "路", "街", "巷", "弄", "村")
_ESTATES = (
    *("小区", "小區", "花园", "花園", "家园", "家園", "公寓", "新村", "新城", "苑", "庭", "府"),
    *("大厦", "大廈", "广场", "廣場", "中心", "城", "园", "園", "湾", "灣", "邸", "公馆", "公館"),
    *("社区", "社區", "宿舍"),
)
_UNITS = r"(?:号楼|號樓|栋|棟|幢|座|单元|單元|楼|樓|层|層|室|户|戶|号|號|房)"
_PART = rf"(?:(?:{_NUM}|[A-Za-z]){_UNITS})"
# Building-unit-room in dashes (3-1201, 3-2-1201): only after a road or estate, where it cannot
# be a hotline or a date.
_DASHED = r"(?:[0-9]{1,4}(?:-[0-9]{1,4}){1,2}(?![0-9])(?:室|号|號|房)?)"
_ROOM = r"(?:[0-9]{3,4}(?![0-9]))"  # a bare room number closing the parts: 3栋1201
_ROAD_TAIL = re.compile(
    rf"{_NUM}(?:-[0-9]+)?(?:号院|號院|号楼|號樓|号|號|弄)(?: ?(?:{_PART}|{_DASHED}))*{_ROOM}?"
)
_ESTATE_TAIL = re.compile(rf"(?:{_PART}|{_DASHED})+{_ROOM}?")
_PARTS = re.compile(rf"(?:{_PART}){{2,}}{_ROOM}?|{_PART}{_ROOM}")
# Where to look: a unit character right after a number or a letter (88号, 3栋, A座), and
# a dashed number right after an estate (花园3-1201).
_SEED = re.compile(rf"[号號栋棟幢座单單楼樓层層室户戶房弄](?<=[0-9{_NUMERALS}A-Za-z].)")
_DASH_SEED = re.compile(r"[0-9]-[0-9]")
_NUMBER_CHARS = frozenset("0123456789-" + _NUMERALS)
# Parts that name a building, unit or room (not only a floor or a counter).
_STRONG = re.compile(r"号楼|號樓|栋|棟|幢|单元|單元|室|户|戶|[0-9]-[0-9]")
_ADMIN = frozenset("省市区區县縣旗盟镇鎮乡鄉")  # not 州: 广州市, 杭州市
# Where a name stops when read backwards: the words that lead into an address.
_LEAD = frozenset("在住是于於到至址的我你他她您向从從往寄送搬离離近靠旁自")
_NAME_LIMIT = 6  # characters of a road or estate name
_ADMIN_LIMIT = 7  # characters of a province, city or district name before its suffix


def candidates(view: str) -> Iterator[Hit]:
    """Addresses with a house, building or room number in `view`."""
    seeds = [_number_start(view, seed.start()) for seed in _SEED.finditer(view)]
    if "-" in view:
        seeds += [match.start() for match in _DASH_SEED.finditer(view)]
    spans: list[tuple[int, int]] = []
    for number in sorted(set(seeds)):
        if spans and number < spans[-1][1]:
            continue
        found = _address_at(view, number)
        if found is None:
            continue
        start, end = found
        if spans and start <= spans[-1][1]:  # 文三路478号华星时代广场A座1201室: one address
            start = spans.pop()[0]
        spans.append((start, end))
    for start, end in spans:
        yield Hit(start, end, "address", view[start:end])


def _number_start(view: str, unit: int) -> int:
    """Where the number (or the letter) right before the unit character at `unit` starts."""
    start = unit
    if view[start - 1].isascii() and view[start - 1].isalpha():
        return start - 1
    while start > 0 and view[start - 1] in _NUMBER_CHARS:
        start -= 1
    while view[start] == "-":
        start += 1
    return start


def _address_at(view: str, number: int) -> tuple[int, int] | None:
    """The address whose first number starts at `number`, if there is one."""
    road = next((r for r in _ROADS if view.endswith(r, 0, number)), None)
    if road is not None and (match := _ROAD_TAIL.match(view, number)) is not None:
        return _with_names(view, number - len(road), match.end(), need_name=True)
    # an estate name may end in a road word (龙湖天街3栋): its parts are tried as an estate's
    estate = next((e for e in (*_ESTATES, *_ROADS) if view.endswith(e, 0, number)), None)
    if estate is not None:
        match = _ESTATE_TAIL.match(view, number)
        if match is not None and _STRONG.search(match[0]):
            return _with_names(view, number - len(estate), match.end(), need_name=True)
    if number and view[number - 1].isascii() and view[number - 1].isalnum():
        return None
    match = _PARTS.match(view, number)
    if match is None or _STRONG.search(match[0]) is None:
        return None
    return _with_names(view, number, match.end(), need_name=False)


def _with_names(view: str, anchor: int, end: int, *, need_name: bool) -> tuple[int, int] | None:
    start = _reach_back(view, anchor, need_name=need_name)
    return None if start is None else (start, end)


def _reach_back(view: str, anchor: int, *, need_name: bool) -> int | None:
    """Where the address ending in the road, estate or parts at `anchor` starts."""
    start = _name_start(view, anchor, _NAME_LIMIT)
    if start == anchor and need_name:
        return None  # "路88号" with no road name: not an address
    while start > 0 and view[start - 1] in _ADMIN:
        before = _name_start(view, start - 1, _ADMIN_LIMIT)
        if before == start - 1:
            break
        start = before
    return start


def _name_start(view: str, end: int, limit: int) -> int:
    """How far back from `end` a place name reaches (at most `limit` ideographs)."""
    start = end
    while start > 0 and end - start < limit:
        char = view[start - 1]
        if char in _LEAD or char in _ADMIN or not ("\u4e00" <= char <= "\u9fff"):
            break
        start -= 1
    return start
