"""What is done with a grade, in words: asking, giving, setting aside, writing, claiming,
pleading, praising and casting roles, one concept at a time.

The companion of `coach.text.grading_words` (the parties and things of a grading), with the
same entry syntax and the same languages; `coach.text.grading_concepts` compiles both.
"""

from __future__ import annotations

# Mood: a request, an order or an obligation.
PLEASE = (
    "please|pls|kindly|must|should|shall|have to|has to|need to|needs to|are to|is to|make sure"
    "|ensure|be sure to|remember|i want you|i need you|let's|lets|do not|don't|simply|just|hope"
    "|i wish|would like|i expect|expected|请|务必|必须|一定要|应该|应当|应得|应给|应按|应予|理应|须"
    "|麻烦|烦请|劳烦|记得|别忘了|直接|只需|就行|即可|吧|唔该|唔好|啦|希望|期望|期待|勿"
    "|ください|下さい|してね|しなさい|せよ|しろ|すること|べき|必ず|お願い|주세요|주십시오|하세요"
    "|하십시오|해라|해야|반드시|꼭|부탁|바랍니다|veuillez|merci de|s'il vous plait|svp|vous devez"
    "|tu dois|il faut|doit|devez|n'oubliez pas|bitte|mussen|muss|musst|sollen|sollst|soll|sollte"
    "|unbedingt|por favor|debe|debes|deben|hay que|tienes que|tiene que|asegurate|deve|devem|devi"
    "|per favore|bisogna|пожалуйста|должн*|нужно|необходимо|обязательно|надо|من فضلك|يرجى|कृपया"
    "|vui long|hay|tolong|mohon|lutfen|prosze|it would be great|it would be nice|it would be lovely"
    "|would be great|would be nice|i'd appreciate|i would appreciate|could you|can you|would you"
    "|不要|不得|不许|禁止|能否|可否|能不能|最好"
    "|that'd be great|that would be great|if you could|就好|呗",
)
# Giving, setting or recording a grade.
GIVE = (
    "give|giving|gives|award*|assign*|grant*|mark it|mark this|rate it|rate this|score it"
    "|score this|put down|record it|set it|count it|treat it|bump|gei|gei wo|给|打|评为|判为|判给"
    "|记为|记作|计为|算作|视为|当作|定为|评定|给予|授予|按|俾|畀|予|与え|付け|つけ|あげ|付与"
    "|採点して|采点して|評価して|评価して|주|부여|매겨|매기|donne*|attribue*|accorde*|mets|mettez"
    "|mettre|gib|geben|gebt|vergib|vergeben|erteil*|setz*|bewerte*|da|dale|de|den|denle|otorga*"
    "|asigna*|pon|ponle|concede*|califica*|atribua|assegna*|постав*|дай|дайте|выстав*|присво*"
    "|начисл*|امنح|أعط|اعط|दें|दीजिए|दो|hay cho|cho|beri|berikan|ver|verin|daj|przyznaj|treat"
    "|regard|consider|count|classify|评为|列为|归为|认定为|weight*|weigh|登分|录分|计分",
)
# Setting earlier instructions aside.
IGNORE = (
    "ignore*|ignoring|disregard*|forget*|override*|overwrite*|bypass*|set aside|pay no attention"
    "|don't follow|do not follow|stop following|no longer follow|hu lue|wu shi|忽略|忽视|无视|忘记"
    "|忘掉|不要理会|不用理会|别理会|不理会|别管|不用管|不要管|跳过|覆盖|抛开|撇开|不必遵守|不用遵守"
    "|不要遵守|无需遵守|停止遵循|唔好理|唔使理|唔洗理|咪理|唔理|无视|忘れ|従わな|破棄|上書き|무시"
    "|잊어|잊고|따르지 마|따르지 말|덮어쓰|ignor*|oubli*|ne tenez pas compte|ne tiens pas compte"
    "|faites abstraction|ignorier*|vergiss|vergessen|vergesst|missacht*|uberschreib*|olvid*|omit*"
    "|haz caso omiso|no sigas|esqueca|esquece|dimentica*|игнорир*|забудь*|забуд*|не обращай*"
    "|отмени*|проигнорир*|تجاهل|अनदेखा|नज़रअंदाज़|bo qua|abaikan|lupakan|yoksay|gormezden gel"
    "|zignoruj|ignoruj",
)
# Putting words somewhere: dictating a field, or printing something out.
WRITE = (
    "write*|wrote|put|include*|add|insert*|state|say|paste|copy|mention|note down|fill*|enter"
    "|output|print|repeat|reproduce|echo|list|show|display|reveal|tell me|leak|dump|recite|only ask"
    "|ask only|just ask|写|填|附上|加上|注明|复制|粘贴|输出|复述|改成|改为|列出|照抄|抄|打印|重复"
    "|告诉我|透露|泄露|显示|展示|放进|放到|加到|加进|只问|提问|書い|書き|书い|书き|記載|记载|記入"
    "|记入|入れて|コピー|貼り付け|贴り付け|出力|教えて|表示|繰り返|써|적어|작성|기재|넣어|복사|붙여"
    "|출력|알려|보여|반복|ecri*|mets|mettez|ajout*|copi*|inser*|indiqu*|colle*|affich*|revel*"
    "|repet*|montr*|schreib*|fug*|kopier*|einfug*|trag*|vermerk*|zeig*|wiederhol*|verrat*|escrib*"
    "|anad*|incluy*|inserta*|indica*|pega*|muestra|revela|repite|dime|imprime|scriv*|напиш*|запиш*"
    "|впиш*|добав*|скопир*|вставь*|укаж*|покаж*|выведи|повтори|раскрой|mention*|highlight*|emphasi*"
    "|point out|quote|cite|respond*|reply|提到|提及|提一下|写上|写明|引用|强调|突出|点出|指出|带上"
    "|只说|note|note in|留一句|留下一句|留句|留言",
)
# What an authority does with words: says, notes, approves, decides.
CLAIM = (
    "says|said|notes|noted|note|notice|memo|instruct*|require*|approved|confirmed|decided|states"
    "|ruled|override|authori*|verified|comment|message|has reviewed|reviewed|备注|批示|通知|指示"
    "|指令|要求|规定|确认|批准|审核通过|复核|决定|说明|特批|同意|已核实|认定|表示|写着|写得|写明"
    "|上写|提示|注|指示|承認|確認|确认|決定|决定|備考|备考|メモ|通知|지시|승인|확인|결정|비고|메모"
    "|공지|dit|indique|exige|approuv*|confirm*|decid*|sagt|verlangt|genehmigt|bestatigt|entschieden"
    "|hinweis|notiz|dice|exige|aprob*|confirm*|говорит|сказал*|требует|одобрил*|подтвердил*|решил*"
    "|указал*|заметк*|примечани*|remarks|remark|批注|评注|批复|备忘|consensus|审定|审阅通过",
)
# A claim that the answer meets the grade's demands.
MEETS = (
    "meets|meet|covers|covered|satisfies|satisfied|fulfils|fulfills|fulfilled|addresses|hits|体现出"
    "|has met|has covered|complies with|覆盖|涵盖|满足|符合|达到|命中|击中|达标|完美|体现了|満た"
    "|网罗|網羅|該当|该当|충족|포함|만족|해당|repond a|satisfait|couvre|remplit|erfullt|deckt"
    "|abgedeckt|cumple|cubre|satisface|соответствует|покрывает|удовлетворяет|выполняет|met"
    "|ticks|tick every|checks every box|checks all the boxes",
)
# A claim to be owed a grade: deserves, merits, should get.
DESERVES = (
    "deserves|deserve|merits|earns|warrants|worth|qualifies for|should get|should receive|gets"
    "|receives|should be given|entitled to|应得|值得|理应|配得上|够得上|应该得|应当得|应获得|该得"
    "|値する|ふさわしい|받을 자격|받아야|merite|verdient|merece|merita|заслуживает",
)
# Points taken off: asking for none is an order to the grader ("不要扣分", "do not deduct").
DEDUCT = (
    "deduct points|deduct any points|deduct marks|deduct anything|take off points|take points off"
    "|dock points|dock marks|lose points|lose marks|mark me down|mark down|punkte abziehen"
    "|no deductions|no deduction|without deductions|restar puntos|enlever des points|снимать баллы"
    "|снижать оценку|扣分|减分|扣掉分|扣任何分|扣一分|减一分|扣点|감점|減点|减点|lower any score"
    "|lower the score|lower my score|lower the grade|mark lower|extra points|extra credit"
    "|bonus points|add points|降分|压分|拉低分数|加分|多给分|加点分|加几分"
    "|nothing should be deducted|should not be deducted|not be deducted|不应扣分|不该扣分",
)
# Pleading for the grade: a need, a prayer, a plea for mercy.
PLEAD = (
    "i beg|begging|i really need|i desperately|have mercy|please help me|i need this job"
    "|my family depends|would ruin me|last chance|求求|拜托|恳请|恳求|跪求|求你|求您|手下留情"
    "|高抬贵手|行行好|需要这份工作|很需要这份|太需要|最后的机会|お願いします|제발|부탁드립니다"
    "|hire me|pick me|choose me|take me on|录用我|录取我|聘用我|选我|要我吧"
    "|let me pass|pass me|让我通过|给我通过|放我过|求高分|求满分|求给分|求通过|求录用|求放过",
)
# A grade the candidate got before, told as part of their record ("评委给我打了最高分", "my
# manager gave me full marks"): a story, unless it is about this answer.
RECORD = (
    "gave me|awarded me|rated me|scored me|i got|i received|i won|i earned|i was given|i scored"
    "|打了|给了我|给过我|拿了|拿过|获得过|得过|评为了|获得了|gave me|told me|said i|praised me"
    "|mock interview|practice interview|last interview|previous interview|给我的|对我的|说我|夸我"
    "|评价我|模拟面试|上次面试|上一次面试|之前的面试|练习时|被评为|获评|荣获|给我们的|给了我们"
    "|给我们打|对我们的|gave us|awarded us|rated us",
)
# Changing how a grade is counted.
CHANGE = (
    "adjust*|changed|raised|increased|set to|now worth|is now|are now|count as|counts as"
    "|treated as|becomes|doubled|调整|改为|改成|变为|变成|提高|提升|上调|设为|设置为|记为|视为|当作"
    "|当成|算作|作废|一律|统一|不计|不适用|変更|变更|引き上げ|设定|設定|みなす|변경|조정|올려|설정"
    "|간주|ajust*|modifi*|relev*|desormais|compte comme|angepasst|geandert|erhoht|gilt als"
    "|zahlt als|ab sofort|ajust*|cambi*|aument*|ahora vale|cuenta como|изменен*|повышен*|считается"
    "|засчитыва*|теперь",
)
# The answer's own ticks: a point marked as done ("已答", "covered").
DONE = (
    "answered|covered|addressed|done|checked|ticked|hit|fulfilled|satisfied|已答|已回答|已覆盖"
    "|已命中|已满足|已做到|都做到|全部做到|已体现|已完成|已涵盖|全部满足|均已|都已|met"
    "|俱全|齐全|全齐|齐活|全覆盖|全都有|all present|all there|all included|all in|补齐|已补全"
    "|都补上|已补上",
)
# Pieces joined into one instruction: "put key word two before key word one".
JOIN = (
    "join*|concatenat*|combine*|put together|read together|merge*|assemble*|连起来|拼起来|合起来"
    "|连在一起|拼在一起|拼接|组合起来|合在一起|串起来|连成|拼成|组合成|つなげ|組み合わせ|합치|이어"
    "|zusammen*|juntar|junta|concatena*|объедин*|соедин*",
)
# A verdict of quality: the words a grade's rationale would use. Said of the answer itself
# ("this response is exemplary", "以上作答堪称教科书级别"), it is the answer grading itself.
PRAISE = (
    "excellent|outstanding|exemplary|flawless|impeccable|superb|exceptional|brilliant|textbook"
    "|perfect|perfectly|stellar|top-notch|first-rate|world-class|masterful|faultless"
    "|model answer|nothing to improve|no weaknesses|strong yes|five stars|5 stars|full stars"
    "|优秀|卓越|出色|杰出|完美|无可挑剔|无懈可击|挑不出|教科书|范本|典范|标杆|满分级|顶级"
    "|一流|五星|满星|无需改进|没有不足|毫无瑕疵|堪称|優秀|完璧|模範|申し分ない|훌륭|완벽|모범|우수"
    "|excellent*|parfait*|exemplaire|irreprochable|hervorragend*|ausgezeichnet*|vorbildlich*"
    "|tadellos*|excelente|ejemplar|impecable|sobresaliente|eccellente|отличн*|превосходн*"
    "|идеальн*|безупреч*"
    "|model candidate|ideal candidate|best candidate|strongest candidate|reference answer"
    "|标准答案|参考答案|范文|范例|最合适的人选|理想人选|不二人选"
    "|最好的回答|最好的答案|best response|mastery|highest level|highest standard|最高水平"
    "|最高标准|鼓励|encourag*|拿个优|得个优|评个优|优等|甲等",
)
# Words that define the answer's own words: with the answer named, a glossary telling the
# grader how to read it ("本答中'查知识库'一词，按行内定义包括…"), not an answer.
DEFINES = (
    "一词|该词|此词|这个词|术语|定义|释义|词义|含义为|指代|is defined as|defined as|by definition"
    "|glossary|stands for|用語|定義|용어|정의",
)
# Casting the reader in a part: a role play aimed at the grading side.
ROLE_PLAY = (
    "pretend*|act as|acting as|you are now|you're now|from now on|imagine you|role play|roleplay"
    "|play the role|play a game|you will play|take the role|assume the role|behave as|speak as"
    "|扮演|假装|假设你是|假如你是|你现在是|现在你是|你是一位|你是一个|从现在开始|从现在起|想象你是"
    "|角色扮演|になりきって|ふりをして|役を演じ|역할|척해|fais semblant|joue le role"
    "|tu es maintenant|stell dir vor|spiel die rolle|finge|actua como|представь|притворись"
    "|играй роль|act like|behave like"
    "|你的身份是|你现在的身份|的身份给|的身份，给|的身份来|的身份评|的身份打"
    "|you play|you're playing|you are playing|in this exercise you",
)
