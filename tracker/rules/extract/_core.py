"""The extraction rules: which clauses are tasks, whose they are, and when they are due."""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from ._deadlines import find_deadline, find_recurrence
from ._segment import AGENCY_DATELINE, Clause, split_clauses
from ._text import TextView, fold
from . import MAX_TEXT_CHARS, ExtractError
from ._units import Mention, UnitMatcher, UnitRef


@dataclass
class ProposedTask:
    """A task proposed from a conclusion text, for the user to confirm, edit or drop."""

    title: str
    lead_unit: str | None  # unit code
    cooperating_units: list[str]  # unit codes
    deadline: date | None
    ongoing: bool  # "thường xuyên"
    start: int  # character offsets in the input text
    end: int
    unknown_units: list[str] = field(default_factory=list)  # unit-like phrases not in the registry
    collective: str | None = None  # a collective addressee as written ("các sở, ban, ngành"); lead_unit is None
    cooperating_collective: list[str] = field(default_factory=list)  # collective cooperating phrases, as written
    recurrence: dict | None = None  # {"every": "month"|"quarter"|"half_year"|"year", "day": int | None}


# --- vocabulary (lower case, accents kept) ---------------------------------

_DIRECTIVE = re.compile(
    r"(?<!\w)(?:giao(?!\s+(?:thông|dịch|lưu|tiếp|hàng|thoa|hữu|thiệp|diện|mùa|nộp|nhận|kết|khoán|thầu|đất|"
    r"(?:bổ sung\s+)?dự toán|(?:kế hoạch\s+)?vốn)(?!\w))"
    r"(?:\s+(?:nhiệm\s+vụ|trách\s+nhiệm)(?:\s+cụ\s+thể)?)?(?:\s*cho)?|"
    r"đề\s+nghị|yêu\s+cầu|chỉ\s+đạo|gửi)(?!\w)"
)  # "giao thông", "giao dịch", "giao nộp", "giao (bổ sung) dự toán", "giao vốn": nouns and other verbs, not "giao <unit>"
_NOT_DIRECTIVE_BEFORE = re.compile(
    r"(?:để|được|đã|bàn|sẽ|chuyển|vừa được|theo|của|những|các|nhiệm vụ|ý kiến|về việc|ban|tổ|sự|quan tâm|tăng cường|đưa)\s+$"
)
# A cable or a letter sent to its addressees, who then are to act: "Bộ Y tế vừa có công điện gửi UBND các tỉnh, thành
# phố quan tâm chỉ đạo ...": "gửi" assigns like "đề nghị" (never without the document before it).
_SENT_DOCUMENT = re.compile(r"(?:công điện|công văn|văn bản|chỉ thị|thư|điện)(?:\s+(?:khẩn|hỏa tốc|hoả tốc))?"
                            r"(?:\s+số\s*[\w/.\-]+)?\s+$")
# A unit's proposal to the committee ("Sở X đề nghị UBND tỉnh chỉ đạo UBND các huyện ...", "Sở X đề xuất UBND TP giao
# UBND cấp xã ..."): asked upward, it assigns nothing until the committee decides; the "chỉ đạo" or "giao" inside it
# is not the committee's either.
_UPWARD = re.compile(r"(?:đề nghị|kiến nghị|đề xuất)\s+(?:(?:chủ tịch|lãnh đạo)\s+)?(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)"
                     r"\s+(?:tỉnh|thành phố|tp)(?!\w)[\s,]*(?:(?:chỉ đạo|xem xét|quan tâm|cho phép|bố trí|hỗ trợ|giao)(?!\w))?")
# The province asking national bodies ("Chủ tịch UBND tỉnh Cà Mau vừa ký công văn đề nghị Ban chỉ đạo Quốc gia về
# phòng, chống thiên tai; Quỹ phòng, chống thiên tai Trung ương hỗ trợ kinh phí ..."): a request upward, no task of the
# province's units (only when the province's committee or its chairman asks, earlier on the line).
_UPWARD_NATIONAL = re.compile(r"(?:đề nghị|kiến nghị|đề xuất)\s+(?:ban chỉ đạo (?:quốc gia|trung ương)|chính phủ|thủ tướng|"
                              r"trung ương|quốc hội|các bộ(?:,|\s+ngành)|quỹ\s[^;.:]{0,60}?trung ương|"
                              # "UBND TPHCM đề nghị Bộ Y tế hỗ trợ, chỉ đạo ...": one ministry (not the province's
                              # "Bộ Chỉ huy Quân sự tỉnh", "Bộ đội Biên phòng tỉnh")
                              r"bộ\s+(?!chỉ huy|đội|phận|tư lệnh|máy|công cụ|hồ sơ|tài liệu)[^\W\d]+)(?!\w)")
_PROVINCE_ASKS = re.compile(r"(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+(?:(?:tỉnh|thành phố|tp)(?!\w)|tp\.?\s*hcm)")
# The Party, the council or the Government asking the committee ("Ý kiến chỉ đạo của Bí thư Tỉnh ủy: Đề nghị UBND tỉnh
# xử lý thông tin ...", "Chủ tịch HĐND tỉnh đề nghị UBND tỉnh khẩn trương ..."): not a proposal upward but work.
_SUPERIOR = re.compile(r"(?<!\w)(?:bí thư|(?:ban\s+)?thường (?:trực|vụ) (?:tỉnh|thành) (?:ủy|uỷ)|tỉnh (?:ủy|uỷ)|thành (?:ủy|uỷ)|"
                       r"hđnd|hội đồng nhân dân|thủ tướng|chính phủ|bộ trưởng)(?!\w)")
_SUBORDINATE = re.compile(r"(?<!\w)(?:sở|phòng|ban quản lý|công ty|doanh nghiệp)(?!\w)")
_TITLE = re.compile(
    r"(?:đồng chí\s+)?(?:phó\s+)?(?:giám đốc|chủ tịch|thủ trưởng|trưởng ban|trưởng phòng|chánh văn phòng|"
    r"chánh thanh tra|thống đốc|bộ trưởng|tổng giám đốc|tổng cục trưởng|viện trưởng|hiệu trưởng|"
    r"cục trưởng|chi cục trưởng|chỉ huy trưởng|tập thể lãnh đạo|ban lãnh đạo|lãnh đạo|ban giám đốc|người đứng đầu|"
    r"cơ quan thường trực(?: của)?|bí thư(?:\s+(?:đảng|huyện|quận|thị)\s+(?:ủy|uỷ))?|thứ trưởng)(?!\w)"
)
# A person named among the addressees ("giao đồng chí Nguyễn Văn A, Giám đốc Sở X chủ trì ...", "giao ông Nguyễn Văn A -
# Giám đốc Sở X ...", "chỉ đạo Thứ trưởng Nguyễn Huy Dũng và Cục Y ..."): a Vietnamese name is a surname and one to three
# more capitalised words; it is read past like a title when an honorific or a title comes before it or after its comma.
_HONORIFIC = re.compile(r"(?:đồng chí|đ/c|ông|bà)[ \t]+")
_SURNAMES = frozenset(
    "nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý đinh lâm trương hà đào mai cao lương tô tạ "
    "trịnh đoàn vương lưu chu phùng triệu kiều thái quách châu la lò lục hầu giáp nông tăng nghiêm mạc từ khúc bạch "
    "thân kim hứa doãn tôn diệp lại ninh khổng quan văn đàm đồng lã thạch sơn danh y".split())
_NAME_WORD = re.compile(r"[ \t]+([^\W\d_]+)")
_NAME_SEPARATOR = re.compile(r"[ \t]*[,\-–][ \t]*")
_TITLE_BEFORE = re.compile(r"(?:thứ trưởng|bộ trưởng|giám đốc|chủ tịch|bí thư|trưởng ban|cục trưởng|đồng chí|ông|bà)[ \t]+$")
_FILLER = re.compile(r"(?:[\s,;:\-–]|và(?!\w)|cùng(?!\w)|cho(?!\w)|với(?!\w)|các(?!\w)|trực thuộc(?!\w)|thuộc(?!\w))+")
_CONNECTOR = re.compile(
    r"(?:(?:đồng thời|theo đó|ngoài ra|bên cạnh đó|cùng với đó|mặt khác|trước mắt|sau đó|tiếp đó|trong thời gian tới|thời gian tới|"
    r"trên cơ sở đó|từ đó|tiếp theo|song song (?:với )?(?:đó|việc này)|cùng lúc đó)"
    r"[\s,]*)+"
)
# A sentence announcing the tasks that follow: "Trong đó, tập trung vào một số nhiệm vụ trọng tâm:", "Cụ thể, thực hiện
# các nhiệm vụ sau:"
_TASKS_FOLLOW = re.compile(r"(?:trong đó|cụ thể)\s*,\s*(?:[^\W\d]+\s+){0,5}?(?:các |một số |những )?nhiệm vụ"
                           r"(?:\s+(?:trọng tâm|chủ yếu|cụ thể))?(?:\s+(?:như\s+)?sau(?:\s+đây)?)?\s*:?\s*$")
# "chỉ đạo" after "Ban" is a steering committee's name ("Văn phòng Ban chỉ đạo phòng thủ dân sự quốc gia"), not work.
_ACTION = re.compile(
    r"(?:tiếp tục|hoàn thiện|hoàn thành|hoàn chỉnh|hoàn tất|chuẩn bị|triển khai|tham mưu|rà soát|tăng cường|hướng dẫn|"
    r"theo dõi|đôn đốc|kiểm tra|xây dựng|tổ chức|báo cáo|trình|phối hợp|chủ trì|nghiên cứu|đề xuất|khẩn trương|"
    r"đẩy mạnh|đẩy nhanh|thực hiện|(?<!ban\x20)chỉ đạo|xử lý|giải quyết|cập nhật|bổ sung|lập|tập trung|phê duyệt|ban hành|"
    r"công khai|đảm bảo|bảo đảm|quản lý|thường xuyên|kịp thời|chủ động|trực tiếp|nâng cao|quan tâm|tuyên truyền|vận động|"
    r"đầu tư|sắp xếp|tổng hợp|gửi|cung cấp|làm rõ|thẩm định|kiểm soát|giám sát|điều chỉnh|trả lời|"
    r"có văn bản|có ý kiến|có báo cáo|có kế hoạch|có phương án|có trách nhiệm|đánh giá|khắc phục|xác minh|thu hồi|"
    r"tiến hành|phân công|bố trí|huy động|ưu tiên|lựa chọn|hỗ trợ|giải ngân|thanh toán|nghiệm thu|vận hành|"
    r"duy trì|phát triển|ứng dụng|số hóa|số hoá|kết nối|tích hợp|thống kê|thanh tra|điều tra|khảo sát|chấn chỉnh|"
    r"nghiêm túc|rút kinh nghiệm|kiện toàn|thành lập|làm việc|tiếp thu|chi trả|đăng tải|phổ biến|quán triệt|"
    r"nắm bắt|tiếp nhận|soạn thảo|dự thảo|góp ý|tham gia|đôn đốc|quyết liệt|tích cực|sớm|ngăn chặn|phòng|chống|"
    r"định kỳ|(?:hàng|hằng) ngày(?!\s*,)|sẵn sàng|di dời|bàn giao|tháo gỡ|giải phóng|kêu gọi|mời|liên hệ|trao đổi|vệ sinh|cải tạo|sửa chữa|nâng cấp|"
    r"tập huấn|thống nhất phương án|cung cấp|có phương án|có buổi làm việc|bám sát|nộp|hoàn chỉnh|cân đối|"
    r"xem xét|bố trí|tạo điều kiện|thông tin|phổ biến|truy quét|ngăn ngừa|chịu trách nhiệm thẩm định|sử dụng|"
    r"giúp|chuyển hồ sơ|chuyển(?= (?:cơ quan|cho|sang|công an))|điều chuyển|thu hồi|xử phạt|tranh thủ|tạm hoãn|tạm dừng|dừng|cảnh báo|"
    r"sửa đổi|cắt giảm|đơn giản hóa|đơn giản hoá|giảm thiểu|tinh giản|bãi bỏ|phục hồi|khôi phục|ổn định|sơ tán|ứng phó|công bố|phân bổ|thẩm tra|niêm yết|nắm chắc|mở đợt|tính toán|cử(?!\s*tri)|làm tốt|phát huy hiệu quả|chung tay|kiên quyết không cho|siết chặt|nhanh chóng|(?:chấm dứt|xóa bỏ|xoá bỏ)(?= (?:ngay|dứt điểm|tình trạng|việc|các hành vi|hành vi)(?!\w)))"
    r"(?!\w)".replace(" ", r"\s*")
)
_EXHORTATION = re.compile(
    r"nêu cao tinh thần|đoàn kết|phát huy (?:những |các )?(?:kết quả|thành tích|truyền thống|tinh thần)|ghi nhận|đánh giá cao|"
    r"biểu dương|khen ngợi|chúc mừng|cảm ơn|nhất trí (?:với|cao)|cơ bản thống nhất|thống nhất với (?:báo cáo|đề xuất|"
    r"ý kiến)|đồng tình|trân trọng|hoan nghênh|"
    # "tiếp tục tăng cường lãnh đạo, chỉ đạo, đề cao trách nhiệm người đứng đầu ..., tuyệt đối không lơ là, chủ quan"
    r"tăng cường (?:sự |công tác )?lãnh đạo,? chỉ đạo,? đề cao trách nhiệm|không (?:được )?lơ là,? chủ quan"
)
_FOLLOW_ON = re.compile(
    r"(?:hoàn thành|thời gian|thời hạn|hạn chót|chậm nhất|xong trước|"
    r"yêu cầu (?:hoàn thiện|hoàn thành|gửi|báo cáo|trình|nộp)|"
    r"chịu trách nhiệm (?:quản lý|về|trong)|báo cáo (?:yêu cầu|kết quả|việc|ubnd|uỷ ban|ủy ban|chủ tịch|về|gửi|trước|trong)|"
    r"trình (?:ubnd|uỷ ban|ủy ban|chủ tịch|hđnd)|gửi (?:kèm|về|báo cáo|kết quả|văn bản)|nộp|định kỳ|trường hợp|nếu|"
    r"(?:(?:những|các|mọi)\s+)?khó khăn,?\s+(?:và\s+)?vướng mắc|"  # "...; những khó khăn, vướng mắc ... đề xuất, kiến nghị"
    r"trong đó|lưu ý|đặc biệt là|nhất là|trong quá trình|qua đó|nhằm|đáp ứng|tự giác|lấy\s[^,;.]{1,60}?\slàm|kết quả (?:gửi|báo cáo)|(?:kiên quyết\s+)?không để|"
    r"(?:các|những) (?:nội dung|nhiệm vụ|việc)(?: (?:trên|này|nêu trên))? (?:thực hiện|hoàn thành|báo cáo|xong))(?!\w)"
)
# A review and its evaluation: "tổng kết công tác ... trước ngày 20/4; đánh giá, phát huy những ưu điểm ..., làm rõ
# nguyên nhân ...": the evaluation is what the review is for, one task.
_REVIEW = re.compile(r"(?<!\w)(?:tổng kết|sơ kết|kiểm điểm|đánh giá kết quả)(?!\w)")
_EVALUATION = re.compile(r"(?:đánh giá|rút kinh nghiệm|làm rõ (?:nguyên nhân|trách nhiệm)|chỉ rõ)(?!\w)")
# The goal of the work before, after ";" or a comma that ends a clause: "...; để kịp thời phát hiện ...", "...;
# bảo đảm an toàn cho người dân": what the work is for, not a task of its own.
# The next step of oversight work, after ";": "theo dõi, giám sát chặt chẽ ...; kịp thời thanh tra, kiểm tra, xử lý
# nghiêm các hành vi vi phạm", "phối hợp chặt chẽ trong công tác thanh tra, kiểm tra ...; kịp thời phát hiện tồn tại
# ...": what the watching is for, one task ("...; kịp thời đề xuất các giải pháp ...", "...; kịp thời cung cấp ..." stay
# tasks of their own).
# "...; đồng thời xử lý nghiêm các hành vi vi phạm" after a check or a clearance: its follow-through, one task too.
_PROMPT_STEP = re.compile(r"kịp thời\s+(?:phát hiện|xử lý|thanh tra|kiểm tra|tháo gỡ|chấn chỉnh|ngăn chặn|khắc phục)(?!\w)|"
                          r"(?:đồng thời\s+)?xử lý nghiêm\s+(?:(?:các|những|mọi)\s+)?(?:hành vi|trường hợp|vụ việc|tổ chức, cá nhân)?"
                          r"\s*vi phạm(?!\w)")
# A precondition of the work before, after ";": "Tham mưu UBND tỉnh cấp phép ... theo quy định; trước khi gia hạn giấy
# phép cho các mỏ đã hết thời hạn, phải tổ chức đánh giá toàn diện ...": how the work is done, one task.
_PRECONDITION = re.compile(r"trước khi\s[^;.]{3,160}?,\s*(?:thì\s+)?(?:cần phải|cần|phải)\s")
_OVERSIGHT = re.compile(r"(?<!\w)(?:theo dõi|giám sát|kiểm tra|thanh tra|giải quyết|giải tỏa|giải toả|truy quét|kiểm soát)(?!\w)")
# The report back of the work before, after ";": "...; báo cáo ngay khi phát hiện cháy rừng về ...", "...; báo cáo
# giải quyết với UBND tỉnh xong trước ngày 20/7": how the result is reported, not a task of its own.
# "...; giải quyết theo thẩm quyền và báo cáo kết quả cho TP trước ngày 20-7": settled and reported, the same task.
# "...; kịp thời cảnh báo và báo cáo, đề xuất UBND tỉnh khi có tình huống xảy ra": the alert and the report when it
# happens, the same.
_REPORT_BACK = re.compile(
    r"(?:tổng hợp,?\s+|giải quyết theo thẩm quyền,?\s+(?:và\s+)?)?(?:kịp thời\s+)?"
    r"(?:(?:cảnh báo|thông báo|thông tin),?\s+(?:và\s+)?)?báo cáo(?!\w)"
    r"(?:(?!\s*,|\s+và(?!\w))|,?\s+(?:và\s+)?đề xuất\s[^;.:]{0,80}?(?<!\w)khi\s)")
# What to do with what goes beyond one's competence: "Đối với các nội dung vượt thẩm quyền, chủ động phối hợp ...
# tham mưu UBND tỉnh ...", "Đối với những vấn đề phát sinh vượt thẩm quyền, ... yêu cầu Sở X chủ động báo cáo ...":
# the way up of the task before, not a task of its own.
# A fallback: "Trường hợp <they fail> thì <X> giao <Y> ...", what is done if the task before is not; part of it.
_FALLBACK = re.compile(r"(?:trường hợp|nếu)\s[^.;:]{3,200}?(?<!\w)thì\s")
# "...; những vấn đề thuộc thẩm quyền của cấp huyện thì có văn bản đề nghị ...": how the task before handles a case.
_CASE_THEN = re.compile(r"(?:đối với|trường hợp|nếu|những|các)\s[^.;:]{3,120}?(?<!\w)thì\s")
_BEYOND = re.compile(r"(?:đối với|trường hợp|nếu có|những|các)\s+[^,.;:]{0,50}?vượt (?:quá\s+)?thẩm quyền")
# "...; phối hợp với các sở, ngành tổng hợp, tham mưu ..., báo cáo ...": the report of the work before, with help
_COOP_REPORT_BACK = re.compile(r"phối hợp(?:\s+chặt chẽ)?\s+(?:với|cùng)\s+[^;.:]{0,80}?\s(?:tổng hợp|báo cáo)(?!\w)")
# The delivery of the work before, after ";": "...; gửi Sở X trước ngày 29/6/2018", "...; gửi về Sở X để tổng hợp":
# where the result goes, not a task of its own.
_SENT_BACK = re.compile(r"(?:và\s+)?gửi(?:\s+(?:báo cáo|kết quả|văn bản))?(?:\s+về)?\s+")
# "...; cung cấp cho Cổng thông tin điện tử của tỉnh, ... để đăng tải": the work before handed on to be published or
# used, whoever the recipients are; not a task of its own.
_DISTRIBUTED = re.compile(r"(?:và\s+)?(?:cung cấp|chuyển|gửi)\s+(?:cho|đến|tới)\s+[^;.:]{3,200}?\s+để\s+"
                          r"(?:đăng tải|đăng|công khai|đưa tin|phổ biến|tuyên truyền|tổng hợp|theo dõi|biết)(?!\w)[^;.:]{0,80}")
_AFTER_SENT = re.compile(r"[\s,]*(?:(?:trước|chậm nhất|trong|để|qua|trước khi)(?!\w).*)?", re.S)
# A detail in a sentence of its own, with no unit: "... tăng cường các biện pháp phòng dịch. Đặc biệt, cần phân rõ
# trách nhiệm ...": it sharpens the task before.
_FIRST_STEP = re.compile(r"trước mắt\s*,\s*")
_DETAIL_SENTENCE = re.compile(r"(?:đặc biệt|nhất là|trong đó)\s*,\s*(?:cần phải|cần|phải|lưu ý|chú ý|chú trọng)(?!\w)")
# A document's instruction named as a thing in a list of references: "...; chỉ đạo của Thủ tướng Chính phủ tại Chỉ
# thị số 04/CT-TTg ...": not an instruction of its own.
_NOUN_REFERENCE = re.compile(r"(?:ý kiến\s+)?(?:chỉ đạo|kết luận|hướng dẫn)\s+(?:của|tại)(?!\w)")
_GOAL = re.compile(r"(?:để|nhằm|bảo đảm|đảm bảo)(?!\w)")
# A leader's words quoted in a sentence of their own, then attributed: "“Không để ... ”, Chủ tịch UBND tỉnh nhấn mạnh."
_QUOTED_SPEECH = re.compile(r"[\s]*[“\"]?[^“”\"]{10,}[”\"]\s*,\s*[^.;“”\"]{0,80}?(?<!\w)(?:nhấn mạnh|khẳng định|nói|chia sẻ|"
                            r"cho biết|lưu ý|bày tỏ)\s*[.!]?\s*$")
_DOCREF = re.compile(
    r"(?:các\s+)?(?:văn bản|công văn|công điện|quyết định|chỉ thị|kế hoạch|thông báo(?: kết luận)?|nghị quyết|nghị định|"
    r"thông tư|báo cáo|tờ trình)\s+(?:số(?!\w)|\d{1,5}\s*(?:/|cđ|ct|qđ|kh|tb)(?!\w))"
)  # "; Văn bản số ...", "; các Công điện 17 CĐ-UBND, 19/CĐ-UBND về ...": references
_BOILERPLATE = re.compile(
    r"(?:[\s,]|khẩn trương|nghiêm túc|chủ động|quan tâm|tập trung|căn cứ nội dung này|tổ chức|triển khai|thực hiện|tốt|"
    r"(?:có\s+)?hiệu quả|theo quy định|(?:một số|các)\s+(?:nhiệm vụ|nội dung)(?:\s+(?:trên|này|được giao|trọng tâm))?)*$"
)
_NAMED_LIST = re.compile(r"(?<!\w)(?:các|\d+|hai|ba|bốn|năm)\s+(?:chương trình|đề án|dự án|lĩnh vực)(?!\w)")
_PREAMBLE = re.compile(
    r"(?:căn\s*cứ|xét\s+đề\s+nghị|theo\s+đề\s+nghị|ban\s*hành\s+kèm\s+theo|nơi\s+nhận|"
    r"thực\s+hiện\s+(?:ý kiến chỉ đạo|(?:sự\s+)?chỉ\s*đạo\s+của|chỉ\s*thị|công\s*văn|công\s*điện|văn\s*bản|nghị\s*quyết|nghị\s*định|quyết\s*định|"
    r"kế\s*hoạch|thông\s*báo|thông\s*tư|luật|kết\s*luận)|sau\s+khi\s+(?:nghe|xem xét|tiếp nhận))"
)
_STEER_ADVERB = re.compile(r"[ \t]+(?:quyết liệt|sát sao|kịp thời)(?=[ \t]+\w)")
_PLAN_AIMS = re.compile(r"(?:^|\n)[ \t]*(?:với\s+)?mục\s*đích(?!\w)")  # a plan's aims, its requirements next
_SECTION_OFF = re.compile(r"(?:mục\s*(?:tiêu|đích)|yêu\s*cầu|đối\s*tượng|phạm\s*vi|quan\s*điểm|căn\s*cứ|phương\s*hướng)")
_SECTION_ON = re.compile(r"(?:nhiệm\s*vụ|giải\s*pháp|tổ\s*chức\s*thực\s*hiện|phân\s*công|trách\s*nhiệm|kết\s*luận)")
_REPORT_HEADING = re.compile(
    r"(?:công tác chỉ đạo|kết quả (?:đạt được|thực hiện|triển khai)|tình hình (?:thực hiện|triển khai)|"
    r"những (?:việc|kết quả) đã)"
)
# "tập trung chỉ đạo sản xuất tốt vụ lúa đông xuân, quan tâm chỉ đạo quyết liệt công tác phòng chống dịch ...": parallel
# items, each its own "chỉ đạo" and field of work, for the same addressees: two tasks (rule 2 of the labelling conventions).
_PARALLEL_STEERING = re.compile(r"(?:quan tâm|tập trung|tiếp tục)\s+chỉ đạo\s[^.;:\n]{5,200}?(,)\s+"
                                r"(?=(?:quan tâm|tập trung|tiếp tục)\s+chỉ đạo\s)")
_SECOND_ADDRESSEE = re.compile(r",[ \t]*(?=đồng thời[ \t]+)(?:đồng thời[ \t]+(?:(?:giao|đề nghị|yêu cầu)[ \t]+)?)")
# A voters', citizens' or businesses' request quoted in the text: its "đề nghị" assigns nothing.
_REQUESTER = re.compile(r"(?<!\w)(?:cử tri|người dân|(?<!ban )(?<!đồng )(?<!ban\xa0)nhân dân|công dân|hộ dân|doanh nghiệp|hiệp hội|nhà đầu tư)(?!\w)")
_OFFICIAL = re.compile(r"[,;:()]|(?<!\w)(?:ubnd|ủy ban|uỷ ban|chủ tịch|lãnh đạo|đồng chí|thủ tướng|tỉnh ủy|tỉnh uỷ|"
                       r"thường trực|giám đốc|bí thư|sở|phòng|ban|cục|chi cục|công an|trung tâm|văn phòng)(?!\w)")
# A passive instruction naming no actor: "Các chế độ báo cáo sẽ được rà soát ...", "... cần được bố trí ...".
_PASSIVE = re.compile(r"(?:(?:[^\s,.;:]+[ \t]+){1,10}?|việc[ \t]+[^.;:]{3,240}?[ \t]+)"  # "Việc khơi thông ..., tránh ..."
                      r"(?:sẽ|cần|phải|cần phải|phải|buộc phải)[ \t]+được[ \t]+")
# Telling the public: after "tuyên truyền (, vận động) <audience> ...;", a clause whose subject is an audience and whose
# words are its conduct ("các cơ sở kinh doanh không tham gia ...") is what the public is told, not a task.
_PROPAGANDA = re.compile(r"(?:tuyên truyền|vận động|khuyến cáo|phổ biến)(?!\w)")
_AUDIENCE_CONDUCT = re.compile(
    r"[\s,]*(?:(?:các|những|mọi|toàn thể)\s+)?(?:người|nhân dân|cơ sở|hộ|doanh nghiệp|tổ chức|cá nhân|tiểu thương|hội viên|"
    r"phụ huynh|học sinh|du khách|chủ (?:hộ|cơ sở|phương tiện))(?!\w)[^,;.:]{0,60}?\s(?:không|chấp hành|tự giác|tuân thủ|nâng cao)(?!\w)")
_PARTS_INSIDE = re.compile(r"(?<!\w)(?:như|gồm|bao gồm)\s*:")
_COMPONENTS = re.compile(r"(?<!\w)(?:bao\s+)?gồm\s*[:：]?\s*$")
_PUBLIC = re.compile(r"(?:người dân|nhân dân|mọi người|toàn dân|cộng đồng|du khách|hộ gia đình|các hộ|"
                     r"các gia đình|doanh nghiệp|các doanh nghiệp)(?!\w)")
# "Đối với các cơ quan tuyên truyền, báo chí, chỉ đạo tăng cường ...": the addressee put first, as the topic.
_TOPIC = re.compile(r"(?:đối với|riêng(?:\s+đối với)?)\s+")
# The matter put first, before the work of the addressees already named or of nobody: "Với các quy hoạch cần xin ý
# kiến, ... cũng cần nhanh chóng hoàn tất ...", "Trong lĩnh vực môi trường cần theo dõi ...".
_WORK_TOPIC = re.compile(r"(?:đối với|với|riêng(?:\s+đối với)?|trong lĩnh vực|trong công tác)\s+")
_TOPIC_MODAL = re.compile(r"(?:\s*,\s*|\s+)(?:cũng\s+)?((?:cần phải|cần|phải)\s+)")
# The one who speaks, between the topic and the verb: "Riêng các bộ ..., Thủ tướng yêu cầu ...".
_SPEAKER = re.compile(r"(?:thủ tướng(?: chính phủ)?|chủ tịch (?:ubnd|ủy ban nhân dân|uỷ ban nhân dân) (?:tỉnh|thành phố)|"
                      r"ubnd (?:tỉnh|thành phố)|lãnh đạo (?:tỉnh|thành phố))\s+")
_COMPETENCE = re.compile(r"(?:thống nhất\s+)?(?:thực hiện\s+)?(?:(?:nghiêm túc|đầy đủ|tốt)\s+)?"
                         r"(?:(?:chức năng|trách nhiệm)(?:,?\s+nhiệm vụ)?\s+)?quản lý nhà nước(?!\w)")
_MODAL = re.compile(r"[ \t]*(?:cần phải|cần|phải)[ \t]+")
# Addressees pointed back to: "Các địa phương này", "những đơn vị nêu trên", "các cơ quan trên".
_ANAPHOR_SUBJECT = re.compile(r"(?:các|những)\s[^,;.]{1,40}?\s(?:này|(?:nêu\s+)?trên)$")
_QUALIFIED_MODAL = re.compile(r"\s+(?:còn|có|chưa|đang|nào)\s[^,.;:]{0,120}?\s(?:cần phải|cần|phải|khẩn trương)\s+")
_NO_ACTOR = re.compile(r"(?:cần|phải|cần phải)\s+")
# "... trong những tháng cuối năm. Đồng thời, lưu ý triển khai tốt việc tích nước ...": a sentence of its own,
# after a connector, that heeds another piece of work is a task; "Trong đó, lưu ý ..." stays a detail.
_HEED = re.compile(r"(?:lưu ý|chú ý|chú trọng)\s+")
_TIME_PREFIX = re.compile(
    r"[\s:,]*(?:(?:tu|trong)\s+ngay\s+\d{1,2}\s*[/.\-]\s*\d{1,2}(?:\s*[/.\-]\s*\d{2,4})?\s+)?"
    r"(?:den\s+het|den|truoc|cham\s+nhat(?:\s+la)?|trong)\s+(?:ngay\s+)?\d{1,2}\s*[/.\-]\s*\d{1,2}"
    r"(?:\s*[/.\-]\s*\d{2,4})?\s*,?\s*"
    # a period rather than a date, closed by a comma: "yêu cầu chậm nhất giữa tháng 7 tới, UBND TP Thủ Đức phải ..."
    r"|[\s:,]*(?:den\s+het|truoc|cham\s+nhat(?:\s+la)?|trong)\s+(?:(?:dau|giua|cuoi)\s+)?(?:thang|quy|tuan|nam)"
    r"(?!\w)[^,.;:]{0,25},\s*"
    # "chỉ đạo, trong thời gian tới, các chủ đầu tư đẩy nhanh ...": the coming period, between commas
    r"|[\s:,]*(?:trong\s+)?thoi\s+gian\s+(?:toi|sap\s+toi)\s*,\s*"
)
# A period put before the subject: "Trong thời gian từ đầu tháng 1/2013 tới ngày 15/3/2013, Công an tỉnh ...".
_TIME_LEAD = re.compile(
    r"[\s:,]*(?:(?:trong|tu)\s+(?:thoi\s+gian\s+)?|tu\s+nay\s+|doi\s+voi\s+(?:cac\s+)?nhiem\s+vu\s+)"
    r"[^,.;:]{0,50}?(?:\d|cuoi\s+nam)[^,.;:]{0,30},\s*"
)
# An attribution put before the subject: "Theo chỉ đạo của Thủ tướng, UBND các tỉnh ... tiếp tục ...".
_ATTRIBUTION = re.compile(
    r"[\s,]*(?:theo|thực hiện)\s+(?:ý kiến\s+)?(?:chỉ đạo|yêu cầu|kết luận)\s+(?:của\s+)?[^,.;:]{2,60},\s*"
)
# A condition put first, then the work: "Những công trình, dự án giải ngân vốn chậm thì tiếp tục điều chuyển".
_THEN = re.compile(r"[^.;:]{3,120}?(?<!\w)thì\s+(?:(?:[^\W\d]+\s+){1,3}?(?:cũng\s+)?(?=phải\s|cần\s))?"
                   r"(?:phải\s+|cần\s+|kiên quyết\s+)?(?=\w)")  # "... thì địa phương đó cũng phải quan tâm"
# A time or an event put first, then what must be done: "Khi có thiệt hại do rét ... cần nhanh chóng tổ chức kiểm
# tra ...": the work of the addressee, when it happens.
_WHEN = re.compile(r"khi\s[^.;:]{3,160}?[\s,]+(?:thì\s+)?(?:cần phải|cần|phải)\s+"
                   r"(?:(?:nhanh chóng|kịp thời|khẩn trương|chủ động|ngay)\s+)?(?=\w)")
_NOT_ADDRESSEE = re.compile(r"(?<!\w)(?:của|về|đối|tại|với|theo|nhằm|để|là|được|đã|các|những|này|đó)(?!\w)")
# The duty words before the roles or the work: "Sở X có trách nhiệm chủ trì, phối hợp với ...", "... có nhiệm vụ ...".
_DUTY_WORDS = re.compile(r"[\s,]*(?:có trách nhiệm|có nhiệm vụ)\s+")
_APPOSITION_VERB = re.compile(r"(?<!\w)(?:tham mưu|chủ trì|có trách nhiệm|chịu trách nhiệm|giúp)(?!\w)")
_URGENT = re.compile(r"(?:khẩn trương|tập trung|quyết liệt|kiên quyết|nghiêm túc|khẩn cấp|ngay|siết chặt)(?!\w)")
_WORD = re.compile(r"[^\W\d]+[ \t]+")
_SECOND_WORK = re.compile(r",[ \t]+(?=(?:chuẩn bị|xây dựng|ban hành|hoàn thiện)[ \t]+(?:đầy đủ|các|kế hoạch|phương án|đề án|quy chế|văn bản)(?!\w))")
# A news item telling an instruction as the addressees' work, then naming it: "Các cơ sở giáo dục thực hiện nghiêm túc
# ... . Đó là một trong những chỉ đạo của Chủ tịch UBND tỉnh tại Văn bản số ...", "... Đây là yêu cầu của ...".
_SENTENCE_END = re.compile(r"[.!…](?!\d)")
_NAMED_AFTER = re.compile(r"[.!…]+[\s\"”]*(?:đó|đây)\s+(?:cũng\s+)?là\s+(?:một\s+trong\s+(?:những|các)\s+|những\s+|các\s+)?"
                          r"(?:nội dung\s+)?(?:chỉ đạo|yêu cầu|đề nghị)(?:\s+(?:chính|trọng tâm|quan trọng))?"
                          r"\s+(?:của|tại)(?!\w)")
_PLURAL_BEFORE_MODAL = re.compile(r"(?:các|những)\s+(?:[^\W\d]+\s+){1,7}?(?=(?:cần phải|cần|phải)\s)")
_PLURAL_BEFORE_WORK = re.compile(r"(các|những)\s+(?:[^\W\d]+\s+){1,4}?(?=(?:tăng cường|khẩn trương|tập trung|chủ động|"
                                 r"rà soát|kiểm tra|triển khai|thực hiện|tổ chức|báo cáo|xây dựng)\s)")
# Things, not bodies, after "các": "yêu cầu các nội dung ...", "các công trình ... phải ..."
_THINGS = re.compile(r"(?:nội dung|nhiệm vụ|biện pháp|giải pháp|công trình|dự án|hồ sơ|văn bản|chỉ tiêu|vấn đề|"
                     r"trường hợp|kiến nghị|thủ tục|sản phẩm|hàng hóa|hàng hoá|phương tiện|tuyến|khu vực|điểm|"
                     r"chương trình|kế hoạch|đề án|hoạt động|công việc|lĩnh vực|mặt hàng|khoản|loại)(?!\w)")
_TITLED_WORD = re.compile(r"[^\W\d]+,?[ \t]+")  # "Giám đốc Sở, Thủ trưởng cơ sở ...": officials listed
# A force or a group addressed with no unit word and no "các" ("yêu cầu lực lượng công an mở đợt cao điểm ...",
# "yêu cầu nhà thầu các gói thầu đang chậm tiến độ nghiêm túc ..."): read as a collective up to its verb.
_ASSIGNED = re.compile(r"(?<!\w)được giao(?:\s+nhiệm vụ)?\s+")
_SENT_ASKING = re.compile(r"(?<=\s)(?:yêu cầu|đề nghị)\s+")
_LETTERS = re.compile(r"[^\W\d_]+")
# A condition put before the addressees of a request ("yêu cầu, khi đoàn kiểm tra có đề nghị thì UBND các huyện ...").
_WHEN_THEN = re.compile(r"(?:khi|nếu|trường hợp)\s[^.;:\n]{1,150}?\sthì\s+")
_BARE_GROUP = re.compile(
    r"(?:lực lượng(?:\s+(?:công an|quân đội|vũ trang|chức năng|kiểm lâm|biên phòng|quân sự|dân quân(?:\s+tự vệ)?|"
    r"cảnh sát|y tế|thanh niên xung kích))?|nhà thầu|chủ đầu tư|đơn vị thi công|ngành chức năng|cơ quan chuyên môn)(?!\w)"
)
_CLOSING = re.compile(r"(?:phối hợp\s+)?(?:tổ chức\s+)?triển khai thực hiện(?:[\s,]|$)")
_META = re.compile(
    r"(?:\(theo\s|theo\s+(?:báo|cổng|trang|nguồn|ttxvn|vtv|vov)|xem chi tiết|tác giả|nguồn\s*:|các tin khác|cập nhật(?:\s+lúc|\s*:|\s+ngày\s+\d)|đăng ngày|"
    r"ý kiến bạn đọc|in bài|chia sẻ(?:\s*:|\s+bài|$)|\(?ảnh\s*:|\(?ảnh minh họa|\(?ảnh minh hoạ|\(?ảnh\s+\w+\s*\))"
)
# An earlier assignment recalled as background: "Tại Thông báo số 12/TB-UBND ngày ..., UBND tỉnh giao ...".
_RECALL = re.compile(
    r"(?:(?<!\w)tại\s+(?:các\s+)?(?:văn bản|công văn|thông báo|quyết định|kế hoạch|chỉ thị|kết luận)(?:\s+kết luận)?"
    r"\s+số|^trước đó)"
)
# A notice convening a meeting: its items (time, place, agenda, attendance) assign nothing.
# "tỉnh đã chủ động chỉ đạo các sở ...": what was done, told with an adverb between "đã" and the verb.
_DONE_BEFORE = re.compile(r"(?<!\w)(?:đã|đang|từng)\s+(?:chủ động|kịp thời|tích cực|quyết liệt|thường xuyên|"
                          r"liên tục|sớm|trực tiếp|tập trung)\s+$")
# "... đã phát biểu kết luận, trong đó ..., đồng thời giao ...": the leader's words are today's instruction.
_SPEECH = re.compile(r"(?<!\w)(?:kết luận|phát biểu|nhấn mạnh|chỉ đạo)(?!\w)")
# "Sau khi nghe ..., Chủ tịch UBND tỉnh đã chỉ đạo các sở ...": a meeting's conclusion told by the news, not
# what was done before it.
_MEETING_SPEAKER = re.compile(
    r"(?:sau khi|tại (?:cuộc họp|buổi|hội nghị|phiên)|kết luận|phát biểu)[^.;]*?"
    r"(?:chủ tịch|đồng chí|bí thư|thủ tướng|giám đốc)[^.;]*$"
)
_PAST_ASSIGNING = re.compile(r"(?<!\w)đã\s+(?:[^\W\d]+\s+){0,2}?(?:chỉ đạo|giao|yêu cầu|đề nghị)(?!\w)")
# Who may give an assignment told in the past by the news: the committee, its chairman, the Government.
_AUTHORITY = re.compile(r"(?<!\w)(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân|chủ tịch|thủ tướng|chính phủ|lãnh đạo)(?!\w)")
_PAST_GIVEN = re.compile(r"(?<!\w)đã\s+giao(?!\w)")
# "Chủ tịch UBND tỉnh đã yêu cầu UBND cấp huyện khẩn trương kiểm tra ...", "... cho biết Chủ tịch UBND tỉnh này đã yêu
# cầu Chủ tịch UBND các huyện A, B chủ trì, phối hợp ... khẩn trương kiểm tra ...": work urged in the same sentence is
# the news of a fresh instruction, not the report of what was done (unless "Đến nay ..." or "Tuy nhiên ..." follows).
_URGED_WORK = re.compile(r"(?<!\w)khẩn trương(?!\w)")
# "Cùng ngày, UBND tỉnh Kon Tum đã chỉ đạo các cơ quan ...", "Ngay sau khi nhận được phản ánh, UBND tỉnh đã chỉ đạo Sở X
# ...", "Sau phản ánh của ..., UBND tỉnh đã chỉ đạo quyết liệt các
# ...": an instruction the news tells as the answer to an event; "Năm 2022, UBND huyện đã chỉ đạo các ngành ..." and a
# reply to voters' "UBND tỉnh đã chỉ đạo các sở ..." stay reports of what was done.
_PAST_ORDERED = re.compile(r"(?:^|[.\n])[ \t]*(?:cùng ngày|ngay sau đó|mới đây|(?:ngay\s+)?sau (?:khi|phản ánh|phản ảnh)(?!\w)|"
                           r"trước (?:phản ánh|phản ảnh|thông tin|sự việc)(?!\w))[^.\n]{0,200}?"
                           r"(?<!\w)đã\s+(?:chỉ đạo(?:\s+quyết liệt)?|yêu cầu)\s+(?:các|sở|công an|ubnd|ủy ban|uỷ ban|ban quản lý)(?!\w)")
_AT_DOCUMENT = re.compile(r"\s+tại\s+(?:các\s+)?(?:văn bản|công văn|công điện|chỉ thị|thông báo|kế hoạch|quyết định)")
_NOUN_USE = re.compile(r"\s+(?:của|cho thấy|nêu rõ|số\s*\d)(?!\w)")
_PAST = re.compile(r"(?<!\w)đã(?!\w)")
# "Chủ trì, ... rà soát lại các nhiệm vụ UBND tỉnh đã giao cho các cơ quan ...": the past assignment qualifies the
# work's object (the tasks given earlier), after a verb; the sentence is an instruction, not a report of what was done
_GIVEN_BEFORE = re.compile(r"(?<=\S)\s+(?:các|những)\s+(?:nhiệm vụ|nội dung|công việc|chỉ tiêu|dự án|kết luận)"
                           r"(?:\s+(?:của\s+)?[^\W\d]+){0,5}\s*$")
# What follows a recalled assignment: "Đến nay, Sở X chưa báo cáo", "Tuy nhiên, ...".
_SINCE = re.compile(r"(?<!\w)(?:đến nay|tuy nhiên|song đến nay|nhưng đến nay|qua theo dõi)(?!\w)")
# A regulation annexed to a decision, pasted alone: "QUY ĐỊNH ... (Ban hành kèm theo Quyết định số ...)".
_REGULATION = re.compile(r"\s*(?:quy định|quy chế|điều lệ)\b[^()]{0,300}\(\s*ban hành kèm theo (?:quyết định|thông tư)")
_CONVENING = re.compile(r"triệu tập|giấy mời|kính mời|mời họp|mời dự họp")
_AGENDA = re.compile(r"(?<!\w)(?:thành phần|địa điểm)(?:\s+(?:mời|tham dự|dự họp))?\s*:")
# A procedure described, step by step: "Quy trình: Sở X tiếp nhận hồ sơ ...; Sở Y thẩm định ...".
# An explicit assignment, which ends a procedure's steps: "giao", "yêu cầu", "đề nghị".
_ASSIGNS = re.compile(r"(?<!\w)(?:giao(?=\s+(?:cho\s+)?(?:sở|ubnd|ủy ban|uỷ ban|các|công an|ban|phòng|trung tâm|văn phòng))|"
                      r"(?<!nhận )(?<!theo )(?<!xét )(?<!các )(?<!có )(?:yêu cầu|đề nghị))(?!\w)")  # not "tiếp nhận đề nghị"
_PROCEDURE = re.compile(r"(?:quy trình|trình tự|các bước|bước\s+\d+|cách thức|thủ tục)[^:;.]{0,60}:")
# "... phải chịu trách nhiệm (toàn diện) trước UBND tỉnh" alone is accountability; after the work ("đẩy nhanh ... và phải chịu
# trách nhiệm trước ...") it leaves the work a task
_NO_EFFECT = re.compile(r"có hiệu lực|(?:chịu|có) trách nhiệm thi hành|(?<!\svà )(?<!\svà phải )chịu (?:hoàn toàn )?trách nhiệm (?:toàn diện |hoàn toàn )?trước")
_ROLE_LEAD = re.compile(r"[\s,]*chủ trì[\s,]*")
_ROLE_COOP = re.compile(r"[\s,]*(?:phối hợp(?:\s+(?:với|cùng))?|với sự phối hợp của|cùng với)(?!\w)")
_SUBJECT_GAP = re.compile(
    # "Các cơ quan, đơn vị, địa phương trên địa bàn tỉnh theo chức năng, nhiệm vụ và lĩnh vực quản lý có trách nhiệm ..."
    # "Các sở Xây dựng, Tài chính, Ban Quản lý dự án tỉnh... chung tay ...": a list left open
    r"(?:\.{2,}|…)?[\s,:\-–]*(?:trên địa bàn (?:toàn\s+)?(?:tỉnh|thành phố)(?!\w)[\s,]*)?"
    r"(?:(?:theo|trong phạm vi)\s+chức năng,?\s+(?:nhiệm vụ|quyền hạn|thẩm quyền)"
    r"(?:,?\s+(?:và\s+)?(?:nhiệm vụ|quyền hạn|thẩm quyền|(?:lĩnh vực|địa bàn) (?:quản lý|được giao|được phân công|phụ trách)))?"
    r"(?:\s+(?:của mình|được giao))?[\s,]*)?"
    # "Công an tỉnh là lực lượng nòng cốt, chủ trì ...", "Sở KH&ĐT làm đầu mối tiếp nhận ...", "Sở Nội vụ là cơ quan
    # thường trực, tổng hợp ...": the unit's role, then its work
    # "Sở Nội vụ làm chủ nhiệm đề án, phối hợp ...", "Sở GTVT làm chủ đầu tư, khẩn trương lập ...", "Sở X là cơ quan chủ
    # trì, phối hợp ...": the role, then the work
    r"(?:(?:là|làm)\s+(?:(?:lực lượng|cơ quan|đơn vị)\s+)?(?:nòng cốt|thường trực|đầu mối|chủ lực|chuyên trách|"
    r"chủ nhiệm(?:\s+(?:đề án|dự án|chương trình|đề tài))?|chủ đầu tư(?:\s+(?:dự án|công trình))?)[\s,]*"
    r"(?=(?:" + _ACTION.pattern[3:] + r")|(?:là|làm)\s+(?:cơ quan|đơn vị)\s+(?=chủ trì[\s,]+(?:" + _ACTION.pattern[3:] + r"))?"
    r"(?:(?:cũng\s+)?được\s+(?:[^\s,.;:]+\s+){0,6}?(?:giao|yêu cầu|đề nghị)(?:\s+nhiệm vụ)?\s+)?"  # "Sở X cũng được giao xác định ..."
    r"(?:căn cứ\s[^;.:]{3,200}?\s(?=(?:xác định|phê duyệt|quyết định|xem xét|chỉ đạo|" + _ACTION.pattern[3:] + r"))?"
    r"(?:cần phải\s+|phải\s+|cần\s+|(?:có|chịu) trách nhiệm\s+)?(?:định kỳ(?:\s+(?:hằng|hàng)\s+\w+|\s+\d+\s+\w+)?[\s,]*)?"
)
_COOP_ANYWHERE = re.compile(r"(?<!\w)(?:phối hợp(?:,?\s+(?:chặt chẽ|kịp thời|thường xuyên|đồng bộ))*(?:\s+(?:với|cùng))?|"
                            r"với sự phối hợp của)(?!\w)")
_FUNCTION_NOTE = re.compile(r"[\s,]*(?:căn cứ\s+)?theo chức năng,?\s+(?:nhiệm vụ|thẩm quyền)(?:\s+(?:được giao|của (?:ngành|mình|đơn vị)))?[\s,]*")
_LEAD_MARKERS = re.compile(
    r"(?<!thong bao )ket luan(?!\s+so)(?:\s+(?:nhu sau|cuoc hop|buoi lam viec|hoi nghi|phien hop|buoi kiem tra|"
    r"chuyen cong tac))?\s*[:,]|(?:co\s+)?y\s+kien\s+chi\s+dao(?:\s+nhu\s+sau)?\s*:|co\s+y\s+kien(?:\s+nhu\s+sau)?\s*:|"
    r"chi\s+dao\s+nhu\s+sau|ket\s+luan\s+(?:cuoc hop|buoi lam viec|hoi nghi|phien hop)|chi\s+dao\s*:|"
    r"(?:ubnd|uy\s+ban\s+nhan\s+dan|chu\s+tich)[^:\n]{0,60}?\s(?:chi\s+thi|yeu\s+cau|de\s+nghi)\s*:"
)
# A news lead announcing a document ("... vừa ký công văn yêu cầu ...", "... đã có văn bản chỉ đạo ..."), and the
# sentence that then gives its content ("Theo đó, ...", "Cụ thể, ...").
_ANNOUNCED = re.compile(r"(?:vừa|đã)\s+(?:ký\s+(?:ban hành\s+)?|ban hành\s+|có\s+|gửi\s+)(?:công văn|văn bản|chỉ thị|"
                        r"công điện|quyết định|thông báo)")
_SPEAKER_OPENS = re.compile(r"\s*(?:chủ tịch\s+)?(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+(?:tỉnh|thành phố|tp)\s+")
_DETAILS = re.compile(r"[\s\"“]*(?:theo đó|cụ thể|nội dung (?:công văn|văn bản) nêu rõ)(?!\w)")
_ONLY_CARRY_OUT = re.compile(r"[\s,]*(?:(?:tổ chức|triển khai)\s+)*(?:thực hiện(?:\s+(?:các\s+)?(?:nhiệm vụ|nội dung)"
                            r"(?:\s+(?:trên|nêu trên|này|được giao))?)?|(?<=triển khai )(?:các\s+)?(?:nhiệm vụ|nội dung)"
                            r"\s+(?:trên|nêu trên|này))(?:\s+theo\s+(?:đúng\s+)?quy định)?[\s.,;]*")
# What only places a cooperation in the work given before: "... phối hợp với Sở Y trong quá trình kiểm tra".
_DURING = re.compile(r"(?:trong (?:quá trình|việc|khi)|khi)\s+[^\W\d][^,;.:]{0,50}?[\s.,;]*")
_COOP_DUTY = re.compile(r"[\s,]*(?:căn cứ\s[^,;.]{0,60},\s*)?(?:(?:có|chịu) trách nhiệm\s+)?phối hợp(?:\s+chặt chẽ)?"
                        r"(?:\s+(?:để|nhằm))?\s+(?:hoàn thành|thực hiện|triển khai)\s+(?:tốt\s+)?(?:các|những)\s+"
                        r"(?:nội dung|nhiệm vụ|công việc)(?:\s+công việc)?(?:\s+(?:trên|nêu trên|này))?[\s.,]*$")
_HANDED_OVER = re.compile(r"\s*(?:quản lý|sử dụng|khai thác|vận hành|theo dõi)[\s.,;]*")
_REPORT_CONTENTS = re.compile(r"(?<!\w)báo cáo(?:\s+\S+){0,4}?\s+(?:các|những)\s+nội dung(?!\w)")
_PAREN_NOTE = re.compile(r"\s*\((?:sao gửi|gửi kèm|kèm theo|có văn bản|có bản)[^()]*\)", re.IGNORECASE)


@dataclass
class _Roles:
    """Who a clause names: the lead, the cooperating units and the unknown units."""

    addressed: bool = False
    lead: str | None = None
    cooperating: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    action_start: int = 0  # where the work itself is described, after the units and their roles
    collective: str | None = None  # the collective addressed, as written
    coop_collective: list[str] = field(default_factory=list)  # collective cooperating phrases
    subject_start: int | None = None  # where the units start when they come after a preamble


@dataclass
class _Draft:
    """A task being built."""

    start: int
    end: int
    main_end: int  # end of the clause that made it a task (the title comes from it)
    title_start: int
    verb: str
    roles: _Roles
    group: int
    sentence: int
    para: int = 0
    recalled: bool = False  # an earlier assignment recalled ("Tại Thông báo số ..., UBND tỉnh giao ...")
    deadline: date | None = None
    ongoing: bool = False
    title_prefix: str = ""
    by_subject: bool = False  # the unit is the clause's subject ("Công an tỉnh bố trí ..."), not addressed


class _Extractor:
    """One run of the rules over one text."""

    def __init__(
        self,
        text: str,
        units: Sequence[UnitRef],
        issued_on: date | None,
        add_working_days: Callable[[date, int], date] | None,
        default_lead_unit: str | None,
    ) -> None:
        self.view = TextView(text)
        self.matcher = UnitMatcher(units)
        self.issued_on = issued_on
        self.add_working_days = add_working_days
        self.default_lead_unit = default_lead_unit
        self.mentions = self.matcher.find(self.view)
        self.mention_at = {m.start: m for m in self.mentions}
        self.starts = sorted(self.mention_at)
        self.unanchored = False  # no lead-in marker and no "giao / đề nghị / yêu cầu ..." anywhere
        self.news_past = False  # a second reading of a text that gave no task: the news of an assignment

    # --- units and roles ----------------------------------------------------

    def _addressees(self, pos: int, limit: int) -> tuple[list[Mention], int]:
        """Read a list of units from `pos` (titles and "và" allowed between); return them and where it ends."""
        low = self.view.low
        found: list[Mention] = []
        end = pos
        while pos < limit:
            mention = self.mention_at.get(pos)
            if mention is not None and mention.end <= limit:
                if found and mention.province and re.search(r"thuộc\s*$", low[max(0, pos - 12):pos]):
                    pos = mention.end  # "... trực thuộc UBND tỉnh" qualifies, it does not address
                    continue
                found.append(mention)
                pos = end = mention.end
                continue
            person = self._person(pos, limit)
            if person is not None:
                pos = person  # "đồng chí Nguyễn Văn A, Giám đốc Sở X": the person, then the title and the unit
                continue
            m = _FILLER.match(low, pos, limit) or _TITLE.match(low, pos, limit)
            if m and m.end() > pos:
                stop = m.end()
                k = bisect_right(self.starts, pos)
                if k < len(self.starts) and self.starts[k] < stop:
                    stop = self.starts[k]  # a unit's name starts inside the filler ("các sở, ngành")
                filler = low[pos:stop]
                pos = stop
                if found and ("thuộc" in filler) and pos in self.mention_at and self.mention_at[pos].province:
                    pos = self.mention_at[pos].end  # "... trực thuộc UBND tỉnh" qualifies, it does not address
                continue
            mention = self.mention_at.get(pos)
            if mention is None or mention.end > limit:
                break
            found.append(mention)
            pos = end = mention.end
        return found, end

    def _person(self, pos: int, limit: int) -> int | None:
        """Return where a person's name at `pos` ends (with its comma or dash before a title), or None."""
        low, text = self.view.low, self.view.text
        honorific = _HONORIFIC.match(low, pos, limit)
        p = honorific.end() if honorific else pos
        first = re.compile(r"[^\W\d_]+").match(low, p, limit)
        if not first or first.group() not in _SURNAMES or not text[p].isupper() or p in self.mention_at:
            return None
        q, words = first.end(), 1
        while words < 4:
            word = _NAME_WORD.match(text, q, limit)
            if not word or not word.group(1)[0].isupper() or word.start(1) in self.mention_at \
                    or _TITLE.match(low, word.start(1), limit):
                break
            q, words = word.end(), words + 1
        if words < 2:
            return None
        separator = _NAME_SEPARATOR.match(low, q, limit)
        after = _skip_spaces(low, separator.end() if separator else q, limit)
        if separator and (_TITLE.match(low, after, limit) or after in self.mention_at):
            return after  # "Nguyễn Văn A, Giám đốc Sở X", "Nguyễn Văn A - Giám đốc Sở X"
        if honorific or _TITLE_BEFORE.search(low, max(0, pos - 14), pos):
            return q  # "đồng chí Nguyễn Văn A chủ trì ...", "Thứ trưởng Nguyễn Huy Dũng và Cục Y ..."
        return None

    def _roles(self, mentions: list[Mention], after: int, limit: int) -> _Roles:
        """Turn addressed units into roles, then read "chủ trì" and "phối hợp với ..." that follow."""
        roles = _Roles(addressed=True, action_start=after)
        codes: list[str] = []
        first = mentions[0] if mentions else None
        if first is not None and (first.kind == "group" or (
                first.kind == "unknown" and any(m.kind == "group" for m in mentions))):
            roles.collective = self.view.text[first.start:mentions[-1].end]  # the whole list, as written
        for k, mention in enumerate(mentions):
            if mention.kind == "unknown":
                roles.unknown.append(mention.text)
            elif mention.kind == "unit" and k == 0:
                roles.lead = mention.codes[0]
            elif mention.kind == "group":
                if roles.collective is None:
                    roles.coop_collective.append(mention.text)
            else:
                codes.extend(mention.codes)
        low = self.view.low
        pos = after
        duty = _DUTY_WORDS.match(low, pos, limit)
        if duty and duty.end() < limit and not re.match(r"thi hành|trước|về|với(?!\w)", low[duty.end():limit]):
            pos = roles.action_start = duty.end()  # "Sở X có trách nhiệm chủ trì, ...": the title starts at the work
        m = _ROLE_LEAD.match(low, pos, limit)
        if m:
            pos = roles.action_start = m.end()
        m = _ROLE_COOP.match(low, pos, limit)
        if m:
            coop, coop_end = self._addressees(m.end(), limit)
            if coop:
                for mention in coop:
                    if mention.kind == "unknown":
                        roles.unknown.append(mention.text)
                    elif mention.kind == "group":
                        roles.coop_collective.append(mention.text)
                    else:
                        codes.extend(mention.codes)
                pos = coop_end
                roles.action_start = pos
        roles.cooperating = _unique(c for c in codes if c != roles.lead)
        return roles

    def _more_cooperating(self, roles: _Roles, a: int, b: int) -> None:
        """Add the units after any later "phối hợp (với)" in [a, b) to the cooperating units."""
        codes = list(roles.cooperating)
        for m in _COOP_ANYWHERE.finditer(self.view.low, a, b):
            mentions, _ = self._addressees(m.end(), b)
            for mention in mentions:
                if mention.kind == "unknown":
                    roles.unknown.append(mention.text)
                elif mention.kind == "group":
                    if mention.text not in roles.coop_collective:
                        roles.coop_collective.append(mention.text)
                else:
                    codes.extend(mention.codes)
        roles.cooperating = _unique(c for c in codes if c != roles.lead)

    def _sent_back(self, a: int, b: int) -> bool:
        """Say whether [a, b) only says where the work before goes: "gửi Sở X trước ngày ..."."""
        low = self.view.low
        if _DISTRIBUTED.fullmatch(low, a, b):
            return True
        sent = _SENT_BACK.match(low, a, b)
        if not sent:
            return False
        mentions, end = self._addressees(sent.end(), b)
        return bool(mentions) and _AFTER_SENT.fullmatch(low, end, b) is not None

    def _directive(self, a: int, b: int) -> tuple[int, _Roles] | None:
        """Find "giao/đề nghị/yêu cầu/chỉ đạo <units>" in [a, b); return its start and the roles."""
        low = self.view.low
        upward_spans = [(u.start(), u.end()) for u in _UPWARD.finditer(low, a, b) if not self._asked_by_superior(u.start())]
        upward_spans += [(u.start(), b) for u in _UPWARD_NATIONAL.finditer(low, a, b)
                         if _PROVINCE_ASKS.search(low, low.rfind("\n", 0, u.start()) + 1, u.start())
                         and not self._asked_by_superior(u.start()) and not (
                             # one ministry: only when the committee itself asks, in the same clause ("UBND tỉnh giao
                             # Sở X ...; đồng thời đề nghị Bộ Y ..." keeps the set's reading of that request)
                             re.search(r"(?<!\w)bộ\s", u.group())
                             and re.search(r"[;.]|(?<!\w)(?:giao|yêu cầu|chỉ đạo)(?!\w)", low[max(
                                 (p.end() for p in _PROVINCE_ASKS.finditer(low, low.rfind("\n", 0, u.start()) + 1,
                                                                          u.start())), default=u.start()):u.start()]))]
        for m in _DIRECTIVE.finditer(low, a, b):
            before = low[max(a, m.start() - 14):m.start()]
            if (_NOT_DIRECTIVE_BEFORE.search(before) and not (
                    before.endswith("đã ") and _MEETING_SPEAKER.match(low, a, m.start())) and not (
                    before.endswith("đã ") and (self.news_past or self._urged_past(m.end()))
                    and _AUTHORITY.search(low, a, m.start())
                    and m.group().startswith(("giao", "chỉ đạo", "yêu cầu")) and not _SINCE.search(low, b, b + 300))) \
                    or _DONE_BEFORE.search(low[max(a, m.start() - 30):m.start()]):
                continue
            if m.group().startswith("giao") and re.match(r"\s+ban(?!\w)", self.view.text[m.end():m.end() + 6]):
                continue
            if m.group().startswith("yêu cầu") and self._sentence_start(m.start()) == m.start() \
                    and _PLAN_AIMS.search(low, max(0, m.start() - 1500), m.start()) \
                    and not re.search(r"\n[ \t]*(?:[ivx\d]+[.)]\s*)?" + _SECTION_ON.pattern, low[max(0, m.start() - 1500):m.start()]):
                continue  # "Với Mục đích ... \nYêu cầu các đơn vị liên quan bám sát mục tiêu ...": a plan's requirements
            if m.group().startswith("yêu cầu") and re.search(r"(?<!\w)được đặt (?:lên hàng đầu|ra)(?!\w)", low[m.end():b]):
                continue  # "yêu cầu giữ vững ổn định ... được đặt lên hàng đầu": the requirement as a noun
            if _FALLBACK.match(low, _skip_spaces(low, a, m.start()), m.start()):
                continue  # "Trường hợp các chủ mỏ không chấp hành thì UBND cấp huyện giao ...": the task before's fallback
            # "những vấn đề thuộc thẩm quyền của cấp huyện thì có văn bản đề nghị UBND huyện X xử lý": how the task
            # before handles a case, not an assignment of its own
            if m.group().startswith("đề nghị") and re.search(r"(?<!\w)thì\s+(?:có\s+(?:văn bản|công văn)\s+)?$",
                                                              low[max(a, m.start() - 30):m.start()]):
                continue
            if m.group() == "gửi" and not _SENT_DOCUMENT.search(low, max(a, m.start() - 40), m.start()):
                continue  # "gửi báo cáo về Sở X": sent, not assigned
            if any(u0 <= m.start() < u1 for u0, u1 in upward_spans):
                continue  # a proposal made upward, and the "chỉ đạo" or "giao" inside it
            if m.group().startswith("giao") and re.search(r"(?<!\w)được\s+(?:(?!và\s)[^\s,.;:]+\s+){0,6}$", low[a:m.start()]):
                continue  # "Sở X được UBND tỉnh giao chủ trì ...": the unit before "được" is the lead  # "chủ trì giao ban": a briefing meeting, not an assignment ("giao Ban Quản lý ..." is)
            if m.group().startswith("giao") and m.start() > a and _ACTION.match(low, _skip_spaces(low, a, b), b):
                _, units_end = self._addressees(m.end(), b)
                if units_end > m.end() and _HANDED_OVER.fullmatch(low, units_end, b):
                    continue  # "lập danh sách các bãi đỗ xe giao cho các quận, huyện quản lý": handed over, a noun's
            requester = None
            for requester in _REQUESTER.finditer(low, a, m.start()):
                pass
            if requester is not None and not _OFFICIAL.search(low, requester.end(), m.start()):
                continue  # "Cử tri xã X đề nghị ...": a request quoted, not an instruction (no official in between)
            pos = m.end()
            if low.startswith(", ", pos) and m.group().startswith(("yêu cầu", "đề nghị")):
                pos += 1  # "yêu cầu, đơn vị chủ đầu tư, nhà thầu thi công ... cần ...": a comma before the addressees
            when = _WHEN_THEN.match(low, _skip_spaces(low, pos, b), b)
            if when and m.group().startswith(("yêu cầu", "đề nghị")) and self._addressees(when.end(), b)[0]:
                pos = when.end()  # "yêu cầu, khi đoàn kiểm tra có đề nghị thì UBND các huyện ... cử cán bộ ...": the condition first
            time = _TIME_PREFIX.match(self.view.fold, pos, b)  # "yêu cầu đến 30/5/2016 Sở Nội vụ phải có ..."
            if time:
                pos = time.end()
            adverb = _STEER_ADVERB.match(low, pos, b) if m.group().startswith("chỉ đạo") else None
            if adverb and self._addressees(adverb.end(), b)[0]:
                pos = adverb.end()  # "chỉ đạo quyết liệt các cơ quan liên quan vào cuộc ...": the addressees follow
            mentions, end = self._addressees(pos, b)
            if m.group() == "gửi":
                # "văn bản gửi <addressees> yêu cầu <verb> ...": the addressees, named or not, are asked the work
                ask = _SENT_ASKING.search(low, pos, min(b, pos + 300))
                if ask and _ACTION.match(low, ask.end(), b) and not re.search(r"[.;:]|về việc", low[pos:ask.start()]):
                    roles = self._roles(mentions, ask.start(), b) if mentions else _Roles(addressed=True)
                    roles.action_start = ask.end()
                    if roles.lead is None and not roles.collective:
                        roles.collective = self.view.text[pos:ask.start()].strip(" ,")
                    return m.start(), roles
                if not mentions:
                    continue
                roles = self._roles(mentions, end, b)
                if not _ACTION.match(low, _skip_spaces(low, roles.action_start, b), b):
                    continue  # "... có công văn gửi UBND các tỉnh về việc ...": the letter's subject, no work
                return m.start(), roles
            if mentions:
                return m.start(), self._roles(mentions, end, b)
            # No unit named: "chỉ đạo khẩn trương hoàn thành ...", "đề nghị công ty tập trung ..."
            p = q = _skip_spaces(low, pos, b)
            bare = self._bare_group(p, b)
            if bare is not None:
                return m.start(), bare
            title = _TITLE.match(low, p, b)
            person = self._person(_skip_spaces(low, title.end(), b) if title else p, b)
            if person is not None:
                person = _skip_spaces(low, person, b)
            if person is not None and (title or _HONORIFIC.match(low, p, b)) and _ACTION.match(low, person, b):
                roles = _Roles(addressed=True, action_start=person)  # "chỉ đạo Thứ trưởng Nguyễn Văn A xây dựng ..."
                roles.unknown.append(self.view.text[p:person].strip(" ,:-–"))
                return m.start(), roles
            if m.group().startswith("chỉ") and not _URGENT.match(low, q, b):
                continue  # "chỉ đạo giải quyết vụ việc" tells what the leader did
            # "yêu cầu các phương tiện thông tin đại chúng cần tập trung ...": a plural group the registry does not
            # know, ended by "cần/phải" and the work, is addressed as written
            group = _PLURAL_BEFORE_MODAL.match(low, p, b)
            if group is None:  # "Sở Y tế yêu cầu các bệnh viện tăng cường ...": a plural of bodies, then the work
                group = _PLURAL_BEFORE_WORK.match(low, p, b)
                if group and (_THINGS.match(low, _skip_spaces(low, p + len(group.group(1)), b), b)
                              or _NOT_ADDRESSEE.search(low, p + len(group.group(1)), group.end())):
                    group = None
            if group and _ACTION.match(low, (_NO_ACTOR.match(low, group.end(), b) or group).end(), b) \
                    and not _PUBLIC.match(low, p, group.end()) and not re.search(r"[,;:.]", low[p:group.end()]):
                roles = _Roles(addressed=True, action_start=group.end())
                roles.collective = self.view.text[p:group.end()].strip()
                return m.start(), roles
            # "yêu cầu Giám đốc Sở, Thủ trưởng cơ sở giáo dục đại học lập biên bản ...": officials named by their
            # titles take more words than a bare noun before their work
            titled = _TITLE.match(low, p, b) is not None
            soon = _CONNECTOR.match(low, p, b)
            if soon and soon.end() > p and (_NO_ACTOR.match(low, soon.end(), b) or _ACTION.match(low, soon.end(), b)):
                p = q = soon.end()  # "yêu cầu trong thời gian tới phải đẩy nhanh ...": the coming period, then the work
            for _k in range(12 if titled else 4):
                if _ACTION.match(low, q, b) or _NO_ACTOR.match(low, q, b):
                    if _NOT_ADDRESSEE.search(low[p:q]) or _PUBLIC.match(low, p, q):
                        break  # "đề nghị người dân thực hiện ...": asked of the public, no unit's task
                    roles = _Roles(addressed=True, action_start=q)
                    if low[p:q].strip():
                        roles.unknown.append(self.view.text[p:q].strip(" ,:"))
                    return m.start(), roles
                word = (_TITLED_WORD if titled else _WORD).match(low, q, b)
                if not word:
                    break
                q = word.end()
        return None

    def _asked_by_superior(self, pos: int) -> bool:
        """Say whether the request at `pos` ("đề nghị UBND tỉnh ...") is made by the Party, the council or the
        Government named earlier on its line, with no department or requester in between."""
        low = self.view.low
        line = low.rfind("\n", 0, pos) + 1
        last = None
        for last in _SUPERIOR.finditer(low, line, pos):
            pass
        return last is not None and not _SUBORDINATE.search(low, last.end(), pos)

    def _assigned_group(self, a: int, b: int) -> _Roles | None:
        """Read "Các lực lượng quân sự, quản lý thị trường, y tế... được giao nhiệm vụ phối hợp ...": a group
        listed by its sectors, then assigned in the passive; the list is the collective."""
        low = self.view.low
        if not low.startswith("các ", a):
            return None
        m = _ASSIGNED.search(low, a, min(b, a + 250))
        if m is None:
            return None
        subject = low[a:m.start()]
        if len(subject.split()) > 30 or "," not in subject or re.search(r"[;:]|(?<!\w)(?:đã|đang|sẽ|và)(?!\w)", subject):
            return None
        if not _ACTION.match(low, m.end(), b):
            return None
        roles = _Roles(addressed=True, action_start=m.end())
        roles.collective = self.view.text[a:m.start()].strip(" ,.…")
        return roles

    def _bare_group(self, p: int, b: int, strict: bool = False) -> _Roles | None:
        """Read "lực lượng công an (toàn tỉnh,) <verb>", "nhà thầu <qualifiers> <verb>" at `p`: a collective.
        `strict`: the work follows the group's words at once ("Cơ quan chuyên môn tham mưu ...")."""
        low = self.view.low
        g = _BARE_GROUP.match(low, p, b)
        if g is None:
            return None
        q = end = g.end()
        for _k in range(1 if strict else 9):
            r = _skip_spaces(low, q, b)
            if r < b and low[r] == ",":
                r = _skip_spaces(low, r + 1, b)  # "lực lượng công an toàn tỉnh, nắm chắc tình hình ..."
            if _ACTION.match(low, r, b) or _NO_ACTOR.match(low, r, b):
                roles = _Roles(addressed=True, action_start=r)
                roles.collective = self.view.text[p:end].strip(" ,")
                return roles
            if r > q and low[q:r].strip() == ",":
                return None  # a comma not followed by the work: not an addressee
            word = _LETTERS.match(low, r, b)
            if not word:
                return None
            if word.group() in ("không", "chưa"):
                return _Roles(addressed=True, action_start=p)  # "chỉ đạo, nhà thầu không đảm bảo tiến độ, cần ...": the topic
            q = end = word.end()
        return None

    def _named_instruction(self, a: int, b: int) -> _Roles | None:
        """Read a sentence whose plural subject does work, named next as a leader's instruction ("Các cơ sở giáo dục
        thực hiện ... . Đó là một trong những chỉ đạo của Chủ tịch UBND tỉnh ..."): the subject is addressed."""
        low = self.view.low
        end = _SENTENCE_END.search(low, a)
        if end is None or not _NAMED_AFTER.match(low, end.start()):
            return None
        subject = self._subject(a, b) or self._bare_group(a, b)
        if subject is not None:
            return subject
        group = _PLURAL_BEFORE_WORK.match(low, a, b)
        if group is None or _THINGS.match(low, _skip_spaces(low, a + len(group.group(1)), b), b) \
                or _NOT_ADDRESSEE.search(low, a + len(group.group(1)), group.end()) or _PUBLIC.match(low, a, group.end()) \
                or re.search(r"[,;:.]", low[a:group.end()]):
            return None
        roles = _Roles(addressed=True, action_start=group.end())
        roles.collective = self.view.text[a:group.end()].strip()
        return roles

    def _subject(self, a: int, b: int) -> _Roles | None:
        """Read "<unit> (chủ trì|phối hợp|<verb>) ..." at the start of a clause."""
        time = _TIME_PREFIX.match(self.view.fold, a, b) or _TIME_LEAD.match(self.view.fold, a, b)
        if time and re.search(r"\bhang\s+(?:nam|quy|thang|tuan|ngay)\b", time.group()):
            return None  # "từ ngày 5 đến ngày 10 hằng tháng, Phòng X kiểm tra ...": a routine described
        if time:
            a = time.end()
        attribution = None if time else _ATTRIBUTION.match(self.view.low, a, b)
        if attribution:
            a = attribution.end()
        topic = None if time or attribution else _TOPIC.match(self.view.low, a, b)
        if topic:  # "Đối với Công an tỉnh: Tiếp tục ...": the unit's heading with its first item on the same line
            mentions, end = self._addressees(topic.end(), b)
            if not mentions or not re.match(r"[ \t]*:", self.view.low[end:b]):
                return None
            a = topic.end()
        mentions, end = self._addressees(a, b)
        if not mentions or mentions[0].province:
            return None
        rest = _SUBJECT_GAP.match(self.view.low, end, b)
        after = rest.end() if rest else end
        if _UPWARD.match(self.view.low, after, b):
            return None  # "Sở X đề xuất UBND tỉnh giao ...": the unit's proposal, not its work
        duty = re.search(r"có trách nhiệm\s+$", self.view.low[end:after]) and not re.match(
            r"thi hành|trước", self.view.low[after:b])  # "UBND các huyện có trách nhiệm cấp kinh phí ..."
        grounded = rest is not None and "căn cứ" in rest.group() and re.match(r"xác định|quyết định|xem xét",
                                                                              self.view.low[after:b])
        # "Sở X (cũng) được giao xác định lộ trình ...": assigned in the passive, whatever verb names the work
        given = rest is not None and re.search(r"(?<!\w)(?:giao|yêu cầu|đề nghị)(?:\s+nhiệm vụ)?\s+$", rest.group()) \
            is not None and re.match(r"[^\W\d]", self.view.low[after:after + 1]) is not None
        if given and re.match(r"(?:tại|theo|trong)\s", self.view.low[after:b]):
            # "Các sở, ngành được giao nhiệm vụ tại Kế hoạch này có trách nhiệm xây dựng ...": who, not the work
            duty_at = re.compile(r"(?<!\w)(?:có|chịu) trách nhiệm\s+").search(self.view.low, after, b)
            given = duty_at is not None and _ACTION.match(self.view.low, duty_at.end(), b) is not None
            after = duty_at.end() if given else after
        if given:
            roles = self._roles(mentions, after, b)  # "... được giao chủ trì, phối hợp với Sở Y ...": the roles follow
            if attribution:
                roles.subject_start = a
            return roles
        if not (duty or grounded or _ACTION.match(self.view.low, after, b) or _ROLE_LEAD.match(self.view.low, after, b)):
            qualified = _QUALIFIED_MODAL.match(self.view.low, end, b) if mentions[0].kind == "group" else None
            if qualified and _ACTION.match(self.view.low, qualified.end(), b):
                roles = self._roles(mentions, end, b)  # "Các cơ quan, đơn vị còn ... khẩn trương sắp xếp ..."
                roles.action_start = qualified.end()
                return roles
            if not re.match(r"\s*[-–(]", self.view.low[end:b]):
                return None
            # "Sở Kế hoạch và Đầu tư - cơ quan thường trực Ban ... tham mưu ...": an apposition, then the work
            verb = _APPOSITION_VERB.search(self.view.low, end, min(b, end + 160))
            if verb is None:
                return None
            roles = self._roles(mentions, end, b)
            roles.action_start = verb.start()
            return roles
        roles = self._roles(mentions, end, b)
        if attribution:
            roles.subject_start = a
        return roles

    def _only_cooperates(self, a: int, b: int) -> bool:
        """Say whether the work in [a, b) is only to cooperate with named units in carrying out ("chủ động phối
        hợp với Công an tỉnh triển khai thực hiện nhiệm vụ")."""
        low = self.view.low
        note = _FUNCTION_NOTE.match(low, a, b)  # "theo chức năng nhiệm vụ của ngành, phối hợp Ban X tổ chức triển khai ..."
        m = re.compile(r"[\s,]*(?:(?:chủ động|tích cực|kịp thời)\s+)?").match(low, note.end() if note else a, b)
        coop = _ROLE_COOP.match(low, m.end(), b)
        if not coop:
            return False
        mentions, end = self._addressees(coop.end(), b)
        return bool(mentions) and bool(_ONLY_CARRY_OUT.fullmatch(low, end, b))

    def _second_addressee_commas(self) -> list[int]:
        """Return the commas before "đồng thời" that turn to another addressee ("..., đồng thời Sở Tài chính bố
        trí kinh phí", "..., đồng thời giao Sở X ..."): the second instruction is a task of its own."""
        out = []
        for m in _SECOND_ADDRESSEE.finditer(self.view.low):
            found, _ = self._addressees(m.end(), min(len(self.view), m.end() + 200))
            if found and not found[0].province:
                out.append(m.start())
        out.extend(self._next_subject_commas())
        out.extend(self._second_work_commas())
        out.extend(m.start(1) for m in _PARALLEL_STEERING.finditer(self.view.low))
        # "... làm rõ… gói thầu số 7… giao cho Sở NN&PTNT chủ trì ...": an ellipsis before another assignment
        low = self.view.low
        for m in re.finditer(r"…\s*(?=(?:giao|đề nghị|yêu cầu)\s+(?:cho\s+)?)", low):
            d = _DIRECTIVE.match(low, m.end())
            if d is not None:
                found, _ = self._addressees(_skip_spaces(low, d.end(), len(low)), min(len(low), d.end() + 200))
                if found and not found[0].province:
                    out.append(m.start())
        return sorted(set(out))

    def _second_work_commas(self) -> list[int]:
        """Return the commas between two pieces of work with their own objects ("đẩy nhanh tiến độ kiện toàn nhân sự
        của UBND, chuẩn bị đầy đủ các nội dung cho Kỳ họp thứ Nhất ..."): two tasks for the same addressee. Steps of
        one piece of work ("rà soát, kiểm tra, xử lý ...", "xử lý thông tin, xem xét giải quyết ...") are short
        and stay one."""
        low = self.view.low
        out = []
        for m in _SECOND_WORK.finditer(low):
            start = max(low.rfind(ch, 0, m.start()) for ch in ".;:\n") + 1
            verb = None
            for verb in _ACTION.finditer(low, start, m.start()):
                break
            if verb is None or _GOAL.search(low, verb.end(), m.start()) \
                    or len(low[verb.end():m.start()].split()) < 6 or "," in low[verb.end():m.start()]:
                continue
            stop = min([i for i in (low.find(ch, m.end()) for ch in ".;:\n,") if i >= 0] or [len(low)])
            if len(low[m.end():stop].split()) >= 6:
                out.append(m.start())
        return out

    def _next_subject_commas(self) -> list[int]:
        """Return the commas after a piece of work that another unit's own work follows ("Phòng Kinh tế - Hạ tầng
        thẩm định về nội dung, phòng Tài chính - Kế hoạch thẩm định kinh phí ..."): two tasks. A comma right after
        a unit's name ("giao Sở X, Sở Y thực hiện ...") lists addressees; a role ("chủ trì", "phối hợp") after the
        second unit shares one task."""
        low, text = self.view.low, self.view.text
        out = []
        for pos in self.starts:
            mention = self.mention_at[pos]
            if mention.province or mention.kind != "unit":
                continue
            comma = pos - 1
            while comma >= 0 and text[comma] in " \t":
                comma -= 1
            if comma < 1 or text[comma] != ",":
                continue
            before = comma - 1
            while before >= 0 and text[before] in " \t":
                before -= 1
            k = bisect_right(self.starts, before)
            prev = self.starts[k - 1] if k else None
            if prev is None or self.mention_at[prev].end >= before or prev < comma - 400 \
                    or self.mention_at[prev].kind != "unit" or low.startswith("các ", pos):
                continue  # no unit before in reach, or the comma follows a unit's name: a list of addressees
            line = low[prev:comma]
            if re.search(r"[.;:\n]", line) or _DIRECTIVE.search(line) or not _ACTION.match(low, _skip_spaces(low, self.mention_at[prev].end, comma),
                                                                comma):
                continue  # the unit before does not do work of its own up to the comma
            mentions, end = self._addressees(pos, min(len(low), pos + 200))
            after = _skip_spaces(low, end, len(low))
            verb = _ACTION.match(low, after, min(len(low), after + 40))
            if not mentions or verb is None or re.match(r"phối hợp|chủ trì", verb.group()):
                continue
            out.append(comma)
        return out

    def _modal_subject(self, a: int, b: int) -> _Roles | None:
        """Read "<units> cần|phải <verb>" inside a clause ("Theo Chủ tịch, ..., vì vậy các ngành, địa phương cần
        phối hợp ..."): the modal makes it an instruction even after a preamble. The span starts at the units."""
        low = self.view.low
        k = bisect_right(self.starts, a - 1)
        while k < len(self.starts) and self.starts[k] < b:
            pos = self.starts[k]
            k += 1
            if pos == a and not self.mention_at[pos].province:
                continue
            mentions, end = self._addressees(pos, b)
            if self.mention_at[pos].province:
                named = re.match(r"(?:[ \t]+[A-ZĐ][^\W\d_]*){1,3}(?=[ \t])", self.view.text[end:b])
                end += named.end() if named else 0  # "UBND tỉnh| Đồng Nai phải ..." (the registry's is unnamed)
            modal = _MODAL.match(low, end, b)
            if self.mention_at[pos].province and (len(mentions) > 1 or modal is None or low[a:pos].strip(" ,")
                                                  and not re.search(r",\s*$", low[a:pos])):
                continue  # "Vì thế, UBND tỉnh Đồng Nai phải sớm chỉ đạo ...": the committee told what it must do
            if mentions and modal is None and self.mention_at[pos].kind == "group":
                # "Các cơ quan, đơn vị còn số lượng cấp phó vượt quá quy định ... khẩn trương sắp xếp ...": the
                # group qualified, then the urgent or due work
                modal = _QUALIFIED_MODAL.match(low, end, b)
            soon = re.compile(r"(?:sớm|nhanh chóng)\s+").match(low, modal.end(), b) if modal else None
            if mentions and modal and _ACTION.match(low, soon.end() if soon else modal.end(), b):
                roles = self._roles(mentions, end, b)
                roles.action_start = modal.end()
                roles.subject_start = pos
                return roles
        return None

    def _past_topic(self, a: int, b: int) -> int:
        """Skip a topic that names no unit, put first: "Đối với đề án trồng cây ăn quả, tiếp tục đôn đốc ...",
        "Đối với dự án ..., Phòng NN&PTNT tham mưu ...": the work (or its unit) after the comma."""
        low = self.view.low
        topic = _TOPIC.match(low, a, b)
        if topic is None or _BEYOND.match(low, a, b):
            return a
        comma = low.find(",", topic.end(), min(b, topic.end() + 120))
        colon = low.find(":", topic.end(), min(b, topic.end() + 120))
        if 0 <= colon and (comma < 0 or colon < comma or not any(comma < m.start < colon for m in self.mentions)):
            comma = colon  # "1. Đối với các nhiệm vụ, giải pháp ... trong thời gian tới: Các sở, ban, ngành ... tham mưu"
        if comma < 0 or re.search(r"[.;:]", low[topic.end():comma]):
            return a
        k = bisect_right(self.starts, topic.end() - 1)
        if k < len(self.starts) and self.starts[k] < comma:
            return a  # "Đối với các địa phương ..., ...": the topic is addressed (see `_topic_subject`)
        after = _skip_spaces(low, comma + 1, b)
        if _ACTION.match(low, after, b) or (after in self.mention_at and self._subject(after, b) is not None):
            return after
        return a

    def _modal_after_topic(self, a: int, b: int) -> int:
        """Skip a matter put first when the work follows a modal: "Với các quy hoạch cần xin ý kiến, ... cũng cần
        nhanh chóng hoàn tất ...", "Trong lĩnh vực môi trường cần theo dõi ...": the work after "cần"."""
        low = self.view.low
        topic = _WORK_TOPIC.match(low, a, b)
        if topic is None or _BEYOND.match(low, a, b) or topic.end() in self.mention_at:
            return a
        for m in _TOPIC_MODAL.finditer(low, topic.end(), min(b, topic.end() + 200)):
            if re.search(r"[.;:]|(?<!\w)thì(?!\w)", low[topic.end():m.start()]):
                break  # "Đối với đơn vị đã được phê duyệt ... thì phải ...": a rule for others, not the work
            work = _skip_spaces(low, m.end(), b)
            if _ACTION.match(low, work, b):
                return m.start(1)
        return a

    def _topic_subject(self, a: int, b: int) -> _Roles | None:
        """Read "Đối với <units>, (chỉ đạo|yêu cầu|giao)? <verb> ..." at the start of a clause."""
        low = self.view.low
        topic = _TOPIC.match(low, a, b)
        if not topic:
            return None
        mentions, end = self._addressees(topic.end(), b)
        comma = re.match(r"(?:\s+(?!(?:chỉ đạo|yêu cầu|đề nghị|giao)\s)[^,.;:]{1,60}?)?\s*,\s*(?:(?:" + _SPEAKER.pattern
                         + r"|bộ\s+[^\s,.;:]+\s+)?(?:chỉ đạo|yêu cầu|đề nghị|giao)\s+)?", low[end:b])
        # (a qualifier may follow the units: "Đối với các địa phương đã và đang có dịch, Bộ NN&PTNT yêu cầu ...")
        if not mentions or mentions[0].province or not comma:
            return None
        after = end + comma.end()
        modal = _MODAL.match(low, after, b)  # "Đối với các địa phương ..., yêu cầu cần thực hiện ..."
        if not _ACTION.match(low, modal.end() if modal else after, b):
            return None
        roles = self._roles(mentions, end, b)
        roles.action_start = after
        roles.subject_start = end + len(low[end:after]) - len(low[end:after].lstrip(" ,"))
        ministry = re.match(r"bộ\s+[^\s,.;:]+\s+(?=yêu cầu|chỉ đạo|đề nghị|giao)", low[roles.subject_start:b])
        speaker = _SPEAKER.match(low, roles.subject_start, b)
        if speaker:
            roles.subject_start = speaker.end()  # "Riêng ..., Thủ tướng yêu cầu ...": the span starts at the verb
        elif ministry:
            roles.subject_start += ministry.end()  # "Đối với ..., Bộ NN&PTNT yêu cầu ..."
        verb = re.match(r"(?:chỉ đạo|yêu cầu|đề nghị|giao)\s+", low[roles.subject_start:b])
        if not verb:
            roles.subject_start = after
        return roles

    def _unit_list_semicolons(self) -> list[tuple[int, int]]:
        """Return spans around the semicolons that separate units of one list ("các sở, ngành; UBND các huyện")."""
        ends = {m.end for m in self.mentions}
        newlines = [m.start() for m in re.finditer("\n", self.view.text)]
        spans = []
        for semicolon in re.finditer(";", self.view.text):
            i = semicolon.start()
            before = i
            while before > 0 and self.view.text[before - 1] in " \t":
                before -= 1
            after = None
            owner = next((m for m in self.mentions if m.end == before), None)
            if before in ends and not (owner is not None and self.view.low[:owner.start].rstrip().endswith("của")):
                # (not "... theo Kế hoạch số 126/KH-UBND của UBND tỉnh; Thủ trưởng các đơn vị ...": a document's issuer)
                k = bisect_right(newlines, i)
                after, _ = self._addressees(i + 1, newlines[k] if k < len(newlines) else len(self.view))
            if after or self._objects_semicolon(i) or self._names_semicolon(i, spans):
                spans.append((i - 1, i + 2))
        return spans

    def _names_semicolon(self, i: int, spans: list[tuple[int, int]]) -> bool:
        """Say whether the semicolon at `i` separates the names of a list of programmes ("... thực hiện các chương
        trình mục tiêu quốc gia xây dựng nông thôn mới; giảm nghèo bền vững; phát triển kinh tế - xã hội vùng ..."):
        the plural noun a few words before (or the name before it already one of the list), short names, no unit."""
        low = self.view.low
        start = max(low.rfind(".", 0, i), low.rfind("\n", 0, i)) + 1
        prev = spans[-1][0] + 1 if spans and spans[-1][0] + 1 >= start else None
        in_list = prev is not None and low[prev] == ";" and len(low[prev + 1:i].split()) <= 15 \
            and not any(prev < m.start < i for m in self.mentions)  # the name before is one of the list
        if not in_list:
            noun = None
            for noun in _NAMED_LIST.finditer(low, start, i):
                pass
            if noun is None or len(low[noun.end():i].split()) > 12 or ";" in low[noun.end():i] \
                    or _ACTION.match(low, _skip_spaces(low, i + 1, len(low))):
                return False  # the first name after the noun is no work ("...; kiểm tra ..." is)
        end = min(k for k in (low.find(";", i + 1), low.find(".", i + 1), low.find("\n", i + 1), len(low)) if k >= 0)
        return len(low[i + 1:end].split()) <= 20 and not any(i < m.start < end for m in self.mentions)

    def _objects_semicolon(self, i: int) -> bool:
        """Say whether the semicolon at `i` separates the objects of one "chỉ đạo / giao" ("... chỉ đạo bộ phận
        thường trực giúp việc của BCĐ 389/ĐP; Đoàn kiểm tra liên ngành ... có kế hoạch ..."): no work is told
        between the verb and the semicolon, and a capitalised name follows it, then the work."""
        text, low = self.view.text, self.view.low
        start = max(low.rfind(".", 0, i), low.rfind("\n", 0, i), low.rfind(";", 0, i)) + 1
        verb = None
        for verb in re.finditer(r"(?<!\w)(?:chỉ đạo|giao)\s+", low[start:i]):
            pass
        if verb is None:
            return False
        objects = low[start + verb.end():i]
        if not objects.strip() or len(objects.split()) > 15 or _ACTION.search(re.sub(r"giúp việc|ban chỉ (?:đạo|huy)", "", objects)):
            return False
        j = _skip_spaces(low, i + 1, len(low))
        if j >= len(text) or not text[j].isupper():
            return False
        action = _ACTION.search(low, j, min(len(low), j + 200))
        return action is not None and len(low[j:action.start()].split()) <= 15 and "." not in low[j:action.start()]

    # --- the pass over the clauses -----------------------------------------

    def _headline(self, c: Clause, directive: tuple[int, _Roles] | None) -> bool:
        """Return True for a headline: a short paragraph of its own, without final punctuation, naming no unit."""
        text = self.view.text
        if c.bullet:
            return False
        line_start = text.rfind("\n", 0, c.start) + 1
        line_end = text.find("\n", c.end)
        line_end = len(text) if line_end < 0 else line_end
        if line_start == 0:  # "<headline> TPO - <lead>": the agency's dateline ends the headline's line
            dateline = AGENCY_DATELINE.search(text, c.end, min(line_end, 400))
            line_end = dateline.start() if dateline and dateline.start() == c.end else line_end
        before = text[line_start:c.start].strip()
        if not c.first_in_sentence:
            # "UBND tỉnh chỉ đạo: Tăng cường công tác tuyên truyền ..." near the top, with no final punctuation:
            # a headline that quotes the instruction the body tells
            # "Chủ tịch tỉnh Cao Bằng yêu cầu báo cáo hàng ngày tiến độ ..." as the text's first line, unpunctuated:
            # the headline of the news that follows, its speaker before the verb
            first_line = not text[:line_start].strip() and len(before.split()) <= 8 and not re.search(r"[.;:,]", before)
            if not ((before.endswith(":") or first_line) and len(before.split()) <= 8 and line_start < 300) \
                    or self._subject(c.start, c.end) is not None:
                return False
            before = ""
        if before or text[c.end:line_end].strip(" \t\"”'»"):
            return False  # the clause is not the whole paragraph (a closing quotation mark aside)
        # the text's first line with a blank line after it may run longer: a news item's title over its body
        title = not text[:line_start].strip() and text[line_end:line_end + 3].startswith(("\n\n", "\n \n", "\n\r\n"))
        if len(text[c.start:c.end].split()) > (30 if title else 20):
            return False
        if directive is not None and (directive[1].lead or directive[1].cooperating):
            return False
        if not text[line_end:].strip() and (directive is not None or self._subject(c.start, c.end) is not None):
            return False  # a headline heads a body: the text's last line, a unit set to work, is one cut off
        return True

    def _report_sections(self, clauses: list[Clause]) -> list[bool]:
        """Say for each clause whether it is under a heading of a report ("1. Công tác chỉ đạo, điều hành",
        "Kết quả đạt được"): there, what the committee "chỉ đạo" and what units do is what was done; only an
        explicit "giao / đề nghị / yêu cầu" assigns work. The text's title does not count."""
        low, text = self.view.low, self.view.text
        report = False
        out = []
        for i, c in enumerate(clauses):
            words = low.count(" ", c.start, c.end) + 1
            if i > 0 and words <= 30:  # a heading is short
                letters = [ch for ch in text[c.start:c.end] if ch.isalpha()]
                words = len(low[c.start:c.end].split())
                line_start = text.rfind("\n", 0, c.start) + 1
                line_end = text.find("\n", c.end)
                alone = not text[line_start:c.start].strip() and not text[c.end:len(text) if line_end < 0
                                                                          else line_end].strip()
                if len(letters) >= 4 and (sum(ch.isupper() for ch in letters) > 0.7 * len(letters) or (
                        words <= 8 and not c.ends_leadin and (c.bullet or (alone and c.first_in_sentence)))):
                    report = bool(_REPORT_HEADING.match(low, c.start, c.end))
            out.append(report)
        return out

    def _region_start(self, clauses: list[Clause]) -> int:
        """Return the index of the first clause of the conclusion part.

        It is the lead-in marker's clause ("kết luận như sau:"), or an earlier clause that already assigns
        work to a named or collective addressee ("..., chỉ đạo các sở, ngành tăng cường ...; Nội dung văn
        bản chỉ đạo như sau:"), else the first clause that assigns work.
        """
        marker = _LEAD_MARKERS.search(self.view.fold)
        at_marker = None
        if marker:
            at_marker = next((i for i, c in enumerate(clauses) if c.end > marker.start()), None)
        for i, c in enumerate(clauses):
            if at_marker is not None and i >= at_marker:
                return at_marker
            found = self._directive(c.start, c.end)
            if found and at_marker is not None and "\n" not in self.view.text[:c.end] \
                    and "\n" in self.view.text[c.end:marker.start()] and "y kien" in marker.group():
                # "Chủ tịch UBND tỉnh, Yêu cầu Cục trưởng Cục Thống kê tỉnh triển khai ... .\nUBND tỉnh nhận được ...
                # Sau khi xem xét, Chủ tịch UBND tỉnh có ý kiến chỉ đạo như sau: ...": the letter's title line
                found = None
            if found and (at_marker is None or found[1].lead or found[1].collective):
                if i and at_marker is None and c.first_in_sentence and self._cut_off_item(clauses, i):
                    return 0
                return i
            if at_marker is None and self._unit_heading(clauses, i) is not None:
                return i  # "1. Sở Xây dựng\n- Chủ trì, phối hợp ...": a plan's assignment section
            if at_marker is None and c.first_in_sentence and self._named_instruction(c.start, c.end) is not None:
                return i  # "Các cơ sở giáo dục thực hiện ... . Đó là một trong những chỉ đạo của ..."
            if at_marker is None and c.first_in_sentence:
                cm = _CONNECTOR.match(self.view.low, c.start, c.end)  # "Theo đó, ..."
                # "2. Giám đốc Sở X căn cứ ... xác định", "1. Đối với các nhiệm vụ ...: Các sở, ban, ngành ... tham mưu"
                subject = self._subject(self._past_topic(cm.end() if cm else c.start, c.end), c.end)
                if subject is not None and (subject.lead or subject.unknown or (subject.collective and c.bullet)) and (
                        c.bullet or self._assigns_soon(clauses, i)):
                    return i
                modal = self._modal_subject(c.start, c.end)  # "Vì thế, UBND tỉnh X phải sớm chỉ đạo ... . ... đề nghị"
                if modal is not None and modal.lead and self._assigns_soon(clauses, i):
                    return i
        if at_marker is not None:
            return at_marker
        self.unanchored = True
        return 0

    def _unit_heading(self, clauses: list[Clause], i: int) -> _Roles | None:
        """Read "2. Sở Tài chính" (or "- UBND các huyện, thành phố"), a numbered or bulleted line of its own naming only
        units, over the items of their work on the next lines ("- Chủ trì ...", "Tham mưu ..."): a plan's
        "Tổ chức thực hiện" section; the units lead the items under them."""
        c = clauses[i]
        text, low = self.view.text, self.view.low
        if not c.bullet or i + 1 >= len(clauses):
            return None
        line_start = text.rfind("\n", 0, c.start) + 1
        line_end = text.find("\n", c.end)
        if line_end < 0 or text[c.end:line_end].strip(" \t.:") or re.search(r"[^\s\d.)IVXivx]", text[line_start:c.start]):
            return None  # not a line of its own
        units, end = self._addressees(c.start, c.end)
        if not units or units[0].province or low[end:c.end].strip(" ,.-–"):
            return None
        nxt = clauses[i + 1]
        if nxt.para == c.para or not (nxt.bullet or _ACTION.match(low, nxt.start, nxt.end)):
            return None
        return self._roles(units, end, c.end)

    def _cut_off_item(self, clauses: list[Clause], i: int) -> bool:
        """Is the text's first sentence, right before the first assignment, an item of a list cut off at the top of
        an excerpt ("Báo cáo tình hình thực hiện ... năm 2012.\nUBND tỉnh giao trách nhiệm Sở X ...")? It opens with
        the work, is long and ends with a full stop: a task whose addressee was above the cut, not a headline."""
        first = clauses[0]
        low = self.view.low
        if any(c.sentence != first.sentence for c in clauses[:i]) or not first.first_in_sentence or first.bullet:
            return False
        end = clauses[i - 1].end
        return bool(_ACTION.match(low, first.start, first.end)) and not _CONNECTOR.match(low, first.start, first.end) \
            and len(low[first.start:end].split()) >= 15 and self.view.text[end:end + 1] == "." \
            and not _PAST.search(low, first.start, end) \
            and not re.search(r"(?<!\w)(?:là|được|sẽ)(?!\w)", low[first.start:end])  # ("... là yêu cầu ...": a statement)

    def _assigns_soon(self, clauses: list[Clause], i: int) -> bool:
        """Say whether an assigning verb follows within the next sentences of the paragraph ("Công an tỉnh bố trí
        ...; chỉ đạo Công an các huyện ..."): the unit named as a subject before it already has its part."""
        for c in clauses[i + 1:i + 8]:
            if c.para != clauses[i].para and c.para > clauses[i].para + 1:
                return False
            if self._directive(c.start, c.end) is not None:
                return True
        return False

    def run(self) -> list[ProposedTask]:
        """Return the proposed tasks of the text."""
        view, low = self.view, self.view.low
        protected = [(m.start, m.end) for m in self.mentions] + self._unit_list_semicolons()
        clauses = split_clauses(view, protected, self._second_addressee_commas())
        first = self._region_start(clauses)
        if _CONVENING.search(low, 0, 600) and _AGENDA.search(low) and not _LEAD_MARKERS.search(view.fold):
            return []  # a notice convening a meeting, not a conclusion
        if _REGULATION.match(low):
            return []  # the articles of a regulation describe how things are done; they assign nothing
        procedure_sentence = -1
        procedure_para = -1  # the paragraph of a procedure's lead-in ("Quy trình ... như sau:"), while its steps follow
        for c in clauses[max(0, first - 1):first]:
            if c.ends_leadin and _PROCEDURE.match(low, c.start, min(len(low), c.end + 2)):  # (the colon after it)
                procedure_para = c.para  # the lead-in just before the part that seems to assign: its steps follow
        past_sentence = report_sentence = False
        sentence_opening: dict[int, Clause] = {}
        for c in clauses:
            if not c.ends_leadin:  # "Kết luận như sau: UBND huyện đã chỉ đạo ...": the clause after the lead-in
                sentence_opening.setdefault(c.sentence, c)

        drafts: list[_Draft] = []
        ctx_lead: str | None = None
        ctx_collective: str | None = None
        ctx_known = False
        section_off = False  # inside "Mục tiêu", "Yêu cầu": aims, not tasks
        seen: set[str] = set()
        sentence = -1
        mode = "fresh"  # fresh | list | task | attach | none
        prev_in_task = False
        sentence_attach = False
        parts_of: _Draft | None = None  # the task whose parts ("..., gồm:") the next items list
        group_deadline: dict[int, tuple[date | None, bool]] = {}

        in_report = self._report_sections(clauses)
        leadin_para = -1  # the paragraph of the last lead-in ("... yêu cầu: A. B. C.")
        for index in range(first, len(clauses)):
            c = clauses[index]
            if c.ends_leadin:
                leadin_para = c.para
            if c.sentence != sentence:
                sentence = c.sentence
                if mode not in ("list",):
                    mode = "fresh"
                sentence_attach = False
                # "Theo đó, ngân sách trung ương đã tạm ứng ...; đồng thời đề nghị tỉnh ...": told in the past
                opening = sentence_opening.get(sentence, c)
                past_sentence = bool(_PAST.search(low, opening.start, opening.end)) \
                    and self._directive(opening.start, opening.end) is None \
                    and not any(not _NOUN_REFERENCE.match(low, sp.start())  # "Thực hiện chỉ đạo của ...": a reference
                                for sp in _SPEECH.finditer(low, opening.start, opening.end))
                done = _PAST_ASSIGNING.search(low, opening.start, opening.end)
                if done and _AT_DOCUMENT.match(low, done.end(), opening.end):
                    done = None  # "triển khai các nội dung UBND tỉnh đã chỉ đạo tại Công văn số ...": a reference
                if done and (self.news_past or self._urged_past(done.end())) \
                        and done.group().endswith(("giao", "chỉ đạo", "yêu cầu")) \
                        and _AUTHORITY.search(low, opening.start, done.start()) \
                        and not _SINCE.search(low, opening.end, opening.end + 300):
                    done = None  # the news of an assignment, in a text that gives none in the present
                # "UBND huyện đã chỉ đạo các xã ...; tập trung ...; chỉ đạo ...": the whole sentence tells what was done
                report_sentence = bool(done) and not _MEETING_SPEAKER.match(low, opening.start, done.start()) \
                    and self._directive(opening.start, done.start()) is None \
                    and not _GIVEN_BEFORE.search(low, opening.start, done.start())  # "yêu cầu ... các nhiệm vụ đã giao"
            a, b = c.start, c.end
            body = a
            cm = _CONNECTOR.match(low, body, b)
            if cm:
                body = cm.end()
            note = _FUNCTION_NOTE.match(low, body, b)
            if note and note.end() > body and low[note.end() - 1:note.end()] in (" ", ","):
                body = note.end()  # "Theo chức năng, nhiệm vụ được giao, chủ động triển khai ...": the work follows
            past = self._past_topic(body, b)
            body = self._modal_after_topic(body, b) if past == body else past
            text_low = low[body:b]

            no_effect = _NO_EFFECT.search(text_low)
            if no_effect and no_effect.group().startswith("chịu") and not no_effect.group().endswith("thi hành") and (
                    re.search(r"\svà\s", text_low[:no_effect.start()])
                    # "yêu cầu Thủ trưởng các cơ quan ... triển khai Đề án ..., chịu trách nhiệm trước Chủ tịch UBND tỉnh
                    # nếu để xảy ra sai phạm": the accountability after a comma, the instruction before it
                    or (no_effect.group().endswith("trước") and text_low[:no_effect.start()].rstrip().endswith(","))) \
                    and any(not _NOT_DIRECTIVE_BEFORE.search(text_low[max(0, d.start() - 14):d.start()])
                            for d in _DIRECTIVE.finditer(text_low, 0, no_effect.start())):
                no_effect = None  # "chỉ đạo siết chặt ... và UBND các quận, huyện chịu trách nhiệm trước ... nếu ...":
                # the accountability joined to an instruction, not the closing clause
            if _META.match(text_low) or no_effect:
                mode, prev_in_task = "none", False
                continue
            if _PROCEDURE.match(low, body, min(len(low), b + 2)):
                procedure_sentence = sentence
                if c.ends_leadin:
                    procedure_para = c.para  # "Quy trình ... như sau: Sở X tiếp nhận ...; Sở Y thẩm định ...": the steps
            elif procedure_para >= 0:
                # the steps under a procedure's lead-in, on its line or as items after it, until an explicit
                # assignment or a paragraph of another kind
                if (c.para == procedure_para or c.bullet or c.after_leadin) and not _ASSIGNS.search(text_low):
                    mode, prev_in_task = "none", False
                    continue
                procedure_para = -1
            if sentence == procedure_sentence or report_sentence:
                mode, prev_in_task = "none", False  # the steps of a procedure, described
                continue
            key = " ".join(view.fold[a:b].split())
            if key in seen and len(key) > 20:
                mode, prev_in_task = "none", False  # a lead or a caption printed twice
                continue
            seen.add(key)
            unit_heading = self._unit_heading(clauses, index)
            if unit_heading is not None:  # "2. Sở Tài chính" over its items: like "2. Sở Tài chính:"
                ctx_lead, ctx_collective, ctx_known = unit_heading.lead, unit_heading.collective, True
                mode, prev_in_task = "list", False
                continue
            letters = [ch for ch in view.text[a:b] if ch.isalpha()]
            short_heading = c.bullet and len(text_low.split()) <= 6 and not c.ends_leadin and not (
                prev_in_task and parts_of is not None and drafts and parts_of is drafts[-1])
            if (len(letters) >= 4 and sum(ch.isupper() for ch in letters) > 0.7 * len(letters)) or short_heading:
                if _SECTION_OFF.search(text_low):
                    section_off = True
                elif _SECTION_ON.search(text_low):
                    section_off = False
                if not short_heading or not self._directive(a, b):
                    mode, prev_in_task = "none", False
                    continue

            directive = self._directive(a, b)
            own_forces = False
            if directive is not None and low.startswith("chỉ", directive[0]):
                if directive[0] > body and self._subject(body, b) is not None:
                    directive = None  # "Công an tỉnh phối hợp với Sở GD&ĐT ... chỉ đạo công an các địa phương ..."
                elif directive[0] == body and drafts and drafts[-1].by_subject and (
                        drafts[-1].sentence == sentence if not c.first_in_sentence else (
                            drafts[-1].para == c.para and not directive[1].lead)):
                    directive = None  # "Công an tỉnh bố trí ...; chỉ đạo Công an các huyện ...": its own forces
                    own_forces = True  # (also in the next sentence: "... Chỉ đạo các đơn vị trực thuộc ...")
            if directive is not None and directive[0] > body and not (
                    directive[1].lead or directive[1].collective or directive[1].cooperating):
                topic = self._topic_subject(body, b)
                if topic is not None:  # "Riêng các bộ ..., Thủ tướng yêu cầu có báo cáo ...": the topic is addressed
                    directive = (directive[0], topic)
            if directive is None and _PREAMBLE.match(text_low):
                mode, prev_in_task = "none", False
                continue
            if self._headline(c, directive):
                mode, prev_in_task = "none", False
                continue
            if in_report[index] and not (directive and not low.startswith("chỉ", directive[0])):
                mode, prev_in_task = "none", False  # "1. Công tác chỉ đạo, điều hành": what was done
                continue
            subject = None if directive else (self._subject(body, b) or self._modal_subject(body, b)
                                              or self._topic_subject(body, b)
                                              # "Đồng thời, nhà thầu tập trung nhân lực ...": a group as subject
                                              or (self._bare_group(body, b) if cm is not None else None)
                                              # "Chủ tịch yêu cầu: UBND các xã ... . Cơ quan chuyên môn tham mưu
                                              # ...": a group as the subject of a sentence under a lead-in
                                              or (self._bare_group(body, b, strict=True)
                                                  if cm is None and c.first_in_sentence and drafts
                                                  and c.para == leadin_para else None)
                                              or self._assigned_group(body, b)
                                              or (self._named_instruction(body, b) if c.first_in_sentence else None))
            roles = directive[1] if directive else subject

            components = False
            if c.ends_leadin and roles is not None and _COMPONENTS.search(low, a, b) \
                    and _ACTION.match(low, _SUBJECT_GAP.match(low, _skip_spaces(low, roles.action_start, b), b).end(), b):
                # ("Sở Nội vụ làm chủ nhiệm đề án, phối hợp ... xây dựng các đề án nhánh, bao gồm: ...": past its role)
                components = True  # "yêu cầu các sở ... đánh giá ..., gồm:": the items are its parts, not tasks
            elif c.ends_leadin:
                if roles is None and drafts and c.first_in_sentence and drafts[-1].sentence == sentence - 1 \
                        and not drafts[-1].recalled and _TASKS_FOLLOW.match(low, a, b):
                    # "Đề nghị các cơ quan ... thực hiện nghiêm chỉ đạo của ... . Trong đó, tập trung vào một số nhiệm
                    # vụ trọng tâm: A. B.": the request is the lead-in of the tasks it announces, not one of them
                    roles = drafts.pop().roles
                if roles is None:
                    topic = _TOPIC.match(low, body, b)  # "Đối với Công an tỉnh: Tiếp tục ...; tăng cường ..."
                    heading, heading_end = self._addressees(topic.end() if topic else body, b)
                    if heading and not low[heading_end:b].strip(" ,.-–"):
                        roles = self._roles(heading, heading_end, b)  # "4. UBND thành phố X:" heads its items
                if roles:
                    ctx_lead, ctx_collective, ctx_known = roles.lead, roles.collective, True
                mode, prev_in_task = "list", False
                continue

            last = drafts[-1] if drafts else None
            bare = roles is not None and directive is not None and roles.lead is None and not roles.collective \
                and not roles.unknown and not roles.cooperating
            if last is not None and prev_in_task and not roles and cm is None and last.sentence == sentence \
                    and _REPORT_CONTENTS.search(low, last.title_start, last.main_end):
                last.end = b  # "báo cáo các nội dung chủ yếu về A; B; C": the report's contents, one task
                mode = "attach"
                continue
            if last is not None and prev_in_task and (_BEYOND.match(low, body, b) or (
                    not c.first_in_sentence and _CASE_THEN.match(low, body, b))) and (
                    roles is None or roles.lead in (None, last.roles.lead)) and not (roles and roles.collective):
                last.end = b
                mode = "attach"
                continue
            heed = _HEED.match(low, body, b) if cm is not None and c.first_in_sentence \
                and not re.match(r"trong đó", low[a:body]) else None
            if heed and not _ACTION.match(low, heed.end(), b):
                heed = None
            # "... khẩn trương kiểm tra ... Các địa phương này phải báo cáo Chủ tịch UBND tỉnh kết quả trước ngày 15.11.":
            # the same addressees, pointed back to, report on the work before: its report back and deadline
            if c.first_in_sentence and _QUOTED_SPEECH.match(low, a, b):
                continue  # "“Không để vì vướng ... ”, Chủ tịch UBND tỉnh nhấn mạnh.": the leader's words quoted, no work
            anaphor_report = (
                last is not None and prev_in_task and roles is not None and c.first_in_sentence
                and last.para == c.para and roles.lead is None and roles.collective is not None
                and _ANAPHOR_SUBJECT.search(roles.collective.lower()) is not None
                and _REPORT_BACK.match(low, _skip_modal(low, roles.action_start, b), b) is not None)
            if last is not None and prev_in_task and (not roles or bare or anaphor_report) and (
                anaphor_report or
                sentence_attach or (_FOLLOW_ON.match(text_low) and heed is None) or (parts_of is last and not _ACTION.match(text_low))
                or (not c.first_in_sentence and _GOAL.match(text_low))
                or (not c.first_in_sentence and _EVALUATION.match(text_low)
                    and _REVIEW.search(low, last.title_start, last.main_end))
                or (not c.first_in_sentence and _DOCREF.match(text_low))
                or (not c.first_in_sentence and _REPORT_BACK.match(text_low))
                or (not c.first_in_sentence and self._sent_back(body, b))
                or (not c.first_in_sentence and _COOP_REPORT_BACK.match(text_low))
                or (not c.first_in_sentence and low[:a].rstrip().endswith(";") and _PRECONDITION.match(text_low))
                or (not c.first_in_sentence and low[:a].rstrip().endswith(";") and _PROMPT_STEP.match(text_low)
                    and _OVERSIGHT.search(low, last.title_start, last.end))
                or (not c.first_in_sentence and _NOUN_REFERENCE.match(text_low))
                # "giao Ban Quản lý ... tiếp tục đầu tư hạ tầng và quản lý Khu công nghiệp Sao Mai ...; đồng thời tập
                # trung huy động các nguồn lực ..., khai thác có hiệu quả Khu Công nghiệp trên": the same work on the
                # same object, pointed back to, one task ("; đồng thời, tăng cường công tác truyền thông" is another)
                or (not c.first_in_sentence and low.startswith("đồng thời", a) and last.sentence == sentence
                    and last.roles.lead is not None and low[:a].rstrip().endswith(";")
                    and re.search(r"(?<!\w)(?:nói |nêu )?trên[\s.]*$", low[a:b]))
                # "... rà soát lại phương án. Đồng thời, báo cáo đề xuất UBND huyện ...": the report back of the
                # work before, in a sentence of its own; "Đặc biệt, cần ...": a detail of it
                or (c.first_in_sentence and last.para == c.para and (
                    ((cm is not None or text_low.startswith("kịp thời")) and _REPORT_BACK.match(text_low))
                    or _DETAIL_SENTENCE.match(text_low)
                    # "... phát triển hệ thống cây xanh. Trước mắt, tập trung trang trí hoa ...": its first step
                    or (_FIRST_STEP.match(low, a, b) is not None
                        and _ACTION.match(low, _FIRST_STEP.match(low, a, b).end(), b) is not None)))
            ):
                if text_low.startswith(("trong đó", "lưu ý", "trong quá trình")):
                    sentence_attach = True
                last.end = b
                found = find_deadline(view.fold[a:b], self.issued_on, self.add_working_days)
                if found is not None:
                    group_deadline.setdefault(last.group, (found.due, found.ongoing))
                # "...; đảm bảo vệ sinh, an toàn thực phẩm; trang trí, tạo cảnh quan ...": after a goal joined to the
                # item before, the list of items goes on
                mode = "task" if mode == "task" and not c.first_in_sentence and _GOAL.match(text_low) \
                    and low[:a].rstrip().endswith(";") else "attach"
                continue
            if _DOCREF.match(text_low) and not c.first_in_sentence:
                continue

            # praise before an assignment ("ghi nhận kết quả đạt được và giao Sở X ...") does not make it one
            if _EXHORTATION.search(low, directive[0] if directive is not None else body, b):
                if roles:
                    ctx_lead, ctx_collective, ctx_known = roles.lead, roles.collective, True
                mode, prev_in_task = "none", False
                continue

            if roles is not None:
                action = low[roles.action_start:b]
                if not action.strip(" ,:") and view.text[b:b + 1] == ":":
                    # "... yêu cầu các cơ quan, đơn vị: (1) ...; (2) ...": the addressee heads the items
                    ctx_lead, ctx_collective, ctx_known = roles.lead, roles.collective, True
                    mode, prev_in_task = "list", False
                    continue
                if _COMPETENCE.match(low, _skip_spaces(low, roles.action_start, b), b):
                    mode, prev_in_task = "none", False  # "... thực hiện quản lý nhà nước về ...": a competence
                    if view.text[b:b + 1] == ";":  # "..., thực hiện nghiêm túc trách nhiệm quản lý Nhà nước về
                        ctx_lead, ctx_collective, ctx_known = roles.lead, roles.collective, True  # ...; tăng
                        mode = "list"  # cường ...": the work after it is the units' task
                    continue
                duty = _COOP_DUTY.match(low, roles.action_start, b)
                if duty and drafts and roles.collective and not roles.lead:
                    # "UBND tỉnh cũng yêu cầu các sở, ngành liên quan, căn cứ chức năng ..., có trách nhiệm phối hợp
                    # chặt chẽ để hoàn thành các nội dung công việc; qua đó khẩn trương thực hiện và báo cáo kết quả
                    # về UBND tỉnh trước ngày 15/8/2017": the group cooperates in the task before; its deadline is that
                    # task's
                    before = drafts[-1]
                    if roles.collective not in before.roles.coop_collective:
                        before.roles.coop_collective.append(roles.collective)
                    stop = re.compile(r"\.(?:\s|$)|\n").search(view.text, b)
                    found = find_deadline(view.fold[b:stop.start() if stop else len(view.text)], self.issued_on,
                                          self.add_working_days)
                    if found and found.due and before.group not in group_deadline:
                        group_deadline[before.group] = (found.due, False)
                    mode, prev_in_task = "none", False
                    continue
                if self._only_cooperates(roles.action_start, b):
                    mode, prev_in_task = "none", False  # "Giao Sở X, Sở Y chủ động phối hợp với Công an tỉnh
                    continue  # triển khai thực hiện nhiệm vụ": their part in a task given before, no task of its own
                if drafts and (roles.cooperating or roles.coop_collective) and _DURING.fullmatch(
                        low, _skip_spaces(low, roles.action_start, b), b) and (
                        index + 1 == len(clauses) or clauses[index + 1].sentence != c.sentence):
                    mode, prev_in_task = "none", False  # "UBND huyện X phối hợp với Sở Y trong quá trình kiểm tra":
                    continue  # its part in the work given before
                if _BOILERPLATE.fullmatch(action) or (
                        drafts and _CLOSING.match(low, _skip_spaces(low, roles.action_start, b), b)):
                    mode, prev_in_task = "none", False
                    continue
                start = directive[0] if directive else (roles.subject_start or body)
                ctx_lead, ctx_collective, ctx_known = roles.lead, roles.collective, True
                self._more_cooperating(roles, roles.action_start, b)
                note = _FUNCTION_NOTE.match(low, roles.action_start, b)
                if note:
                    roles.action_start = note.end()
                verb = _ACTION.match(low, _skip_spaces(low, roles.action_start, b), b)
                drafts.append(_Draft(start, b, b, roles.action_start, verb.group() if verb else "", roles,
                                     group=len(drafts), sentence=sentence, para=c.para,
                                     recalled=bool(directive and ((_RECALL.search(low, body, directive[0])
                                                                   and _SINCE.search(low, b, b + 300)) or (
                                         past_sentence and not c.first_in_sentence
                                         and low.startswith("đồng thời", a))))))
                drafts[-1].by_subject = directive is None
                if directive and directive[0] > body:
                    ahead = find_deadline(view.fold[body:directive[0]], self.issued_on, self.add_working_days)
                    if ahead is not None and ahead.due is not None:
                        drafts[-1].deadline = ahead.due
                parts_of = drafts[-1] if components or _PARTS_INSIDE.search(low, roles.action_start, b) else None
                mode, prev_in_task = "task", True
                continue

            passive = _PASSIVE.match(low, body, b)
            if passive and _ACTION.match(low, passive.end(), b) and not section_off and not self.unanchored \
                    and mode in ("fresh", "list", "task", "attach") and (c.first_in_sentence or c.after_leadin):
                roles = _Roles(addressed=False, action_start=body)
                drafts.append(_Draft(body, b, b, body, "", roles, group=len(drafts), sentence=sentence,
                                     para=c.para))
                mode, prev_in_task = "task", True
                continue
            no_actor = _NO_ACTOR.match(low, body, b) or heed
            verb = _ACTION.match(low, no_actor.end() if no_actor else body, b)
            then = None if verb or not drafts else (_THEN.match(low, body, b) or _WHEN.match(low, body, b))
            then_group = None
            if then:  # "Những dự án giải ngân chậm thì tiếp tục điều chuyển": the condition, then the work
                verb = _ACTION.match(low, then.end(), b)
                if verb and re.search(r"(?<!\w)(?:đó|này)\s+(?:cũng\s+)?(?:phải|cần)\s+$", low[body:then.end()]):
                    # "cái nào thuộc thẩm quyền của các huyện, thị, thành phố thì địa phương đó cũng phải quan tâm":
                    # the group named in the condition does the work
                    then_group = next((m for m in reversed(self.mentions)
                                       if body <= m.start < then.end() and m.kind == "group"), None)
            if verb and _NOUN_USE.match(low, verb.end(), b):
                verb = None  # "Báo cáo của UBND huyện cho thấy ...": the word names a thing here
            if verb and not section_off and mode in ("fresh", "list", "task", "attach") and (
                    drafts or not self.unanchored):
                # Without a lead-in or an assigning verb anywhere, a sentence that starts with a verb describes
                # (a procedure, what is done); it is a task only after one addressed to a unit ("Sở X ...").
                inherited = _Roles(addressed=False, lead=ctx_lead, action_start=body, collective=ctx_collective)
                if not ctx_known:
                    inherited.lead = self.default_lead_unit
                if then_group is not None:
                    inherited.lead, inherited.collective = None, then_group.text
                group = len(drafts)
                if last is not None and (last.sentence == sentence or own_forces) and mode in ("task", "attach"):
                    inherited.cooperating = list(last.roles.cooperating)
                    inherited.coop_collective = list(last.roles.coop_collective)
                    inherited.unknown = []
                    group = last.group
                self._more_cooperating(inherited, body, b)
                drafts.append(_Draft(body, b, b, body, verb.group(), inherited, group=group, sentence=sentence,
                                     para=c.para))
                mode, prev_in_task = "task", True
                continue

            if last is not None and mode == "task" and last.sentence == sentence and last.verb and \
                    re.search(r"[,;]\s*trong đó(?:\s+(?:có|gồm|là))?\s", low[last.title_start:a]) and \
                    low[:a].rstrip().endswith(";") and not _ACTION.match(text_low):
                last.end = b  # "kiểm tra ..., trong đó có vị trí ...; sản lượng ...; hóa đơn ...": what the check
                continue  # covers, listed after ";", not items of the work
            if last is not None and mode == "task" and last.sentence == sentence and last.verb and \
                    _PROPAGANDA.match(last.verb) and _AUDIENCE_CONDUCT.match(text_low):
                last.end = b  # "tuyên truyền người dân không mua ...; các cơ sở kinh doanh không tham gia ...": what
                continue  # the public is told to do, after ";", is the propaganda's content, not another task
            if last is not None and mode == "task" and last.sentence == sentence and last.verb and \
                    len(text_low.split()) >= 2 and re.match(r"\w", text_low):
                inherited = _Roles(addressed=False, lead=last.roles.lead, cooperating=list(last.roles.cooperating),
                                   action_start=body, collective=last.roles.collective,
                                   coop_collective=list(last.roles.coop_collective))
                drafts.append(_Draft(body, b, b, body, last.verb, inherited, group=last.group, sentence=sentence,
                                     title_prefix=last.verb, para=c.para))
                mode, prev_in_task = "task", True
                continue

            if last is not None and mode in ("task", "attach") and last.sentence == sentence \
                    and not c.first_in_sentence and low[:a].rstrip().endswith(";"):
                prev_in_task = False  # "yêu cầu các ngành A; cần có thái độ ...; B; C": an item not read as work
                mode = "task"  # (an attitude, a wish) does not end the list: the items after it are tasks
                continue
            mode, prev_in_task = "none", False

        if any(not d.recalled for d in drafts):
            drafts = [d for d in drafts if not d.recalled]  # the background before today's instruction
        drafts = self._headings_with_their_paragraph(drafts, clauses)
        drafts = self._without_repeated_lead(drafts)
        self._share_leading_deadline(drafts, group_deadline)
        return [self._finish(d, group_deadline) for d in drafts]

    def _item_headings(self, clauses: list[Clause]) -> set[int]:
        """Return the paragraphs that head a numbered item: "1. Tăng cường phân cấp ...; giao quyền tự chủ ..."
        on a line of its own, without final punctuation, short, followed by a paragraph that is no item of its
        own. The heading names the work and the paragraph under it tells it: one task."""
        text, low = self.view.text, self.view.low
        by_para: dict[int, list[Clause]] = {}
        for c in clauses:
            by_para.setdefault(c.para, []).append(c)
        out: set[int] = set()
        for para, items in by_para.items():
            head, last = items[0], items[-1]
            body = by_para.get(para + 1)
            if not head.bullet or not body or body[0].bullet or last.ends_leadin:
                continue
            if not re.match(r"[ \t]*(?:\d{1,2}|[a-zđ])[.)][ \t]", text[text.rfind("\n", 0, head.start) + 1:head.start + 1]):
                continue  # a dash or a Roman numeral heads a list or a section, not one item
            line_end = text.find("\n", last.end)
            tail = text[last.end:len(text) if line_end < 0 else line_end]
            if tail.strip() or len(low[head.start:last.end].split()) > 30:
                continue  # ends with "." or ":", or too long for a heading
            letters = [ch for ch in text[head.start:last.end] if ch.isalpha()]
            if sum(ch.isupper() for ch in letters) > 0.7 * len(letters):
                continue  # a section's title in capitals
            out.add(para)
        return out

    def _headings_with_their_paragraph(self, drafts: list[_Draft], clauses: list[Clause]) -> list[_Draft]:
        """Join to the task of a numbered item's heading the later parts of the heading ("; giao quyền tự chủ
        ...") and the paragraph under it, when they address no unit of their own."""
        headings = self._item_headings(clauses)
        if not headings:
            return drafts
        out: list[_Draft] = []
        for d in drafts:
            head = out[-1] if out else None
            if head is not None and head.para in headings and d.para in (head.para, head.para + 1) \
                    and not d.roles.addressed and not d.by_subject:
                head.end = max(head.end, d.end)
                continue
            out.append(d)
        return out

    def _share_leading_deadline(self, drafts: list[_Draft], group_deadline: dict[int, tuple[date | None, bool]]) -> None:
        """A deadline written before the work in the first clause ("yêu cầu Sở X ... trong tháng 12/2011 trình
        ...; lập danh sách ...") is the deadline of the sentence's later items of that assignment too."""
        fold = self.view.fold
        for k, first in enumerate(drafts):
            if first.group in group_deadline or k + 1 >= len(drafts):
                continue
            later = drafts[k + 1]
            if later.group != first.group or later.sentence != first.sentence:
                continue
            found = find_deadline(fold[first.start:first.main_end], self.issued_on, self.add_working_days)
            if found is None or found.due is None:
                continue
            verb = _ACTION.search(self.view.low, first.start + found.end, first.main_end)
            if verb is not None and first.title_start <= first.start + found.start:
                group_deadline[first.group] = (found.due, False)

    def _without_repeated_lead(self, drafts: list[_Draft]) -> list[_Draft]:
        """Drop a news lead that sums up an instruction the body then gives in full (the same addressee, mostly
        the same words, in a later paragraph): it is one task, not two. A lead that announces a document ("...
        vừa ký công văn yêu cầu ...") is summed up by the next sentence too ("Theo đó, ...", or the same
        instruction again), in the same paragraph or not."""
        if len(drafts) < 2:
            return drafts
        first = drafts[0]
        if self.view.text[:first.start].rstrip().endswith(":"):
            return drafts  # the first item of a list ("... các nhiệm vụ sau:\nSở Công Thương: Theo dõi ..."), no lead
        words = _content_words(self.view.fold[first.title_start:first.main_end])
        low = self.view.low
        sentence_start = max(low.rfind(".", 0, first.start), low.rfind("\n", 0, first.start)) + 1
        announced = bool(_ANNOUNCED.search(low, sentence_start, first.start))
        if not announced and _DETAILS.match(low, sentence_start, first.start + 1):
            return drafts  # "Theo đó, giao các sở, ngành ...": the document's content, not a lead summing it up
        second = drafts[1]
        addressed_to_none = first.roles.lead is None and not (first.roles.cooperating or first.roles.unknown
                                                              or first.roles.coop_collective)
        if announced and (first.roles.collective or addressed_to_none) and second.sentence > first.sentence \
                and second.para <= first.para + 1 and not re.search(r"[.!?]\s", low[first.end:self._sentence_start(
                    second.start)].strip()) \
                and second.roles.lead is not None and not _DOCREF.search(low, first.title_start, first.main_end) \
                and _SPEAKER_OPENS.fullmatch(
                    low, self._sentence_start(second.start), second.start):
            # "UBND tỉnh vừa có công văn yêu cầu các đơn vị, địa phương ... . Chủ tịch UBND tỉnh yêu cầu Sở X
            # ...": the lead sums up, for everyone, what the body then gives to each unit (a lead that asks to carry
            # out a named document, "... thực hiện nghiêm Chỉ thị số 02/2020", is work of its own); so does a lead
            # that names no one ("UBND tỉnh vừa có công văn yêu cầu tăng cường phối hợp ... . UBND tỉnh giao Sở X ...")
            return drafts[1:]
        if announced and first.roles.collective and second.roles.collective and second.sentence > first.sentence \
                and second.para == first.para + 1 and first.roles.lead is None and second.roles.lead is None \
                and _addressees_key(first.roles.collective) == _addressees_key(second.roles.collective) \
                and second.roles.collective in self.view.text[self._sentence_start(second.start):second.main_end]:
            # "Chủ tịch UBND TP vừa ký ban hành Công điện số 14 yêu cầu giám đốc các sở, ... và chủ tịch UBND các
            # phường, xã chủ động ứng phó ... \n\n Chủ tịch yêu cầu giám đốc các sở, ..., chủ tịch UBND các phường, xã
            # tập trung theo dõi ...": the same addressees told the document's content right after its announcement
            return drafts[1:]
        for later in drafts[1:]:
            label = self._paragraph_label(first.start)
            if label and label == self._paragraph_label(later.start):
                continue  # "Ý kiến chỉ đạo của Bí thư Tỉnh ủy: ..." after each complaint: items of one form, no lead
            if announced and later.sentence > first.sentence and first.roles.lead is None \
                    and _DETAILS.match(low, self._sentence_start(later.start), later.start + 1):
                return drafts[1:]  # "... vừa gửi công văn, yêu cầu tăng cường ... Theo đó, giao Sở Y tế ..."
            same_para = later.para <= first.para
            if addressed_to_none and not first.roles.collective and later.para > first.para:
                # "Chủ tịch UBND tỉnh yêu cầu khẩn trương kiểm tra, làm rõ ... \n\n ... đã yêu cầu Chủ tịch UBND các
                # huyện A, B ... khẩn trương kiểm tra, làm rõ ...": a lead naming no one, told again in full to its
                # addressees in the body
                other = _content_words(self.view.fold[later.title_start:later.main_end])
                if min(len(words), len(other)) >= 6 and len(words & other) >= 0.7 * min(len(words), len(other)):
                    return drafts[1:]
            if same_para and later.sentence > first.sentence + 1 and later.roles.lead == first.roles.lead \
                    and later.roles.lead is not None:
                other = _content_words(self.view.fold[later.title_start:later.main_end])
                if min(len(words), len(other)) >= 6 and len(words & other) >= 0.7 * min(len(words), len(other)):
                    return drafts[1:]  # the lead's request told again, in full, further in the same paragraph
            if (same_para and not (announced and later.sentence > first.sentence)) \
                    or later.roles.lead != first.roles.lead \
                    or bool(later.roles.collective) != bool(first.roles.collective):
                continue
            other = _content_words(self.view.fold[later.title_start:later.main_end])
            if min(len(words), len(other)) >= 4 and len(words & other) >= 0.5 * min(len(words), len(other)):
                if len(other) < len(words) and self._headline_between(first.end, later.start):
                    # a tag page's or a digest's second item, under its own headline, repeating the first request
                    # in fewer words: the first, fuller one is the task
                    return [d for d in drafts if d is not later]
                return drafts[1:]
        return drafts

    def _headline_between(self, a: int, b: int) -> bool:
        """Say whether a headline line (a few words, no final punctuation, a line of its own) lies in [a, b)."""
        text = self.view.text
        start = text.find("\n", a, b)
        while start != -1:
            end = text.find("\n", start + 1, b)
            if end == -1:
                break
            line = text[start + 1:end].strip()
            if line and 3 <= len(line.split()) <= 30 and line[-1] not in ".:;!?,":
                return True
            start = end
        return False

    def _paragraph_label(self, pos: int) -> str:
        """Return the label that opens the line holding `pos` ("Ý kiến chỉ đạo của Bí thư Tỉnh ủy:"), or ""."""
        low = self.view.low
        start = low.rfind("\n", 0, pos) + 1
        colon = low.find(":", start, min(pos, start + 80))
        return low[start:colon].strip(" *-+•\t") if colon >= 0 else ""

    def _urged_past(self, pos: int) -> bool:
        """Whether the sentence after a past "đã yêu cầu/chỉ đạo/giao" at `pos` urges the work ("khẩn trương")."""
        low = self.view.low
        end = len(low)
        for stop in (". ", ".\n", "\n", ";"):
            at = low.find(stop, pos, end)
            if at >= 0:
                end = at
        return bool(_URGED_WORK.search(low, pos, min(end, pos + 300)))

    def _sentence_start(self, pos: int) -> int:
        """Return where the sentence holding `pos` starts (after the last full stop or line break)."""
        low = self.view.low
        start = max(low.rfind(". ", 0, pos), low.rfind("\n", 0, pos))
        return _skip_spaces(low, start + 1, pos) if start >= 0 else 0

    # --- output --------------------------------------------------------------

    def _past_roles(self, a: int, b: int) -> int:
        """Skip the role words an item opens with, so that its title starts at the work: "Có trách nhiệm ...",
        "Chủ trì, phối hợp với Sở Y rà soát ..." under a unit's heading (the roles are read elsewhere)."""
        low = self.view.low
        pos = _skip_spaces(low, a, b)
        duty = _DUTY_WORDS.match(low, pos, b)
        if duty and not re.match(r"thi hành|trước|về|với(?!\w)", low[duty.end():b]):
            pos = duty.end()
        lead = _ROLE_LEAD.match(low, pos, b)
        if lead:
            pos = lead.end()
        coop = _ROLE_COOP.match(low, pos, b)
        if coop:
            mentions, end = self._addressees(coop.end(), b)
            pos = end if mentions else a
        start, pos = _skip_spaces(low, a, b), _skip_spaces(low, pos, b)
        if pos == start or pos >= b or not _ACTION.match(low, pos, b):
            return a
        return pos

    def _finish(self, draft: _Draft, group_deadline: dict[int, tuple[date | None, bool]]) -> ProposedTask:
        """Turn a draft into a ProposedTask: deadline, title, offsets in the input."""
        view = self.view
        found = find_deadline(view.fold[draft.start:draft.end], self.issued_on, self.add_working_days)
        due, ongoing = (found.due, found.ongoing) if found else group_deadline.get(draft.group, (None, False))
        recurrence = find_recurrence(view.fold[draft.start:draft.end])
        if found and found.due is None and draft.group in group_deadline and group_deadline[draft.group][0]:
            due, ongoing = group_deadline[draft.group]
        if due is None and not ongoing and draft.deadline is not None:
            due = draft.deadline  # a period named before the assigning verb, in the same clause
        title_end = draft.main_end
        cut: tuple[int, int] | None = None
        if found and found.due is not None:
            f_start, f_end = draft.start + found.start, draft.start + found.end
            if draft.title_start <= f_start and f_end <= title_end:
                cut = (f_start, f_end)
        title_start = self._past_roles(draft.title_start, title_end) if not draft.title_prefix else draft.title_start
        title = _clean_title(view.text, title_start, title_end, cut, draft.title_prefix)
        if len(title.split()) < 2:
            title = _clean_title(view.text, draft.start, title_end, cut, "")
        start, end = view.orig_span(draft.start, draft.end)
        if recurrence:
            due = None  # a periodic task: each period has its own deadline
        return ProposedTask(
            title=title,
            lead_unit=draft.roles.lead,
            cooperating_units=list(draft.roles.cooperating),
            deadline=due,
            ongoing=bool((ongoing or recurrence) and (due is None or recurrence)),
            start=start,
            end=end,
            unknown_units=_unique(draft.roles.unknown),
            collective=" ".join(draft.roles.collective.split()) if draft.roles.collective else None,
            cooperating_collective=_unique(" ".join(c.split()) for c in draft.roles.coop_collective),
            recurrence=recurrence,
        )


_STOP_WORDS = frozenset("va cac cua cho de voi trong tren tai theo nhung da se duoc la co khong nay do".split())


def _addressees_key(collective: str) -> str:
    """Return an addressee phrase reduced to its words, without "và" ("A, B và C" and "A, B, C" are the same)."""
    return " ".join(w for w in re.findall(r"[^\W_]+", fold(collective).lower()) if w != "va")


def _content_words(folded: str) -> set[str]:
    """Return the words of a folded text that carry its content (not "và", "các", "của" ...)."""
    return {w for w in re.findall(r"[a-z0-9/\-]+", folded) if w not in _STOP_WORDS}


def _skip_modal(low: str, pos: int, limit: int) -> int:
    """Skip spaces and a modal ("phải", "cần") at `pos`."""
    pos = _skip_spaces(low, pos, limit)
    m = _MODAL.match(low, pos, limit)
    return m.end() if m else pos


def _skip_spaces(low: str, pos: int, limit: int) -> int:
    """Return the first position at or after `pos` that is not a space or comma."""
    while pos < limit and low[pos] in " \t,:":
        pos += 1
    return pos


def _unique(items) -> list[str]:
    """Return the items without repeats, in their first order."""
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


def _clean_title(text: str, a: int, b: int, cut: tuple[int, int] | None, prefix: str) -> str:
    """Return a task title: the clause without its deadline phrase, notes and end punctuation, capitalised."""
    if cut:
        body = text[a:cut[0]] + text[cut[1]:b]
    else:
        body = text[a:b]
    body = _PAREN_NOTE.sub("", body)
    body = re.sub(r"\s+", " ", body).strip(" \t,;:.…/-–")
    body = re.sub(r"^\((?:\d{1,2}|[a-zđ])\)\s*", "", body)  # "(1) Tập trung ..."
    body = re.sub(r"\s+([,;.])", r"\1", body)
    body = re.sub(r"[,;]\s*$", "", body).strip()
    if cut:
        body = re.sub(r"[,;]?\s*(?:hoàn thành|xong|hoàn tất)$", "", body).strip()  # "…, hoàn thành <deadline>"
    if not prefix:
        body = re.sub(r"^(?:cần phải|cần|phải)\s+", "", body, flags=re.IGNORECASE) or body  # "Cần xây dựng ..."
    if prefix:
        head = prefix[:1].upper() + prefix[1:]
        rest = body[:1].lower() + body[1:] if body[:2] != body[:2].upper() else body
        body = f"{head} {rest}"
    return body[:1].upper() + body[1:]


def extract(
    text: str,
    units: Sequence[UnitRef],
    issued_on: date | None = None,
    add_working_days: Callable[[date, int], date] | None = None,
    default_lead_unit: str | None = None,
) -> list[ProposedTask]:
    """Propose the tasks of a conclusion notice's text.

    `units` is the unit registry; `issued_on` the directive's date (for years
    left out and relative deadlines); `add_working_days(d, n)` the working-day
    calendar (without it, "N ngày làm việc" counts calendar days);
    `default_lead_unit` the lead of tasks whose text names no unit at all.
    Raises ExtractError for an empty text or one over 1,000,000 characters.
    """
    if text is None or not text.strip():
        raise ExtractError("The text is empty: paste or upload the text of the conclusion notice.")
    if len(text) > MAX_TEXT_CHARS:
        raise ExtractError(
            f"The text is too long ({len(text):,} characters); the limit is {MAX_TEXT_CHARS:,}. "
            "Paste only the conclusion notice."
        )
    found = _Extractor(text, units, issued_on, add_working_days, default_lead_unit).run()
    if not found and (_PAST_GIVEN.search(text.lower()) or _PAST_ORDERED.search(text.lower())):
        # Nothing assigned in the present: a news item may tell a fresh assignment in the past tense ("Mới đây,
        # UBND TP đã giao Sở X ...", "Thủ tướng đã giao cho Bộ Y tế chủ trì, thành lập ngay ..."), read it so.
        again = _Extractor(text, units, issued_on, add_working_days, default_lead_unit)
        again.news_past = True
        found = again.run()
    return found
