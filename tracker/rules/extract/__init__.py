"""From the text of a conclusion notice (thông báo kết luận) to proposed tasks.

`extract(text, units, issued_on)` reads a notice the way a secretary does and
returns the tasks it assigns, each with its place in the text (`start`,
`end`), a title, the lead and cooperating units (codes of the registry
`units`), the deadline or "ongoing", and the unit-like names it could not
find in the registry (`unknown_units`, shown to the user, never dropped).
Nothing is saved: the user confirms, edits, merges or drops the proposals.

The rules, in order (plain rules and the registry, no NLP package):

1. **The conclusion part.** It starts at the first lead-in marker ("kết luận
   như sau:", "Kết luận cuộc họp,", "có ý kiến chỉ đạo:", "có ý kiến như
   sau:"), else at the first clause that assigns work to a unit ("giao /
   đề nghị / yêu cầu / chỉ đạo <unit>"). The report before it (what was
   done, figures, the meeting's attendance) gives no task.
2. **Clauses.** The text is cut at paragraphs, numbered items and bullets
   (1., 2., a), -, +, •), sentences, semicolons and lead-in colons
   ("cụ thể:"), never inside a unit's name, a date, an abbreviation ("TP.",
   "TT&TT", "v.v."), a parenthesis or a quoted title (see `_segment`). A
   full stop with no space after it still ends a sentence between words
   ("xăng dầu.Theo đó, ..."), never in "Tp.HCM" or "Q.Bình Thạnh".
3. **Which clauses are tasks.** A clause is a task when it assigns work to a
   unit ("giao Sở X chủ trì, phối hợp với Sở Y và Sở Z ...", "Sở X khẩn
   trương ...") or, inside the conclusion, starts with an action verb
   ("Hoàn thiện đề án ...", "Tăng cường công tác kiểm tra ..."). In a list
   sharing one verb ("Triển khai kế hoạch A; Kế hoạch B; các giải pháp C"),
   each item is a task and the later items' titles get the verb ("Triển khai
   kế hoạch B"). Not tasks: exhortations and praise ("tiếp tục đoàn kết,
   phát huy những kết quả đã đạt được", "ghi nhận và đánh giá cao"), lead-ins
   ending in a colon, the report and assessment before or inside the
   conclusion ("Đơn vị đã ...; hoàn thành ..."), "triển khai thực hiện"
   with nothing to do, entry-into-force formulas and page furniture.
   Clauses that only add a deadline, the report of the result, a condition,
   a reference to another document ("; Văn bản số ...") or details ("Trong
   đó, lưu ý ...") extend the previous task instead of making a new one; so
   do the parts listed after "gồm:" or "như:".
   A numbered item's heading on a line of its own without final
   punctuation ("1. Tăng cường phân cấp ...; giao quyền tự chủ ...") and
   the paragraph under it are one task; after ";" the evaluation of a
   review ("tổng kết ...; đánh giá, phát huy ..., làm rõ nguyên nhân ...")
   and a goal ("; để ...", "; bảo đảm ...") continue the task before; so
   does a report back ("; báo cáo ngay khi ...", "; tổng hợp, báo cáo ...",
   "; giải quyết theo thẩm quyền và báo cáo kết quả ...") or a case it handles
   ("; những vấn đề thuộc thẩm quyền của cấp huyện thì có văn bản đề nghị ...")
   or the work handed on
   ("; cung cấp cho Cổng thông tin ... để đăng tải"), or a report back or
   detail in a sentence of its own ("Đồng thời, báo cáo đề xuất ...", "Kịp
   thời báo cáo ...", "Đặc biệt, cần ..."). The text's last line that sets a unit
   to work is a line cut off, not a headline. Work followed by "và phải chịu
   trách nhiệm trước ..." stays a task; that accountability alone is none.
   Also not tasks: an item that only has units cooperate with the lead of
   the task before ("Giao Sở X, Sở Y chủ động phối hợp với Công an tỉnh
   triển khai thực hiện nhiệm vụ"); a thing handed over ("lập danh sách các
   bãi đỗ xe giao cho các quận, huyện quản lý"); aims under "Phương hướng
   chung". A report's contents listed after "báo cáo các nội dung ..." ("A;
   B; C") are one task; "; đặc biệt là ...", "Qua đó, ...", "Nhằm ...",
   "Đáp ứng ..." stay with their task.
   Also not tasks (issue 19): a request quoted from voters or businesses, or
   made to the public; an earlier assignment recalled ("Tại Thông báo số
   ..., UBND tỉnh giao ..." followed by "Đến nay ...") or a request told in
   the past ("... đã tạm ứng ...; đồng thời đề nghị ...") - though a text that
   assigns nothing in the present is read again as the news of an assignment
   ("Mới đây, UBND TP đã giao Sở X ..."); what a report
   says was ordered ("UBND huyện đã chỉ đạo ...", a "Công tác chỉ đạo, điều
   hành" heading) - though a meeting's news telling the leader's conclusion
   ("Sau khi nghe ..., Chủ tịch đã chỉ đạo ...") is one; a notice convening a
   meeting (with "Thành phần:", "Địa điểm:"); a procedure's steps ("Quy
   trình: ..."); a regulation pasted alone; a competence ("thực hiện quản lý
   nhà nước về ...", "thực hiện nghiêm túc trách nhiệm quản lý Nhà nước về ...";
   the work after it stays the units' task); a unit's proposal to the committee ("Sở X đề nghị UBND
   tỉnh chỉ đạo UBND các huyện ..."), the "chỉ đạo" inside it included; nouns
   that look like verbs ("sự chỉ đạo", "giao thông", "giao dịch"); photo
   captions; a news lead the body repeats (but a digest's second item, under a
   headline of its own, repeating the first in fewer words is the one left
   out), or one announcing a letter to
   collectives whose details follow ("Theo đó, ...") or whose tasks the chairman then gives unit by unit
   ("Chủ tịch UBND tỉnh yêu cầu Sở X ...", unless the lead asks to carry out a named document), or told again in full
   further in the same paragraph; the first item of a list ("... sau:\n Sở X:
   Theo dõi ...") is never such a lead; a proposal upward to
   assign ("Sở X đề xuất UBND TP giao UBND cấp xã ..."), neither the
   committee's task nor the unit's; the province's committee asking a ministry
   ("UBND TPHCM đề nghị Bộ Y tế hỗ trợ, chỉ đạo ...") or national bodies; a reference ("; chỉ đạo của Thủ tướng
   tại Chỉ thị số ..."); the closing "Đề nghị đơn vị quan tâm thực hiện"; in a
   text with no lead-in and no assigning verb, sentences that start with a
   verb.
4. **Units.** Registry names, short names and aliases, accent and case
   tolerant; group phrases and "Sở: A, B" lists (see `_units`). The first
   unit addressed is the lead; others addressed with it and those after
   "phối hợp (với)" are cooperating. A sector stands for its department
   ("Ngành y tế" is Sở Y tế, "ngành giáo dục" Sở Giáo dục và Đào tạo); a local
   committee the registry does not hold ("UBND huyện Phú Lộc") is still
   addressed, as an unknown unit; and a
   dash may stand for "và" ("Sở Kế hoạch - Đầu tư"). A task addressed to a collective ("UBND các huyện, thị xã, thành phố",
   "các sở, ban, ngành", "Thủ trưởng các cơ quan, đơn vị liên quan", a letter's
   "Quý Cơ quan", "Quý Ủy ban", "Quý đơn vị", bodies named by their role
   without "các": "cơ quan chức năng", "đơn vị liên quan") has no
   lead: `lead_unit` is None and `collective` holds the phrase as written; a
   collective cooperating phrase goes to `cooperating_collective`. Neither is
   ever expanded into the registry's units (the review page lets the user do
   it). A collective may name its members ("UBND các tỉnh Thanh Hóa, Nghệ An",
   "các bộ Công an, Quốc phòng"), be pointed back to ("Những địa phương này
   phải ...") or qualified ("UBND các tỉnh ven biển", "Ban chỉ huy PCTT và
   TKCN các huyện"); it stays one phrase. An official may be the subject
   ("2. Thống đốc Ngân hàng Nhà nước căn cứ ... xác định, phê duyệt ...",
   "Giám đốc Sở X ...", "giao đồng chí Nguyễn Văn A, Giám đốc Sở X ...", where
   the person's name is read past like a title): the unit is the lead ("Chỉ đạo <its forces> ..." in
   the next sentence is still its task), and such numbered points start
   the conclusion; so does a unit named as the subject before the first
   assigning verb when one follows ("Theo đó, trong thời gian ..., Công an tỉnh
   bố trí ...; chỉ đạo ..."). "Việc <work>, ..., cần phải được <verb>" is a
   passive instruction. An attribution before the subject ("Theo chỉ đạo của Thủ
   tướng, <units> ...") and an addressee put first with "Riêng" ("Riêng
   <units>, Thủ tướng yêu cầu ...") are read past, so is the coming period
   between commas ("chỉ đạo, trong thời gian tới, các chủ đầu tư ..."). A
   cable or letter sent to its addressees who are then to act ("có công
   điện gửi UBND các tỉnh ... quan tâm chỉ đạo ...") assigns them work; one
   sent "về việc ..." only names its subject, and one "gửi <addressees> yêu
   cầu <verb>" keeps its addressees, named or not. A force or a group
   addressed with no unit word ("yêu cầu lực lượng công an (toàn tỉnh,) ...",
   "nhà thầu các gói thầu đang chậm tiến độ ...", "Đồng thời, nhà thầu tập
   trung ...") is a collective read up to its verb, unless it is only the
   topic ("nhà thầu không đảm bảo tiến độ, cần ..."). "UBND huyện A, B" shares
   its head: B is a second addressee. "<unit> là lực lượng nòng cốt, chủ trì
   ..." gives the unit the work; "yêu cầu ... được đặt lên hàng đầu" is a
   noun. A group listed by its sectors then assigned in the passive ("Các
   lực lượng quân sự, y tế... được giao nhiệm vụ phối hợp ...") is the
   collective of that task. A semicolon between the objects of one "chỉ đạo / giao" (an official
   with two titles who directs two bodies) does not split the task. An instruction naming no unit ("đề nghị tăng cường ...", "Cần ...", "yêu
   cầu trong thời gian tới phải đẩy nhanh ...") is
   proposed with no lead (so is one after a topic that names no unit, "Đối với đề án ..., tiếp tục đôn đốc
   ...", or after "Khi ... cần <verb>", or "Đồng thời, lưu ý <verb> ..." in a sentence of its own; "Trong
   đó, lưu ý ..." stays a detail); another unit doing its own work after a comma ("Phòng X thẩm định về
   nội dung, phòng Y thẩm định kinh phí") is a second task, and "Cơ quan chuyên môn <verb>" under a
   leader's "yêu cầu:" a group's; "UBND thành phố và các huyện" is one collective, and "tổ chức" after
   a group's last noun is the verb ("UBND các huyện, thành phố tổ chức ..."); a deadline before the unit ("yêu cầu đến 30/5/2016
   Sở Nội vụ phải có ...", "chậm nhất giữa tháng 7 tới, UBND TP ... phải ...") is read past; so is a preamble before "<units>
   cần|phải <verb>" ("..., vì vậy các ngành cần ..."), and an addressee put
   first ("Đối với <units>, chỉ đạo ..."). A passive instruction in the
   conclusion ("... sẽ được rà soát") has no lead; a second addressee after
   ", đồng thời" starts a task of its own. When a clause names no unit, it keeps the unit last
   addressed in the conclusion: "đề nghị Sở X ... cụ thể: A. B; C ..." gives
   every task to Sở X (and the cooperating units carry over within a
   sentence). When nothing names a unit, `default_lead_unit` is the lead.
   The cooperating units never include the lead.
5. **Deadlines.** See `_deadlines`: a date, the last day of a month,
   quarter, half-year or year, a relative delay from `issued_on`
   (`add_working_days` for "ngày làm việc"), or ongoing for "thường xuyên",
   "định kỳ", "hằng năm"; `recurrence` where the text repeats the work
   ("hằng tháng", "trước ngày 20 hằng tháng", "hằng quý", "6 tháng, năm",
   "hằng năm"), with no single deadline. A month followed by "và các tháng tiếp theo" is
   no deadline. A deadline written before the work
   in an assignment's first clause ("... trong tháng 12/2011 trình ...;
   lập ...") covers its later items. A deadline written after a task, in its own
   sentence ("Thời gian hoàn thành trước ngày ..."), applies to every task of
   that assignment that has none; so does a sentence about the work done
   ("Các nội dung thực hiện báo cáo UBND TP trước 20/2/2019"). An instruction
   about tasks assigned before ("yêu cầu ... triển khai các nhiệm vụ UBND
   tỉnh đã giao") is today's instruction, not a report of what was done.
6. **Titles.** The work itself: the task's first clause without the
   "giao Sở X chủ trì, phối hợp với ..." part (the units have their own
   fields), without the deadline phrase (it has its own field), without
   notes such as "(Sao gửi kèm theo)", leading numbering or trailing
   punctuation, with a capital first letter. The span (`start`, `end`) still
   covers the whole text of the task, units and deadline included.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._core import ProposedTask, extract
    from ._units import KINDS, UnitRef

__all__ = ["KINDS", "MAX_TEXT_CHARS", "ExtractError", "ProposedTask", "UnitRef", "extract"]

MAX_TEXT_CHARS = 1_000_000


class ExtractError(ValueError):
    """The text cannot be read for tasks; the message is fit to show to the user."""


# The rules load on first use: their patterns and tables (~4 MB) stay out of the web workers that never
# read a conclusion; `fold` (tracker.rules.units) and `find_deadline` (tracker.rules.imports) load alone.
_LAZY = {"extract": "_core", "ProposedTask": "_core", "KINDS": "_units", "UnitRef": "_units"}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
    globals()[name] = value
    return value
