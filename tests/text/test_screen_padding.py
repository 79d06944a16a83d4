"""The `repetition` and `padding` flags: an answer that repeats itself or is filled with text
that says nothing. Both are facts for the reader; on the keyword path they cost no points (the
key points count once anyway), so every test also checks the score did not move."""

from __future__ import annotations

import pytest

import coach
from tests.support import EXAMPLES

# An honest answer to the mini bank's `atm` question, without a full stop at its end.
HONEST = (
    "我会先安抚客户的情绪，请他别着急，并把他遇到的情况登记下来。"
    "然后跟他说明冻结的账户要按规定审核，请他带上身份证件和交易凭证，审核通过后再办理解冻"
)


def grade(bank: coach.Bank, answer: str, question: str = "atm") -> coach.GradeResult:
    return coach.grade_offline(bank, bank.question(question), answer)


def flags(result: coach.GradeResult) -> set[str]:
    return set(result.flag_codes) & {"repetition", "padding"}


@pytest.fixture(scope="module")
def english() -> coach.Bank:
    return coach.load_bank(EXAMPLES / "rubric-en.yaml")


# -- repetition ----------------------------------------------------------------------------


@pytest.mark.parametrize("copies", [2, 3, 5])
def test_an_answer_pasted_again_is_repetition(mini: coach.Bank, copies: int) -> None:
    once = grade(mini, HONEST)
    # Joined by a newline: the copies' first and last clauses run together when normalized.
    result = grade(mini, "\n".join([HONEST] * copies))
    assert flags(result) == {"repetition"}
    assert result.score == once.score
    (flag,) = [f for f in result.flags if f.code == "repetition"]
    quote = flag.evidence[0]
    assert quote.quote in HONEST
    assert quote.start > len(HONEST) - len(quote.quote)  # the second telling, not the first


def test_one_sentence_said_over_and_over_is_repetition(mini: coach.Bank) -> None:
    refrain = "请您放心，您的资金是安全的。"
    result = grade(mini, HONEST + "。" + refrain * 3)
    assert "repetition" in flags(result)
    assert result.score == grade(mini, HONEST).score
    (flag,) = [f for f in result.flags if f.code == "repetition"]
    assert "资金是安全的" in flag.evidence[0].quote


def test_an_english_answer_pasted_again_is_repetition(english: coach.Bank) -> None:
    question = english.questions[0]
    answer = question.model_answer.strip()
    result = coach.grade_offline(english, question, "\n\n".join([answer] * 2))
    assert "repetition" in flags(result)


def test_short_refrains_and_enumerations_are_not_repetition(mini: coach.Bank) -> None:
    answer = (
        "第一，好的，我会先安抚客户的情绪，请他别着急。第二，好的，我会核实身份并登记诉求。"
        "第三，好的，我会说明冻结的账户要按规定审核，请他提供身份证件和交易凭证。"
    )
    assert not flags(grade(mini, answer))
    # A point said twice for emphasis, in a longer answer, is not a pasted copy.
    twice = HONEST + "。总之，我会先安抚客户的情绪，再按规定审核后办理解冻，不会跳过流程"
    assert "repetition" not in flags(grade(mini, twice))


# -- padding ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "filler",
    [
        "\n" * 12 + "！" * 12,
        "～～～～～～～～～～～～～～～～～～～～～～～～",
        "?!" * 15,
        "🙂" * 25,
    ],
)
def test_runs_of_punctuation_or_blank_lines_are_padding(mini: coach.Bank, filler: str) -> None:
    answer = HONEST + filler + "。我会跟进办理进度。"
    result = grade(mini, answer)
    assert flags(result) == {"padding"}
    assert result.score == grade(mini, HONEST + "。我会跟进办理进度。").score
    (flag,) = [f for f in result.flags if f.code == "padding"]
    quote = flag.evidence[0]
    assert answer[quote.start : quote.end] == quote.quote
    assert quote.quote.strip("\n")[:3] == filler.strip("\n")[:3]


@pytest.mark.parametrize(
    "answer",
    [
        HONEST + "。\n\n" + "-" * 30 + "\n\n我会跟进办理进度。",  # a Markdown rule
        "| 步骤 | 做法 |\n|------|------------|\n| 一 | " + HONEST + " |",  # a table
        HONEST + "……\n\n\n我会跟进办理进度！！",  # ordinary emphasis and paragraphs
        HONEST + "。" + " " * 30 + "我会跟进办理进度。",  # spaces count once
    ],
)
def test_layout_is_not_padding(mini: coach.Bank, answer: str) -> None:
    assert "padding" not in flags(grade(mini, answer))


def test_a_long_latin_run_in_a_chinese_answer_is_padding(mini: coach.Bank) -> None:
    mash = " ".join(["qwer tyui asdf ghjk zxcv bnm", "poiu lkjh mnbv"] * 6)
    assert len(mash) >= 120
    result = grade(mini, HONEST + "。" + mash)
    assert "padding" in flags(result)
    assert result.score <= grade(mini, HONEST).score  # (the bare words read as a term list)


def test_english_in_a_chinese_answer_or_an_english_bank_is_not_padding(
    mini: coach.Bank, english: coach.Bank
) -> None:
    quoted = (
        "如果是外籍客户，我会用英文说明：I am sorry for the trouble, and I will check the "
        "status of your account with you. The account was frozen to protect your money, and "
        "we can unfreeze it once we have verified your identity."
    )
    assert "padding" not in flags(grade(mini, HONEST + "。" + quoted))
    for question in english.questions:
        assert not flags(coach.grade_offline(english, question, question.model_answer))


def test_the_prompt_restated_is_padding(mini: coach.Bank) -> None:
    prompt = mini.question("atm").prompt
    result = grade(mini, prompt + "\n" + HONEST)
    assert flags(result) == {"padding"}
    # The same key points; the prompt's own "立刻解冻" is a deduction trigger, asserted here.
    honest = grade(mini, HONEST)
    assert [c.points for c in result.criteria] == [c.points for c in honest.criteria]
    (flag,) = [f for f in result.flags if f.code == "padding"]
    assert flag.evidence[0].quote.startswith(prompt[:4])


def test_a_short_quote_of_the_question_is_not_padding(mini: coach.Bank) -> None:
    # "客户在ATM取款时误操作" and "要求你立刻解冻" are short pieces of the prompt.
    answer = "客户在ATM取款时误操作，账户冻结了，他要求立刻解冻。" + HONEST
    assert "padding" not in flags(grade(mini, answer))


def test_courtesy_and_self_promotion_are_padding(mini: coach.Bank) -> None:
    filler = (
        "首先这个问题问得很好，在回答之前我想先谈谈我的看法。"
        "我性格开朗，吃苦耐劳，责任心强，希望能加入贵行。"
        "以上是我的回答，谢谢面试官，祝您工作顺利，万事如意！"
    )
    result = grade(mini, HONEST + "。" + filler)
    assert flags(result) == {"padding"}
    assert result.score == grade(mini, HONEST).score
    (flag,) = [f for f in result.flags if f.code == "padding"]
    assert len(flag.evidence) == 3 and "问题问得很好" in flag.evidence[0].quote


@pytest.mark.parametrize("ending", ["谢谢！", "谢谢面试官。", "以上是我的回答，谢谢。"])
def test_an_honest_answer_ending_in_thanks_is_not_padding(mini: coach.Bank, ending: str) -> None:
    assert not flags(grade(mini, HONEST + "。" + ending))


def test_a_long_honest_answer_is_neither(mini: coach.Bank) -> None:
    answer = (
        HONEST + "。如果客户今天急着用钱，我会帮他看看能不能在柜台用其他方式先办理。"
        "冻结的原因可能是连续输错密码、吞卡或者风控判定为异常交易，我会联系运营部门调取设备日志，"
        "查清楚原因再处理，不会盲目操作。办理过程中我会告诉客户大概需要多长时间，主动跟进进度，"
        "办好后打电话通知他。最后提醒客户保管好密码和卡片，遇到问题第一时间联系银行。"
    )
    assert not flags(grade(mini, answer))


def test_filler_the_rubric_asks_for_is_content() -> None:
    bank = coach.load_bank("bank-smart-cs")
    question = bank.question("o1")  # a self-introduction: the rubric wants "希望加入贵行"
    answer = (
        "面试官您好，我叫王明，毕业于某某大学金融学专业。我在银行客服中心实习过三个月，"
        "每天接待几十位客户，学会了耐心倾听。希望能加入贵行，加入贵行的智能客服团队，"
        "期待加入贵行。谢谢面试官！"
    )
    assert "padding" not in flags(coach.grade_offline(bank, question, answer))
