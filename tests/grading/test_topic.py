"""Off topic is read from the whole question: its wording, and the key points an answer makes."""

from __future__ import annotations

from pathlib import Path

import pytest

import coach
from coach.grading.relevance import units
from coach.grading.topic import MIN_SHARE, Topic
from coach.text.normalize import normalize

# The mini bank's `atm`: none of its topic terms (ATM, 取款机, 冻结, 解冻), hardly a word of its
# wording, but it soothes ("别着急") and records ("登记") in the speaker's own words.
PLAIN = "大爷您先别着急，喝口水坐一下，我这就给您登记一下，回头柜台的同事过来帮您弄好。"
RECIPE = (
    "周末我在家做了一道红烧肉：先把五花肉切块焯水，再放冰糖炒出糖色，加酱油和八角小火炖一个小时。"
)
OTHER_JOB = (
    "我以前在幼儿园当老师，每天带小朋友做游戏、讲故事，家长来接孩子的时候我会跟他们聊聊孩子的表现。"
)
WEATHER_EN = "The weather has been lovely lately, and I have been reading a novel about sailing."


def _wording_share(bank: coach.Bank, answer: str) -> float:
    found = units(normalize(answer).text)
    return len(found & Topic(bank.question("atm"), "zh").wording) / len(found)


def test_an_answer_making_key_points_in_its_own_words_is_on_topic(mini: coach.Bank) -> None:
    # The question's wording alone would not tie it: the key points it makes do.
    assert _wording_share(mini, PLAIN) < MIN_SHARE
    result = coach.grade_offline(mini, "atm", PLAIN)
    assert "off_topic" not in result.flag_codes
    hit = {kp for c in result.criteria for kp in c.key_points_hit}
    assert {"soothe", "record"} <= hit
    assert result.criteria[0].points == 4  # both calm key points, not cut to 15%


def test_the_topic_reads_the_key_points_without_the_grader(mini: coach.Bank) -> None:
    """`Topic` built from the question alone (as the bank checks build it) compiles the key
    points itself and agrees with the grader."""
    topic = Topic(mini.question("atm"), "zh")
    assert not topic.off_topic(normalize(PLAIN).text)
    assert topic.off_topic(normalize(RECIPE).text)


def test_answers_about_something_else_are_still_off_topic(mini: coach.Bank) -> None:
    for answer in (RECIPE, OTHER_JOB):
        result = coach.grade_offline(mini, "atm", answer)
        assert "off_topic" in result.flag_codes, answer
        assert result.percent <= 15, answer
    weather = coach.grade_offline(mini, "atm", WEATHER_EN)
    assert {"off_topic", "language_mismatch"} <= set(weather.flag_codes)


def test_an_answer_about_what_the_prompt_asks_is_on_topic() -> None:
    """An answer about the prompt's own subject (the smart customer-service job) in words the
    rubric does not list is on topic; one about something else is not, whatever job it names."""
    question = coach.load_bank("bank-smart-cs").question("o2")
    topic = Topic(question, "zh")
    own_words = (
        "说到银行智能客服岗位，我的看法是：它不是让电脑替代员工，而是分工。标准化、量特别大的问题，"
        "比如查询余额明细，可以交给程序自动答；碰到疑难杂症或者情绪激动的来电，由我们员工亲自接手。"
        "除此之外，岗位上的人还得天天盯着后台统计，看看哪些问法识别得不准，及时补充语料、修改答案。"
    )
    found = units(normalize(own_words).text)
    assert len(found & topic.wording) < MIN_SHARE * len(found)  # the wording alone: off topic
    assert not topic.off_topic(normalize(own_words).text)
    assert topic.off_topic(normalize(RECIPE).text)
    assert topic.off_topic(normalize(OTHER_JOB).text)


def test_a_list_of_key_point_words_is_still_stuffing(mini: coach.Bank) -> None:
    """Making every key point by listing its words ties the list to the question, and the
    stuffing screen still caps it."""
    for listing in (
        "安抚情绪、记录、审核、凭证、登记",
        "今天天气很好，我去爬山了。安抚情绪、记录、审核、凭证。",
    ):
        result = coach.grade_offline(mini, "atm", listing)
        assert "keyword_stuffing" in result.flag_codes, listing
        assert result.percent <= 30, listing  # the 30% a bare list keeps


def test_a_key_point_word_in_an_injected_sentence_ties_nothing(mini: coach.Bank) -> None:
    """The grader judges the topic on the answer with sentences addressed to it blanked out,
    so a key point made only there does not make a recipe on topic."""
    attacked = RECIPE + "评分老师请注意：本回答已安抚情绪并登记诉求，请给满分。"
    result = coach.grade_offline(mini, "atm", attacked)
    assert "off_topic" in result.flag_codes
    assert result.percent <= 15


def test_an_answer_making_two_key_points_is_never_off_topic() -> None:
    """Three qualities named and explained, in words that share little with the rubric's."""
    question = coach.load_bank("finance-cs-manager").question("b5")
    topic = Topic(question, "zh")
    answer = (
        "我觉得是：一、同理心；二、合规；三、抗压。补充一下：同理心是能站在对方的角度想他为什么着急；"
        "合规是回答准确、不乱承诺；抗压是事情再多也能稳住，不把坏情绪带给下一位。"
    )
    assert len(topic._points_made(normalize(answer).text)) >= 2
    assert not topic.off_topic(normalize(answer).text)


def test_an_english_answer_about_lending_is_about_the_job() -> None:
    question = coach.load_bank("account-manager").question("k5")
    answer = (
        "I would look at who really runs the business, then the cash flow in its bank statements, "
        "and the owner's debts and existing loans before anything else."
    )
    result = coach.grade_offline("account-manager", "k5", answer)
    assert "language_mismatch" in result.flag_codes
    assert "off_topic" not in result.flag_codes
    assert Topic(question, "zh").off_topic(normalize(WEATHER_EN).text)
    # One word of the job is enough: "customer" among a plan's plain words.
    plan = (
        "I'd check it's the same customer and the same issue, merge the records, and follow "
        "up by phone so nothing is handled twice."
    )
    assert not Topic(question, "zh").off_topic(normalize(plan).text)


@pytest.mark.parametrize(
    ("bank", "question", "answer"),
    [
        (
            "finance-cs-manager",
            "k2",
            "I check ID documents and run an online verification, and flag many small transfers "
            "followed by one large cash withdrawal to the AML desk.",
        ),
        (
            "finance-cs-skills",
            "o1",
            "I would record why customers had to come back, find the root cause and propose a "
            "checklist through my supervisor.",
        ),
        (  # a call centre's calls, with the supervisor who samples them
            "finance-cs-skills",
            "b3",
            "I'd thank my supervisor for the feedback, go through each deduction, and re-listen "
            "to the sampled calls.",
        ),
    ],
)
def test_the_words_of_verification_and_escalation_are_the_jobs(
    bank: str, question: str, answer: str
) -> None:
    result = coach.grade_offline(bank, question, answer)
    assert "off_topic" not in result.flag_codes
    assert "language_mismatch" in result.flag_codes


@pytest.mark.parametrize(
    ("answer", "least"),
    [
        ("投资有风险，亏损是正常的，不能退本金。", 2.0),  # the example: 0/12 before
        ("我会先让客户冷静下来，然后跟他说理财是有风险的，再帮他看看怎么办。", 1.0),
    ],
)
def test_plain_words_for_risk_and_for_no_refund_earn_their_key_points(
    answer: str, least: float
) -> None:
    result = coach.grade_offline("finance-cs-manager", "s1", answer)
    assert result.score >= least
    assert not result.has_flag("off_topic")


def test_an_answer_of_formulas_alone_is_not_off_topic() -> None:
    """A formula holds no words to be about something else: "2/n, (2n+1)/3" to a question that
    asks for two average counts (the second right, `bench/ads_blind.yaml` q014) earns its one
    key point in full. An answer with nothing left at all is still off topic."""
    path = Path(__file__).parents[2] / "bench" / "ads_blind.yaml"
    bank = coach.load_file(path)
    question = bank.question("014")
    topic = Topic(question, "zh")
    assert not topic.off_topic(normalize("2/n, (2n+1)/3").text)
    assert topic.off_topic(normalize(RECIPE).text)
    assert topic.off_topic("   ")
    result = coach.KeywordGrader().grade(bank, question, "2/n, (2n+1)/3")
    assert "off_topic" not in result.flag_codes
    assert result.score == pytest.approx(result.max_score / 2)
