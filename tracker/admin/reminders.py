"""Admin pages for reminders: the working-day calendar, the rules, the outbox."""
from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import BooleanField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from tracker import params
from tracker.admin import bp
from tracker.database import db
from tracker.forms import DateField, Form, choices, form_id
from tracker.models import CalendarDay, OutboxMessage, ReminderSettings, load_calendar
from tracker.services import audit
from tracker.services.outbox import retry_failed
from tracker.services.planner import get_settings
from tracker.timeutil import today

WEEKDAYS = [(0, _l("Monday")), (1, _l("Tuesday")), (2, _l("Wednesday")), (3, _l("Thursday")), (4, _l("Friday")),
            (5, _l("Saturday")), (6, _l("Sunday"))]


class CalendarDayForm(Form):
    day = DateField(_l("Date"), validators=[DataRequired(_l("Enter a valid date."))])
    kind = SelectField(_l("Kind"), choices=choices([("off", _l("Extra day off")),
                                                    ("work", _l("Make-up working day"))]))
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Add"))


class SettingsForm(Form):
    before_days = StringField(_l("Working days before the deadline (comma-separated)"),
                              validators=[InputRequired(), Length(max=40)])
    on_day = BooleanField(_l("Remind on the deadline day"))
    overdue_first = IntegerField(_l("First overdue reminder (working days after the deadline)"),
                                 validators=[InputRequired(), NumberRange(1, 60)])
    overdue_every = IntegerField(_l("Repeat overdue reminders every (working days)"),
                                 validators=[InputRequired(), NumberRange(1, 60)])
    escalate_after = IntegerField(_l("Escalate to the issuer after (working days)"),
                                  validators=[InputRequired(), NumberRange(1, 120)])
    send_hour = IntegerField(_l("Send reminders from (hour)"), validators=[InputRequired(), NumberRange(0, 23)])
    digest_weekday = SelectField(_l("Weekly digest day"), coerce=form_id, choices=choices(WEEKDAYS))
    digest_hour = IntegerField(_l("Digest hour"), validators=[InputRequired(), NumberRange(0, 23)])
    digest_minute = IntegerField(_l("Digest minute"), validators=[InputRequired(), NumberRange(0, 59)])
    email_enabled = BooleanField(_l("Send e-mails"))
    inapp_enabled = BooleanField(_l("Show in-app notifications"))
    submit = SubmitField(_l("Save"))


@bp.route("/calendar", methods=["GET", "POST"])
def calendar():
    year = (params.whole(request.args.get("year"), params.MIN_YEAR, params.MAX_YEAR) or today().year)
    form = CalendarDayForm()
    if form.validate_on_submit():
        if db.session.get(CalendarDay, form.day.data):
            form.day.errors.append(_("This date is already in the list."))
        elif form.kind.data == "work" and form.day.data.weekday() < 5 and load_calendar().is_working_day(form.day.data):
            form.day.errors.append(_("This date is already a working day."))
        else:
            db.session.add(CalendarDay(day=form.day.data, kind=form.kind.data, name=form.name.data or ""))
            audit.record("calendar.add", actor=current_user, object_type="calendar_day", summary=f"{form.day.data} {form.kind.data}",
                         changes={"day": form.day.data, "kind": form.kind.data, "name": form.name.data})
            db.session.commit()
            flash(_("The calendar has been updated."), "success")
            return redirect(url_for("admin.calendar", year=form.day.data.year))
    cal = load_calendar()
    holidays = sorted(cal.public_holidays(year).items())
    days = db.session.scalars(select(CalendarDay).where(CalendarDay.day >= date(year, 1, 1),
                                                        CalendarDay.day <= date(year, 12, 31))
                              .order_by(CalendarDay.day)).all()
    first = date(year, 1, 1).toordinal()
    working = sum(cal.is_working_day(date.fromordinal(n)) for n in range(first, date(year, 12, 31).toordinal() + 1))
    return render_template("admin/calendar.html", form=form, year=year, holidays=holidays, days=days,
                           working=working)


@bp.route("/calendar/<day>/delete", methods=["POST"])
def calendar_delete(day: str):
    try:
        item = db.session.get(CalendarDay, date.fromisoformat(day))
    except ValueError:
        item = None
    if item is not None:
        audit.record("calendar.remove", actor=current_user, object_type="calendar_day", summary=f"{item.day} {item.kind}")
        db.session.delete(item)
        db.session.commit()
        flash(_("The calendar has been updated."), "success")
    return redirect(url_for("admin.calendar", year=item.day.year if item else today().year))


@bp.route("/reminders", methods=["GET", "POST"])
def reminder_settings():
    settings = get_settings()
    form = SettingsForm(obj=settings)
    if request.method == "GET":
        form.before_days.data = ", ".join(str(n) for n in settings.before_days or [])
    if form.validate_on_submit():
        try:
            before = sorted({int(x) for x in form.before_days.data.replace(";", ",").split(",") if x.strip()},
                            reverse=True)
            if any(n < 1 or n > 60 for n in before):
                raise ValueError
        except ValueError:
            form.before_days.errors.append(_("Give whole numbers of working days from 1 to 60, e.g. 7, 3, 1."))
        else:
            if db.session.get(ReminderSettings, 1) is None:
                db.session.add(settings)
            old = {"before_days": settings.before_days, "overdue_every": settings.overdue_every,
                   "escalate_after": settings.escalate_after}
            form.populate_obj(settings)
            settings.before_days = before
            audit.record("reminders.settings", actor=current_user, object_type="reminder_settings", object_id=1,
                         changes={k: [v, getattr(settings, k)] for k, v in old.items() if v != getattr(settings, k)})
            db.session.commit()
            flash(_("The reminder rules have been saved."), "success")
            return redirect(url_for("admin.reminder_settings"))
    return render_template("admin/reminder_settings.html", form=form)


@bp.route("/outbox")
def outbox():
    state = request.args.get("state", "")
    stmt = select(OutboxMessage)
    if state:
        stmt = stmt.where(OutboxMessage.state == state)
    stmt = stmt.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    page = db.paginate(stmt, page=params.whole(request.args.get("page"), 1, params.MAX_PAGE) or 1, per_page=50, error_out=False)
    counts = dict(db.session.execute(select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)).all())
    return render_template("admin/outbox.html", page=page, state=state, counts=counts)


@bp.route("/outbox/retry", methods=["POST"])
def outbox_retry():
    count = retry_failed()
    audit.record("outbox.retry", actor=current_user, object_type="outbox_message", summary=f"{count} failed messages queued again")
    db.session.commit()
    flash(_("%(n)d failed messages will be sent again.", n=count), "success")
    return redirect(url_for("admin.outbox"))
