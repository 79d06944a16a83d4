"""Lexicons of what marks text as the answer's own, not an address to the grader.

A grading word next to a domain word belongs to the answer ("信用评分", "customer feedback");
a customer's rating of the service may ask for a score; someone else's words (a customer, a
caller, a scam message) carry their own "you"; a chat transcript's speaker labels open its
lines. `coach.text.grading_concepts` reads them beside the concepts of
`coach.text.grading_words`, in the same entry syntax.
"""

from __future__ import annotations

# Words that make a grading word right next to them part of an answer: credit scores, risk
# grades, performance reviews, loyalty points, a customer's feedback.
DOMAIN = (
    "credit|risk|fraud|customer*|client*|service|kpi|performance|employee*|staff|team|branch"
    "|bank|banks|banking|loan*|debt*|cash flow|deposit*|mortgage*|repay*|overdue|borrower*|lender*"
    "|complaint*|money|payment*|card|cards|invest*|insurance|interest rate*"
    "|product|fund|bond|fico|loyalty|reward*|bonus|redeem*|cashback|miles|member*|test|exam|sales"
    "|account*|transaction*|sms|message|email|link|call|calls|caller|scam*|app|信用|征信|芝麻|风险|风控"
    "|客户|顾客|用户|服务|产品|基金|理财|债券|资产|绩效|考核|员工|团队|门店|网点|积分|质检|考试"
    "|测评|账户|交易|销售|业绩|评估|应用商店|短信|链接|电话|来电|骗|诈骗|app|experience|体验"
    "|知识库|话术库|knowledge base|faq|transfer*|cash|funds|aml|verif*|identity|document*"
    "|supervisor*|escalat*|refund*|fee|fees",
)
# A customer's rating of the service: a sentence about it may ask for a score ("如果满意，请给
# 我打个满分") without speaking to the grader.
RATING = (
    "satisfaction|satisfied|survey|review|reviews|star|stars|csat|nps|rate us|rate our|满意|好评"
    "|差评|五星|星级|问卷|评价|打星",
)
# Someone else's words in the answer: a speaker (a customer, a caller, a scammer's message)
# with a verb of saying after it, or a verb of telling with the speaker as its object ("I tell
# the customer: ignore that message"). Their "you" is not the grader.
SPEAKER = (
    "customer*|client*|caller*|he|she|they|him|her|them|scammer*|fraudster*|the message|the sms"
    "|friend*|colleague*|family|the text|the email|the bank|客户|顾客|他|她|对方|用户|老人|老人家"
    "|客人|骗子|大爷|阿姨|来电者|短信|信息|那人|家属|领导|主管|朋友|同事|家人",
)
SAID = (
    "said|says|asked|asks|told|tells|shouted|insisted|wants|wanted|demanded|yelled|wrote|writes"
    "|claimed|complained|说|讲|问|喊|骂|表示|称|嚷|吼|要求|写着|写道|坚持|抱怨|让我|叫我|求我",
)
TOLD = (
    "tell|told|remind|reminded|ask|asked|advise|advised|warn|warned|urge|urged|explain to|告诉"
    "|提醒|叮嘱|劝|跟|对|和|向|让|请|叫|教",
)
# Speaker labels of a chat transcript, at a sentence's start.
ROLE = (
    "system|assistant|developer|admin|user|sys|system note|system message|系统|助手|管理员|开发者"
    "|システム|시스템|systeme|systemnachricht|sistema|система",
)
