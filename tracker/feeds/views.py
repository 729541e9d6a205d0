"""GET /calendar/<secret>.ics: an iCalendar file with one all-day event per task deadline."""
from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from flask import abort, current_app

from tracker.feeds import bp
from tracker.services.feeds import feed_tasks, find_feed
from tracker.timeutil import utcnow
from tracker.urls import external_url

if TYPE_CHECKING:
    from icalendar import Calendar

# Calendar apps show these words as they are: the feed speaks Vietnamese, the language of the tasks.
STATE_TEXT = {"open": "Đang thực hiện", "submitted": "Đã báo cáo hoàn thành, chờ xác nhận"}
PRIORITY_TEXT = {"normal": "Bình thường", "high": "Cao", "urgent": "Khẩn"}


def task_url(task_id: int) -> str:
    """Where an event links to: the task's page."""
    return external_url("tasks.show", task_id=task_id)


def build_calendar(feed) -> Calendar:
    owner = feed.user
    from icalendar import Calendar, Event  # ~80 modules a worker loads only when a feed is asked for

    cal = Calendar()
    cal.add("prodid", "-//Tracker//Theo dõi nhiệm vụ//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    who = owner.full_name if feed.scope == "mine" else owner.unit.name
    cal.add("x-wr-calname", f"Hạn nhiệm vụ – {who}")
    cal.add("x-wr-timezone", current_app.config.get("TIMEZONE", "Asia/Ho_Chi_Minh"))
    stamp = utcnow()
    for task in feed_tasks(feed):
        url = task_url(task.id)
        event = Event()
        event.add("uid", f"task-{task.id}-deadline@tracker")
        event.add("dtstamp", stamp)
        event.add("dtstart", task.deadline)  # a date: an all-day event
        if task.deadline < date.max:  # a date typed or imported as the last of all has no day after it
            event.add("dtend", task.deadline + timedelta(days=1))
        event.add("summary", f"Hạn: {task.title}")
        lines = [
            f"Văn bản: {task.directive.number}",
            f"Đơn vị chủ trì: {task.lead_unit.name}",
            f"Người thực hiện: {task.assignee.full_name if task.assignee else 'Lãnh đạo đơn vị chủ trì'}",
            f"Tiến độ: {task.progress}%",
            f"Tình trạng: {STATE_TEXT.get(task.state, task.state)}",
            f"Mức độ ưu tiên: {PRIORITY_TEXT.get(task.priority, task.priority)}",
            url,
        ]
        event.add("description", "\n".join(lines))
        event.add("url", url)
        event.add("categories", ["Nhiệm vụ"])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal


def calendar(secret: str):
    feed = find_feed(secret)
    if feed is None:
        abort(404)
    response = current_app.response_class(build_calendar(feed).to_ical(), mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'inline; filename="tracker.ics"'
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


calendar.public = True  # authenticated by the secret in the URL (tracker.security honours this)
bp.add_url_rule("/calendar/<secret>.ics", view_func=calendar)
