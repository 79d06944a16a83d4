"""Recall and precision of `coach.text.redact.redact` on synthetic Chinese sentences.

Generates `--n` checksum-valid identifiers, a quarter of each kind:

* mainland mobile numbers (real 1[3-9]x segments), plain or grouped 3-4-4 by spaces or dashes,
  with or without ``+86``/``0086``/``86``;
* 18-digit resident ID numbers: a real region code, a real birth date, a sequence number and
  the ISO 7064 MOD 11-2 check character (``X`` or ``x`` included), plain or grouped 6-8-4;
* bank card numbers of 16-19 digits with a real-looking BIN and a valid Luhn digit, plain or
  grouped in fours by spaces or dashes;
* e-mail addresses, lower or mixed case, sometimes glued to the Chinese text;

each in a varied Chinese sentence: with a label (手机, 身份证号, 卡号, 邮箱, ...) or none, before
or after the CJK text, sometimes in full-width characters. Half of the sentences, and `n / 2`
more on their own, carry decoys that must stay: amounts, dates, times, order numbers, IDs with
a wrong check character, unlabelled 16-19 digit runs that fail Luhn, percentages and years.

Measures, per kind and overall:

* recall: identifiers whose digits are all covered by replacements, whatever the
  placeholder's kind (the kind is reported separately); a phone's country code is not
  identifying, so ``+86`` left before a placeholder still counts as replaced (and is counted);
* precision: replaced spans that overlap a real identifier;
* decoys touched: decoys any replacement overlaps.

``python bench/pii_recall.py [--n 5000] [--seed 0] [--misses 10] [--strict]`` prints markdown
tables; ``--strict`` exits 1 when a target (recall >= 99.5%, precision >= 95%) fails.
Standard library plus coach only.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from coach.text.redact import redact

TARGET_RECALL = 0.995
TARGET_PRECISION = 0.95
KINDS = ("phone", "id_number", "bank_card", "email")

# --- identifiers -----------------------------------------------------------------------------

_PHONE_SEGMENTS = (
    *range(130, 140),
    *range(145, 150),
    *(150, 151, 152, 153, 155, 156, 157, 158, 159),
    *(162, 165, 166, 167),
    *range(170, 179),
    *range(180, 190),
    *(190, 191, 192, 193, 195, 196, 197, 198, 199),
)
_REGIONS = (
    "110101", "110105", "120103", "130102", "210102", "310104", "310115", "320102", "320508",
    "330106", "340104", "350203", "370202", "410105", "420106", "430104", "440106", "440305",
    "450103", "500103", "510107", "530102", "610113", "620102", "650102",
)  # fmt: skip
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECKS = "10X98765432"
_BINS = (
    "622202", "622208", "621700", "622848", "621661", "456351", "622588", "621483",
    "622260", "623668", "625911", "436742", "402674", "518710", "524090", "601382",
)  # fmt: skip
_MAIL_DOMAINS = (
    "qq.com", "163.com", "126.com", "gmail.com", "sina.com", "foxmail.com", "outlook.com",
    "sina.com.cn", "yeah.net", "139.com", "icbc.com.cn", "ccb-fin.com", "example.org",
)  # fmt: skip
_MAIL_NAMES = (
    "zhangwei", "li.na", "wang_fang", "liu.yang88", "chenjing", "yang-lei", "zhao.min",
    "huang1990", "zhou_jie", "wu.xiaoming", "xu+bank", "sun.li.2024", "ma_chao", "zhu7",
)  # fmt: skip


def id_check(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits of a resident ID."""
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECKS[total % 11]


def luhn_digit(body: str) -> str:
    """The digit that makes `body + digit` pass the Luhn check."""
    total = 0
    for position, char in enumerate(reversed(body)):
        digit = int(char)
        if position % 2 == 0:  # doubled: these sit at odd positions once the digit is added
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return str((10 - total % 10) % 10)


def luhn_ok(digits: str) -> bool:
    return luhn_digit(digits[:-1]) == digits[-1]


def valid_id(value: str) -> bool:
    """Check character and a real birth date, as `coach.text.redact` checks them."""
    if len(value) != 18 or not value[:17].isdigit():
        return False
    if id_check(value[:17]) != value[17].upper():
        return False
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


def _group(digits: str, sizes: Sequence[int], sep: str) -> str:
    parts, at = [], 0
    for size in sizes:
        parts.append(digits[at : at + size])
        at += size
    if at < len(digits):
        parts.append(digits[at:])
    return sep.join(p for p in parts if p)


PHONE_PREFIXES = ("", "", "", "+86", "+86 ", "+86-", "0086 ", "86-", "86 ")


def _phone(rng: random.Random) -> str:
    digits = f"{rng.choice(_PHONE_SEGMENTS)}{rng.randrange(10**8):08d}"
    layout = rng.choice(("plain", "plain", "space", "dash"))
    sep = " " if layout == "space" else "-"
    national = digits if layout == "plain" else _group(digits, (3, 4, 4), sep)
    return rng.choice(PHONE_PREFIXES) + national


def _birth(rng: random.Random) -> date:
    return date(1940, 1, 1) + timedelta(
        days=rng.randrange((date(2008, 12, 31) - date(1940, 1, 1)).days)
    )


def _id_number(rng: random.Random) -> str:
    first17 = f"{rng.choice(_REGIONS)}{_birth(rng):%Y%m%d}{rng.randrange(1000):03d}"
    value = first17 + id_check(first17)
    if value.endswith("X") and rng.random() < 0.3:
        value = value[:-1] + "x"
    return _group(value, (6, 8, 4), " ") if rng.random() < 0.15 else value


def _card_digits(rng: random.Random, length: int) -> str:
    body = rng.choice(_BINS)
    body += "".join(str(rng.randrange(10)) for _ in range(length - 1 - len(body)))
    return body + luhn_digit(body)


def _bank_card(rng: random.Random) -> str:
    digits = _card_digits(rng, rng.choice((16, 16, 16, 17, 18, 19, 19)))
    layout = rng.random()
    if layout < 0.55:
        return digits
    return _group(digits, (4,) * 4, " " if layout < 0.85 else "-")


def _email(rng: random.Random) -> str:
    name = rng.choice(_MAIL_NAMES)
    if rng.random() < 0.4:
        name += str(rng.randrange(1, 9999))
    address = f"{name}@{rng.choice(_MAIL_DOMAINS)}"
    return address.title() if rng.random() < 0.1 else address


_MAKERS: dict[str, Callable[[random.Random], str]] = {
    "phone": _phone,
    "id_number": _id_number,
    "bank_card": _bank_card,
    "email": _email,
}
_LABELS = {
    "phone": ("手机", "手机号", "手机号码", "电话", "联系电话", "联系方式", "号码", "Tel"),
    "id_number": ("身份证号", "身份证", "身份证号码", "证件号", "证件号码"),
    "bank_card": ("卡号", "银行卡号", "银行卡", "储蓄卡", "信用卡号", "账号", "借记卡"),
    "email": ("邮箱", "电子邮箱", "邮件地址", "E-mail", "Email"),
}

# --- decoys: shapes that are not personal data -----------------------------------------------


def _amount(rng: random.Random) -> str:
    return rng.choice(
        (
            f"{rng.randrange(1, 99999)}元",
            f"{rng.randrange(1, 999)},{rng.randrange(1000):03d}.{rng.randrange(100):02d}元",
            f"¥{rng.randrange(100, 99999)}.{rng.randrange(100):02d}",
            f"{rng.randrange(1, 500)}.{rng.randrange(10)}万元",
            f"{rng.choice(_PHONE_SEGMENTS)}{rng.randrange(10**8):08d}元",  # phone-shaped money
            f"人民币{rng.randrange(10**5, 10**9)}元",
            f"{rng.randrange(1, 9999)}美元",
        )
    )


def _date(rng: random.Random) -> str:
    day = _birth(rng) + timedelta(days=rng.randrange(8000))
    return rng.choice(
        (f"{day:%Y-%m-%d}", f"{day.year}年{day.month}月{day.day}日", f"{day:%Y%m%d}",
         f"{day:%Y/%m/%d}", f"{day.month}月{day.day}号")
    )  # fmt: skip


def _time(rng: random.Random) -> str:
    h, m, s = rng.randrange(24), rng.randrange(60), rng.randrange(60)
    return rng.choice((f"{h:02d}:{m:02d}", f"{h:02d}:{m:02d}:{s:02d}", f"下午{h % 12 + 1}点{m}分"))


def _datetime(rng: random.Random) -> str:
    return f"{_birth(rng) + timedelta(days=rng.randrange(8000)):%Y-%m-%d} {_time(rng)[:5]}"


def _order(rng: random.Random) -> str:
    stamp = f"{2020 + rng.randrange(7)}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}"
    return rng.choice(
        (
            f"订单号{stamp}{rng.randrange(10**4):04d}",
            f"订单号：DD{stamp}{rng.randrange(10**6):06d}",
            f"工单号 GD-{stamp}-{rng.randrange(10**4):04d}",
            f"流水号{stamp}{rng.randrange(10**12):012d}",  # 20 digits: longer than any card
            f"快递单号SF{rng.randrange(10**12):012d}",
            # 18-19 digits like a marketplace order: one in ten passes Luhn (see _bad_id)
            f"订单编号{rng.randrange(1, 10)}{rng.randrange(10**17):017d}"[: rng.choice((22, 23))],
        )
    )


def _bad_id(rng: random.Random) -> str:
    """18 characters with a real region and date whose check character is wrong. About one in
    ten of the all-digit ones passes Luhn and is redacted as a card, by the redactor's design
    (it prefers false positives); they are counted as errors here all the same."""
    first17 = f"{rng.choice(_REGIONS)}{_birth(rng):%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + rng.choice([c for c in "0123456789X" if c != id_check(first17)])


def _luhn_failing(rng: random.Random) -> str:
    """An unlabelled 16-19 digit run that fails Luhn (and is no valid ID)."""
    while True:
        value = "".join(str(rng.randrange(10)) for _ in range(rng.randrange(16, 20)))
        if value[0] != "0" and not luhn_ok(value) and not valid_id(value):
            return value


def _percent(rng: random.Random) -> str:
    return rng.choice(
        (f"{rng.randrange(1, 100)}%", f"{rng.randrange(10)}.{rng.randrange(100):02d}%",
         f"百分之{rng.randrange(1, 100)}", f"{rng.randrange(1, 30)}.{rng.randrange(10)}‰")
    )  # fmt: skip


def _year(rng: random.Random) -> str:
    return rng.choice((f"{rng.randrange(1950, 2030)}年", f"{rng.randrange(1990, 2030)}"))


DECOYS: dict[str, Callable[[random.Random], str]] = {
    "amount": _amount,
    "date": _date,
    "time": _time,
    "date_time": _datetime,
    "order_number": _order,
    "id_bad_check": _bad_id,
    "digits_luhn_fail": _luhn_failing,
    "percent": _percent,
    "year": _year,
}
_DECOY_FRAMES = (
    "上个月转了{d}",
    "时间是{d}",
    "记录显示{d}",
    "客户提到{d}",
    "系统里是{d}",
    "备注{d}",
)

# --- sentences -------------------------------------------------------------------------------

_LABELLED = (
    "我的{label}是{value}，麻烦您核实一下",
    "{label}：{value}",
    "{label}:{value}，请尽快处理",
    "请记下客户的{label} {value}",
    "客户留下的{label}为{value}，稍后回访",
    "{label}{value}已登记",
    "您好，{label}是 {value} 对吗",
)
_BARE = (
    "您可以通过{value}联系我",
    "{value}是客户刚才报的",
    "客户说{value}，请帮忙查一下",
    "好的，{value}，我已经记录下来了",
    "请确认{value}是否正确",
    "{value}",
    "麻烦回拨{value}谢谢",
)
_FULL_WIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}  # ASCII -> full-width


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    kind: str  # an identifier kind, or a decoy kind
    core: int = 0  # characters at the start that identify nobody (a phone's country code)


@dataclass(frozen=True, slots=True)
class Case:
    """One answer text with where its identifiers and decoys are."""

    text: str
    identifiers: tuple[Span, ...]
    decoys: tuple[Span, ...]


class _Builder:
    def __init__(self) -> None:
        self.text = ""
        self.identifiers: list[Span] = []
        self.decoys: list[Span] = []

    def add(self, piece: str, kind: str | None = None, decoy: bool = False) -> None:
        if kind is not None:
            span = Span(len(self.text), len(self.text) + len(piece), kind, _prefix(piece, kind))
            (self.decoys if decoy else self.identifiers).append(span)
        self.text += piece

    def frame(self, template: str, value: str, kind: str, decoy: bool, **fields: str) -> None:
        before, after = template.split("{value}")
        self.add(before.format(**fields))
        self.add(value, kind, decoy)
        self.add(after.format(**fields))

    def case(self) -> Case:
        return Case(self.text, tuple(self.identifiers), tuple(self.decoys))


def _prefix(value: str, kind: str) -> int:
    """Length of a phone's country code as written (full-width too), else 0."""
    if kind != "phone":
        return 0
    folded = value.translate({v: k for k, v in _FULL_WIDTH.items()})
    return max((len(p) for p in PHONE_PREFIXES if p and folded.startswith(p)), default=0)


def _decoy(rng: random.Random, builder: _Builder) -> None:
    kind = rng.choice(sorted(DECOYS))
    value = DECOYS[kind](rng)
    if rng.random() < 0.1:
        value = value.translate(_FULL_WIDTH)
    frame = rng.choice(_DECOY_FRAMES).replace("{d}", "{value}")
    builder.frame(frame, value, kind, decoy=True)


def generate(n: int = 5000, seed: int = 0) -> list[Case]:
    """`n` identifiers (kinds in turn), each in its own sentence, plus decoys."""
    rng = random.Random(seed)
    cases = []
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        value = _MAKERS[kind](rng)
        if rng.random() < 0.15:
            value = value.translate(_FULL_WIDTH)
        builder = _Builder()
        decoy_first = rng.random() < 0.25
        if decoy_first:
            _decoy(rng, builder)
            builder.add("。")
        if rng.random() < 0.6:
            template = rng.choice(_LABELLED)
            builder.frame(template, value, kind, False, label=rng.choice(_LABELS[kind]))
        else:
            builder.frame(rng.choice(_BARE), value, kind, False)
        if not decoy_first and rng.random() < 0.33:
            builder.add("，另外")
            _decoy(rng, builder)
        builder.add(rng.choice(("。", "！", "", "？")))
        cases.append(builder.case())
    for _ in range(n // 2):
        builder = _Builder()
        _decoy(rng, builder)
        builder.add(rng.choice(("，", "；", "。")))
        _decoy(rng, builder)
        builder.add("。")
        cases.append(builder.case())
    return cases


# --- measuring -------------------------------------------------------------------------------


@dataclass
class Tally:
    total: int = 0
    hit: int = 0
    right_kind: int = 0


@dataclass
class Result:
    """Counts per kind; `misses` and `false_positives` keep examples."""

    n: int
    seed: int
    identifiers: dict[str, Tally] = field(default_factory=lambda: {k: Tally() for k in KINDS})
    prefix_left: int = 0  # phones replaced but for the country code before them
    replaced: dict[str, Tally] = field(default_factory=lambda: {k: Tally() for k in KINDS})
    decoys: dict[str, Tally] = field(default_factory=lambda: {k: Tally() for k in sorted(DECOYS)})
    misses: list[tuple[str, str]] = field(default_factory=list)  # (kind, text)
    false_positives: list[tuple[str, str]] = field(default_factory=list)  # (decoy kind, text)

    @property
    def recall(self) -> float:
        tallies = self.identifiers.values()
        return sum(t.hit for t in tallies) / max(1, sum(t.total for t in tallies))

    @property
    def precision(self) -> float:
        tallies = self.replaced.values()
        return sum(t.hit for t in tallies) / max(1, sum(t.total for t in tallies))

    @property
    def passed(self) -> bool:
        return self.recall >= TARGET_RECALL and self.precision >= TARGET_PRECISION


def _covered(start: int, stop: int, ranges: Sequence[tuple[int, int]]) -> bool:
    """Whether the replaced ranges (sorted, disjoint) together cover all of start..stop."""
    at = start
    for low, high in ranges:
        if low <= at < high:
            at = high
        if at >= stop:
            return True
    return False


def _overlaps(a_start: int, a_end: int, b: Span) -> bool:
    return a_start < b.end and b.start < a_end


def measure(cases: Sequence[Case], n: int = 0, seed: int = 0) -> Result:
    result = Result(n=n, seed=seed)
    for case in cases:
        redaction = redact(case.text)
        ranges = [(r.start, r.end) for r in redaction.replacements]
        for span in case.identifiers:
            tally = result.identifiers[span.kind]
            tally.total += 1
            if _covered(span.start + span.core, span.end, ranges):
                tally.hit += 1
                result.prefix_left += not _covered(span.start, span.end, ranges)
                kinds = {r.kind for r in redaction.replacements if _overlaps(r.start, r.end, span)}
                tally.right_kind += kinds == {span.kind}
            else:
                result.misses.append((span.kind, case.text))
        for r in redaction.replacements:
            tally = result.replaced[r.kind]
            tally.total += 1
            real = [s for s in case.identifiers if _overlaps(r.start, r.end, s)]
            tally.hit += bool(real)
            tally.right_kind += any(s.kind == r.kind for s in real)
        for span in case.decoys:
            tally = result.decoys[span.kind]
            tally.total += 1
            if any(_overlaps(start, end, span) for start, end in ranges):
                tally.hit += 1
                result.false_positives.append((span.kind, case.text))
    return result


def run(n: int = 5000, seed: int = 0) -> Result:
    """Generate and measure."""
    return measure(generate(n, seed), n, seed)


# --- reporting -------------------------------------------------------------------------------


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.2f}%" if whole else "-"


def render(result: Result, examples: int = 0) -> str:
    """Markdown tables of recall, precision and decoys, and up to `examples` of each error."""
    lines = [
        f"n = {result.n} identifiers, seed {result.seed}",
        "",
        "| kind | identifiers | fully replaced | recall | right placeholder | replaced spans "
        "| real identifiers | precision |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for kind in KINDS:
        i, r = result.identifiers[kind], result.replaced[kind]
        lines.append(
            f"| {kind} | {i.total} | {i.hit} | {_pct(i.hit, i.total)} | "
            f"{_pct(i.right_kind, i.hit)} | {r.total} | {r.hit} | {_pct(r.hit, r.total)} |"
        )
    ids, reps = result.identifiers.values(), result.replaced.values()
    found, total = sum(t.hit for t in ids), sum(t.total for t in ids)
    right = sum(t.right_kind for t in ids)
    real, spans = sum(t.hit for t in reps), sum(t.total for t in reps)
    lines.append(
        f"| **all** | {total} | {found} | **{_pct(found, total)}** | {_pct(right, found)} | "
        f"{spans} | {real} | **{_pct(real, spans)}** |"
    )
    if result.prefix_left:
        lines.append(
            f"\n{result.prefix_left} phones were replaced but for their country code "
            "(`+[PHONE_1]`, `0086 [PHONE_1]`): counted as replaced."
        )
    lines += ["", "| decoy (must stay) | decoys | redacted | share |", "|---|---:|---:|---:|"]
    for kind, tally in result.decoys.items():
        lines.append(f"| {kind} | {tally.total} | {tally.hit} | {_pct(tally.hit, tally.total)} |")
    lines += [
        "",
        f"target recall >= {TARGET_RECALL:.1%}: "
        f"{'PASS' if result.recall >= TARGET_RECALL else 'FAIL'} ({result.recall:.2%})",
        f"target precision >= {TARGET_PRECISION:.0%}: "
        f"{'PASS' if result.precision >= TARGET_PRECISION else 'FAIL'} ({result.precision:.2%})",
    ]
    if examples:
        for title, rows in (("missed", result.misses), ("decoys redacted", result.false_positives)):
            if rows:
                lines += ["", f"{title} (first {min(examples, len(rows))} of {len(rows)}):"]
                lines += [f"- {kind}: `{text}`" for kind, text in rows[:examples]]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=5000, help="identifiers to generate (5000)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (0)")
    parser.add_argument("--misses", type=int, default=0, metavar="K", help="show K examples")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target fails")
    args = parser.parse_args(argv)
    result = run(args.n, args.seed)
    sys.stdout.write(render(result, args.misses))
    return 1 if args.strict and not result.passed else 0


if __name__ == "__main__":
    raise SystemExit(main())
