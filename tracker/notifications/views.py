"""The notifications page: newest first, mark one or all as read."""
from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from tracker import params
from tracker.database import db
from tracker.mail import AppMailer
from tracker.models import Notification
from tracker.notifications import bp
from tracker.rules import reach
from tracker.services import audit
from tracker.services.planner import last_manual_reminder
from tracker.services.planner import remind_now as queue_reminder
from tracker.timeutil import today, utcnow
from tracker.views_util import bell_count, load_task


@bp.app_context_processor
def inject_unread():
    """The bell's count (views_util.bell_count: once per request)."""
    if current_user and getattr(current_user, "is_authenticated", False):
        return {"unread_notifications": bell_count(current_user)}
    return {"unread_notifications": 0}


@bp.route("/notifications")
def index():
    only_unread = request.args.get("unread") == "1"
    stmt = select(Notification).where(Notification.user_id == current_user.id)
    if only_unread:
        stmt = stmt.where(Notification.read_at.is_(None))
    stmt = stmt.options(joinedload(Notification.task)).order_by(Notification.created_at.desc(),
                                                                 Notification.id.desc())
    page = db.paginate(stmt, page=params.whole(request.args.get("page"), 1, params.MAX_PAGE) or 1, per_page=30, error_out=False)
    return render_template("notifications/index.html", page=page, only_unread=only_unread)


@bp.route("/notifications/<int:notification_id>/open", methods=["POST"])
def open_one(notification_id: int):
    """Mark a notification read and go to its task."""
    item = db.session.get(Notification, notification_id)
    if item is None or item.user_id != current_user.id:
        abort(404)
    if item.read_at is None:
        item.read_at = utcnow()
        db.session.commit()
    if item.task_id:
        return redirect(url_for("tasks.show", task_id=item.task_id))
    if item.directive_id:  # several tasks of one directive: the reader's tasks in it
        return redirect(url_for("tasks.index", directive=item.directive_id))
    return redirect(url_for("notifications.index"))


@bp.route("/notifications/read-all", methods=["POST"])
def read_all():
    db.session.execute(update(Notification).where(Notification.user_id == current_user.id,
                                                  Notification.read_at.is_(None)).values(read_at=utcnow()))
    db.session.commit()
    return redirect(url_for("notifications.index"))


@bp.route("/tasks/<int:task_id>/remind", methods=["POST"])
def remind_now(task_id: int):
    """"Remind now": the issuer or a secretary nudges the people answering for a task (once an hour)."""
    task = load_task(task_id, for_update=True)
    if not reach.can_remind(current_user, task):
        abort(403)
    if task.is_closed:
        flash(_("This task is closed."), "error")
        return redirect(url_for("tasks.show", task_id=task.id))
    last = last_manual_reminder(task)
    if last is not None and utcnow() - last < timedelta(hours=1):
        flash(_("A reminder was already sent for this task less than an hour ago."), "error")
        return redirect(url_for("tasks.show", task_id=task.id))
    count = queue_reminder(current_user._get_current_object(), task, today(), AppMailer())
    audit.record("task.remind", actor=current_user, obj=task, summary=task.title[:200], changes={"recipients": count})
    db.session.commit()
    flash(_("A reminder has been sent to %(n)d people.", n=count), "success")
    return redirect(url_for("tasks.show", task_id=task.id))
