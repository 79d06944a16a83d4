"""Small concept lexicons for finding text addressed to the grader, one concept at a time: the
parties and things of a grading (its acts, what is asked or claimed of them, are in
`coach.text.grading_acts`).

`coach.text.addressed` combines concepts by rule ("an addressee on the grading side" with "the
grade as topic"), so no entry here is an attack: each is one word of one concept, in Simplified
and Traditional Chinese (folded alike by normalization), Cantonese, English, Japanese, Korean,
French, German, Spanish, Russian, with a few words of Portuguese, Italian, Arabic, Hindi,
Vietnamese, Indonesian, Turkish, Polish and pinyin. A new attack is caught when its words fall
into the concepts, whatever order or wording it uses.

Entry syntax: entries are separated by ``|``; a ``*`` after a word lets it go on
(``ignor*``: ignore, ignorez; ``высш* балл*``), a leading ``*`` lets it start inside a
compound (``*punktzahl``); a space matches an optional space. Latin and Cyrillic entries match
whole words, others anywhere. Entries are folded like answers (case, width, Traditional, accents).
"""

from __future__ import annotations

# "这份应答", "该答复", "本次解答": the answer named by a determiner, whatever noun names it.
_THIS_ANSWER = "|".join(
    this + noun
    for this in "本 这个 这份 这段 这篇 此 该 以上 上述 本次 这次".split()
    for noun in "回答 答案 作答 应答 答复 答卷 解答".split()
)
# The grading side named as such: whoever or whatever marks the answer.
GRADER = (
    "grader*|scorer*|evaluator*|examiner*|assessor*|judge|judges|ai grader|llm judge|grading model"
    "|grading system|grading ai|scoring ai|marking model|language model*|llm*|chatgpt|gpt*|claude"
    "|whoever reads this|whoever is reading|whoever grades|whoever marks|whoever scores|reviewer*"
    "|the marker|markers|看卷的老师|看卷老师|改卷老师|改卷的老师|阅卷的老师|判卷老师"
    "|whoever evaluates|评分者|评分员|评分人|评分官|评分老师|阅卷人|阅卷老师|阅卷官|阅卷组|阅卷"
    "|评分方|打分方|阅卷方|评审方|评卷方"
    "|评卷|改卷|判卷|评委|考官|评审员|评审|评阅|评分系统|评分模型|评分程序|评分助手|评分机器人|打分系统"
    "|打分模型|打分员|打分老师|语言模型|大模型|人工智能评分|ai评分|评阅者|评阅人|评阅老师|阅者"
    "|採点者|採点担当|採点官|評価者|試験官|審査員|採点システム|採点ai|채점자|채점관|평가자|심사위원"
    "|심사관|시험관|채점 시스템|채점 ai|언어 모델|evaluateur*|evaluatrice*|correcteur*|correctrice*"
    "|examinateur*|examinatrice*|notateur*|bewerter*|prufer*|korrektor*|gutachter*|sprachmodell*"
    "|evaluador*|calificador*|examinador*|modelo de lenguaje|avaliador*|valutator*|esaminator*"
    "|проверяющ*|оценщик*|экзаменатор*|языков* модел*|المصحح|المقيم|परीक्षक|मूल्यांकनकर्ता"
    "|nguoi cham|giam khao|penilai|pemeriksa|degerlendirici|oceniajacy|whoever evaluates this"
    "|whoever reviews this|the person grading|the person scoring|打分的人|评分的人|看卷的人"
    "|看这份材料的人|看到这段话的人|阅读本材料的人|看这份答卷的人|chi valuta|chi corregge"
    "|qui corrige|qui evalue|qui note|quien evalue|quien corrige|quien califica|wer bewertet"
    "|wer korrigiert",
)
# Words that address a reader who may be the grader: only together with a directive and the
# grade as topic do they count (an answer speaks to its customer as "you" all the time).
YOU = (
    "you|your|yourself|dear|system|the model|ai|assistant|judge|reviewer*|bot|chatbot|你|您|你们"
    "|谢谢老师|老师您|老师你|老师好|各位老师|尊敬的老师|老师辛苦|系统|模型|助手|ai|人工智能|机器人|面试官|你哋|阁下|あなた|君|貴方|システム|モデル"
    "|アシスタント|面接官|先生|당신|너|여러분|시스템|모델|어시스턴트|면접관|선생님|vous|tu|toi"
    "|systeme|modele|assistant*|recruteur*|sie|du|dich|dir|ihr|modell|assistent*|interviewer*"
    "|usted*|ti|sistema|modelo|asistente|entrevistador*|voce|lei|вы|ты|вас|тебя|вам|тебе|систем*"
    "|модел*|ассистент*|интервьюер*",
)
# The grade itself, unmistakably: full marks, the rubric, a perfect fraction (added in code).
FULL_MARKS = (
    "full marks|full mark|full score|full points|perfect score|perfect marks|perfect grade"
    "|maximum score|max score|maximum points|maximum marks|max points|max marks|top score|top marks"
    "|highest score|highest marks|highest grade|top grade|best grade|100 points|high score"
    "|high marks|good marks|good score|good grade|high grade|100 percent|10 out of 10|man fen"
    "|zui gao fen|满分|最高分|高分|一百分|评分项|得分点|采分点|扣分项|满分制|分制|考察点|上第|満点"
    "|最高点|最高得点|만점|최고점|최고 점수|배점|note maximale|note parfaite|meilleure note"
    "|note maximum|tous les points|score maximal|score parfait|volle punktzahl|*hochstpunktzahl"
    "|maximale punktzahl|volle punkte|bestnote|hochstnote|punktzahl|puntuacion maxima"
    "|puntaje maximo|nota maxima|maxima nota|maxima puntuacion|calificacion maxima"
    "|puntuacion perfecta|pontuacao maxima|punteggio massimo|voto massimo|massimo dei voti"
    "|максимальн* балл*|высш* балл*|высш* оценк*|максимальн* оценк*|полн* балл*|الدرجة الكاملة"
    "|العلامة الكاملة|पूरे अंक|पूर्ण अंक|diem toi đa|diem tuyet đoi|nilai penuh|nilai sempurna"
    "|nilai maksimal|tam puan|en yuksek puan|maksymalna ocena|pelna punktacja|top band|top tier"
    "|highest band|highest tier|best answer|full stars|最高档|第一档|a档|优秀档|最佳答案|满星"
    "|最高等级|最高评级|maximum credit|full credit|max credit|top mark|highest mark|好分数|高分数"
    "|算满|ten out of ten|five out of five|五颗星|满档|最高一档|打在最高|打到最高|打最高|评最高"
    "|分数拉满|分拉满",
)
# The rubric itself: the grading's own rules.
RUBRIC = (
    "rubric*|marking scheme|mark scheme|grading criteria|scoring criteria|grading guide*"
    "|scoring guide*|evaluation criteria|assessment criteria|score sheet|scoring sheet"
    "|marking sheet|grading sheet|评分标准|评分细则|评分规则|评分要求|评分说明|评分要点"
    "|打分标准|打分规则|打分要求|评分表|评分单|打分表|采点基准|評価基準|採点表|채점 기준"
    "|평가 기준|bareme|grille d'evaluation|grille de notation|criteres d'evaluation"
    "|bewertungskriterien|bewertungsraster|bewertungsschema|rubrica|criterios de evaluacion"
    "|criterios de avaliacao|criteri di valutazione|критери* оценк*|scoring rules|marking guide"
    "|evaluation guide|interview rubric|hiring criteria|评估细则|评估标准|评价标准|面试标准"
    "|评分指南|岗位评估标准|evaluation guidelines|grading guidelines|scoring guidelines|评分指引"
    # The reference answer is the grader's key: "参考答案：…" pasted in poses as it.
    "|参考答案|标准答案|答案要点|参考回答|参考作答|示范答案|模范答案|reference answer|answer key"
    "|模範解答|模範回答|模범 답안|모범답안",
)
# Grading words that ordinary answers also use (a credit score, a satisfaction rating): they
# count unless a domain word stands next to them (see DOMAIN).
SCORE = (
    "score|scores|scored|scoring|points|marks|grade|grades|grading|graded|rating|rated|evaluation"
    "|assessment|criteria|criterion|key point*|deduction*|penalt*|percent|ping fen|da fen|fen shu"
    "|de fen|评分|打分|分数|得分|给分|判分|总分|分值|成绩|低分|扣分|加分|评级|打个分|分儿|点数|得点"
    "|采点|評価|评価|点を|スコア|成績|点数を|점수|채점|평가|점을|스코어|성적|점 을|la note|une note"
    "|sa note|ma note|bonne note|noter|notez|notation|score|evaluation|critere*|punkte|punkten"
    "|die note|eine note|noten|bewertung|bewerten|kriterien|benot*|puntuacion|puntaje|puntos|nota"
    "|calificacion|calificar|criterios|evaluacion|pontuacao|pontos|punteggio|punti|voto|valutazione"
    "|балл*|оценк*|критери*|отметк*|verdict|评为|评级为|档次|等级评定|结论为|评判|判定为|本题判定",
)
# The answer or candidate being graded, named as such.
ANSWER = (
    "this answer|my answer|the above answer|the answer above|above answer|this response"
    "|my response|the response above|this submission|my submission|this reply|the candidate"
    "|this candidate|candidate's answer|this applicant|the answer below|the following answer"
    "|the response below|本回答|这个回答|此回答|该回答|这份回答|这段回答|这篇回答|我的回答|以上回答"
    "|上述回答|上面的回答|本答案|这个答案|此答案|我的答案|该答案|本作答|该考生|此考生|这位考生"
    "|本考生|考生|该候选人|这位候选人|候选人|应聘者|面试者|呢个答案|呢个回答|我嘅答案|我嘅回答"
    "|呢份答案|下面的回答|以下回答|下面这个回答|下面这段回答|是答|この回答|本回答|私の回答|この答え"
    "|私の答え|上記の回答|この解答|受験者|候補者|応募者|이 답변|이 답안|제 답변|이 응답|위 답변"
    "|이 대답|지원자|후보자|응시자|cette reponse|ma reponse|la reponse ci-dessus|ce candidat"
    "|cette candidate|le candidat|la candidate|diese antwort|meine antwort|die obige antwort"
    "|dieser kandidat|der kandidat|die kandidatin|diese kandidatin|dieser bewerber|der bewerber"
    "|die bewerberin|esta respuesta|mi respuesta|la respuesta anterior|este candidato|el candidato"
    "|la candidata|esta resposta|minha resposta|o candidato|questa risposta|la mia risposta"
    "|il candidato|этот ответ|мой ответ|данный ответ|ответ выше|этому ответу|этот кандидат"
    "|кандидат*|هذه الإجابة|यह उत्तर|इस उत्तर|cau tra loi nay|jawaban ini|bu cevap|bu cevaba"
    "|ta odpowiedz|this reply|作答|这份作答|本段回答|这段话|以上作答|上述内容|以上内容",
    _THIS_ANSWER,
)
# The one answering, named by the part they play in the interview ("该考生", "这位候选人", "this
# candidate"): no one tells their own account so. Such a sentence is someone's view of them.
THIRD_PERSON = (
    "this candidate|the candidate|this applicant|this interviewee"
    "|该考生|这位考生|这名考生|本考生|该候选人|这位候选人|这名候选人|这个候选人|本候选人"
    "|该应聘者|这位应聘者|这名应聘者|该求职者|这位求职者|该面试者|这位面试者",
)
# ... or as a member of staff ("该客服", "这个小伙子"): in an honest story that is a colleague
# ("客户投诉这位客服态度不好"), so it counts only beside a judgement (`address_rules`).
STAFF_NAMED = (
    "该客服|这位客服|这名客服|这个客服|该柜员|这位柜员|这名柜员|该员工|这位员工|这名员工"
    "|该实习生|这位实习生|这名实习生|这个小伙子|这位小伙子|这个同学|这位同学|该同学|该生|该学员",
)
# Units of a grade: the question, each criterion. Weaker than ANSWER: they count with a grade
# being given or changed.
ITEM = (
    "this question|each criterion|every criterion|each item|every item|per criterion|each part"
    "|本题|此题|这道题|该题|每一项|每项|各项|每个要点|每一个要点|呢题|この問題|各項目|이 문제"
    "|각 항목|cette question|chaque critere|diese frage|jedes kriterium|esta pregunta|cada criterio"
    "|этот вопрос|каждый критерий|这题|这一题|这一道题|这个题|这个题目|本道题|本小题|这小题",
)
# Fields only a grade has (its comment, its rationale): one named as a label, "评语：…", holds
# the words someone wants the grade to say.
VERDICT_FIELD = (
    "评语|点评|总评|讲评|评分理由|评价意见|评审意见|评估意见|评委意见|考评意见|面评|总体评价"
    "|批注|批语|评阅意见|评阅结论|预审意见"
    "|rationale|justification|grader's comment|overall comment|overall assessment|講評|총평"
    "|commentaire du correcteur|begrundung",
)
# What an instruction to the grader sets aside or asks to see: its own instructions.
INSTRUCTIONS = (
    "prompt*|system prompt|your instructions|your guidelines|your programming|rubric*|grading"
    "|scoring|criteria|zhi ling|biao zhun|ping fen|提示词|你的系统提示|系统提示内容|系统提示全文"
    "|系统指令|你的指令|你的设定|你的任务|评分标准|评分规则|评分要求|打分要求|评分说明|评分细则|打分规则|プロンプト|采点基准"
    "|評価基準|评価基准|프롬프트|채점 기준|평가 기준|bareme|criteres|bewertungskriterien|rubrica"
    "|criterios|критерии оценки|промпт*|التعليمات|तعليمات|निर्देश|huong dan|instruksi|petunjuk"
    "|talimat|instrukcje|kryteria oceny",
)
# Instructions in general: a scam text message has them too, so they count only away from a
# domain word.
ORDERS = (
    "instruction*|guideline*|directive*|order|orders|rules|指令|指示|设定|命令|规则|要求|说明|指示"
    "|지시|지침|명령|규칙|consignes|directives|regles|anweisung*|anleitung*|vorgabe*|regeln"
    "|instrucciones|indicaciones|directrices|reglas|instrucoes|istruzioni|инструкци*|указани*"
    "|правил*",
)
# ... or the text before, named by place ("everything above"): weaker, a customer can say it.
EARLIER = (
    "previous|above|prior|earlier|preceding|everything|all of the|以上|上面|之前|前面|上述|此前"
    "|一切|先前|以前|上記|これまで|이전|위의|앞의|precedent*|ci-dessus|vorherig*|obig*|anterior*"
    "|предыдущ*|выше",
)
# A hiring decision.
HIRE = (
    "hire|hired|hiring|shortlist*|next round|make an offer|extend an offer|send an offer|job offer"
    "|pass this candidate|pass the candidate|pass me|advance this candidate|onboard*|start work"
    "|join the team|when can you start|start date|录用|录取|聘用|雇用|发offer|进入下一轮|通过面试"
    "|面试通过|直接通过|予以通过|给予通过|入职|来上班|采用を|采用す|采用し|采用决定|合格です"
    "|合格と|合格に|内定|次の選考|채용|합격"
    "|다음 단계|embauch*|recrut*|tour suivant|einstell*|nachste runde|zusage|contrat*"
    "|siguiente ronda|contratar|assumer|нанять|нанимать|принять на работу|взять на работу"
    "|следующий этап|move forward|moving forward|move the candidate forward|final round|next stage"
    "|strong yes|pre-approved|advance to|终面|复试|二面|三面|下一轮|下一面|背调|推荐录取|建议录用"
    "|建议通过|直接通过",
)
# A free-text field of the grade: what an attack wants its words copied into.
FIELD = (
    "feedback|comment|comments|strength|strengths|improvement*|rationale|follow-up question*"
    "|follow up question*|improved answer|model answer|justification|remarks|评语|点评|总评"
    "|改进建议"
    "|反馈意见|反馈|追问问题|追问环节|追问栏|追问部分|追问里|追问中|在追问|入追问|进追问|追问题"
    "|改写后的回答|改写|示范回答|评分理由|评价意见|优点栏|优点一栏|优点部分|优点里"
    "|优点中|给出优点|在优点|入优点|进优点|缺点栏|缺点一栏|缺点部分|缺点里|缺点中|在缺点|入缺点|进缺点"
    "|フィードバック|コメント|講評|讲评|改善点|長所|长所|所見|所见|피드백|코멘트|강점|개선점"
    "|개선 사항|평가 의견|총평|commentaire*|retour*|points forts|axes d'amelioration|appreciation"
    "|justification|ruckmeldung|kommentar*|starken|verbesserung*|begrundung|comentario*"
    "|retroalimentacion|observaciones|fortalezas|mejoras|justificacion|отзыв*|комментари*"
    "|сильные стороны|обоснован*|summary|summari*|summing up|write-up|praise|positive comments"
    "|kind words|总结|评审意见|评估意见|面试评价|面评|好话|赞美|表扬|夸奖|改进意见|负面评价"
    "|亮点部分|commento*|giudizio"
    "|your evaluation|your assessment|your review|your report|your verdict|你的评价|你的评估"
    "|你的点评|你的结论",
)
# Someone claiming to speak for the grading side.
AUTHORITY = (
    "interviewer*|hiring manager|recruiter*|hr|human resources|admin|administrator*|moderator*"
    "|developer*|grading team|examiners|the panel|system notice|system message|system note"
    "|hiring committee|hiring panel|interview panel|recruitment team|面试官|主考官|考官|评委|阅卷组"
    "|评分组|评分组长|人力资源|人事部|hr|招聘经理|招聘组|管理员|开发者|开发人员|系统通知|系统消息"
    "|系统提示|官方通知|招聘委员会|面试小组|评审组|面接官|人事|採用担当|採用担当|管理者|開発者"
    "|면접관|인사팀|인사 담당|채용 담당|관리자|개발자|recruteur*|rh|ressources humaines"
    "|administrateur*|developpeur*|jury|personalabteilung|personaler|entwickler*|recursos humanos"
    "|rrhh|reclutador*|administrador*|desarrollador*|отдел кадров|рекрутер*|администратор*"
    "|разработчик*|panel|panelist*|panellist*|面试组|面试小组|招聘方|用人部门|hrbp|评审专家|专家组"
    "|考评组|招聘负责人|招聘主管|hiring lead|head of recruiting",
)
# Completeness: all of them, every one.
ALL = (
    "all|every|each|full|fully|complete*|perfect*|entire*|whole|flawless*|全部|所有|每个|每一|每项"
    "|各项|一切|完整|完全|完美|全面|均|都|全都|全て|すべて|全部|完全|完璧|모든|모두|전부|완벽|완전"
    "|tous|toutes|chaque|parfait*|complet*|alle|jede*|samtliche|vollstandig*|perfekt*|todos|todas"
    "|cada|perfect*|complet*|все|всем|каждый|полност*|идеальн*",
)
# Faults the feedback would name: asking to leave them out is an order too.
FAULTS = (
    "weakness*|shortcoming*|flaw*|negative*|criticism|criticise|criticize|faults|mistakes|不足"
    "|缺点|短板|缺陷|问题点|扣分点|弱点|短所|약점|faiblesse*|schwach*|debilidad*|недостат*"
    "|criticis*|criticiz*|negative comments|负面|批评|差评|挑刺|挑毛病",
)
# The parts a rubric is made of, named in a claim about them ("要点自查", "四个维度").
KEY_POINTS = (
    "key point*|criteria|criterion|dimension*|rubric item*|scoring point*|要点|得分点|采分点"
    "|考察点|维度|评分项|评分维度|考点|采点|評価項目|평가 항목|채점 항목|criteres|kriterien"
    "|criterios|критери*",
)
# The answer as a text, named by itself (not the candidate: "我是一名优秀的应聘者" is a
# self-introduction, "这份作答堪称优秀" is a grade).
SELF_TEXT = (
    "this answer|my answer|this response|my response|the above|the answer above|this submission"
    "|my submission|this reply|what i wrote|self-assessment|self-rating|self-evaluation"
    "|self-score|本回答|这个回答|此回答|该回答|这份回答|这段回答|我的回答|以上回答|上述回答|本答案"
    "|这个答案|我的答案|本作答|作答|答卷|以上内容|上述内容|以上作答|本段|这段话|这段内容|自评"
    "|自我评分|自我打分|呢个答案|呢个回答|この回答|私の回答|이 답변|제 답변|cette reponse"
    "|ma reponse|diese antwort|meine antwort|esta respuesta|mi respuesta|этот ответ|мой ответ"
    "|my own answer|my own response|this section|这份答案|这篇回答|这篇答案|本次回答"
    "|本次作答|该答案|此答案|此段|这一段|自己的回答|自己的答案|本答中|本答所|本答的|本文中|本文所"
    "|给自己打|给自己评|give myself|rate myself|grade myself|score myself"
    "|this paragraph|this passage|本段内容|这段内容|据此|按此|照此|依此",
    _THIS_ANSWER,
)
# Words that do not belong to any concept but join them: used to split run-together letters
# ("ignoretherubric") into words. Concept words are added to them.
JOINERS = (
    "the a an and or to of for in on at by with as is are be this that it its me my i we our"
    "from now then so if not no any than one two ten here there what when who which"
)
