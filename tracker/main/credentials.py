"""The profile page's "API tokens" and "Calendar feeds" section: create (shown once), list, revoke.

A signed-in user manages only their own tokens and feeds. A new token or
feed URL is shown in the response to the POST that made it and never again
(only its hash is stored), so these views render the profile page instead
of redirecting, and never put the secret in a flash message or the session.
"""
from __future__ import annotations

from flask import abort, flash, g, has_request_context, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from tracker.database import db
from tracker.forms import Form, choices
from tracker.main import bp
from tracker.main.forms import ProfileForm
from tracker.models import ApiToken, CalendarFeed
from tracker.services.feeds import can_have_scope, create_feed, revoke_feed
from tracker.services.tokens import create_token, revoke_token
from tracker.urls import external_url

SECTION_ENDPOINTS = ("main.profile", "main.create_token_view", "main.create_feed_view")


class TokenForm(Form):
    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=100)],
                       description=_l("What the token is for, e.g. \"LGSP data hub\" or \"weekly report script\"."))


SCOPE_LABELS = {"mine": _l("Tasks assigned to me"), "unit": _l("Tasks my unit leads")}


class FeedForm(Form):
    scope = SelectField(_l("Calendar of"))


def _feed_form() -> FeedForm:
    form = FeedForm()
    form.scope.choices = choices((scope, label) for scope, label in SCOPE_LABELS.items()
                                 if can_have_scope(current_user, scope))
    return form


@bp.app_context_processor
def token_section():
    """The section's data, for the profile page only (the page's own view does not know about it)."""
    if not has_request_context() or request.endpoint not in SECTION_ENDPOINTS or not current_user.is_authenticated:
        return {}
    tokens = db.session.scalars(select(ApiToken).where(ApiToken.user_id == current_user.id)
                                .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(),
                                          ApiToken.id.desc())).all()
    feeds = db.session.scalars(select(CalendarFeed).where(CalendarFeed.user_id == current_user.id)
                               .order_by(CalendarFeed.revoked_at.is_not(None), CalendarFeed.created_at.desc(),
                                         CalendarFeed.id.desc())).all()
    return {"api_tokens": tokens, "calendar_feeds": feeds,
            "token_form": g.get("token_form") or TokenForm(formdata=None),
            "feed_form": _feed_form()}


def _render_profile(code: int = 200, **shown):
    user = current_user._get_current_object()
    return render_template("main/profile.html", form=ProfileForm(formdata=None, obj=user), user=user,
                           **shown), code


@bp.route("/profile/tokens", methods=["POST"])
def create_token_view():
    form = TokenForm()
    if not form.validate_on_submit():
        g.token_form = form
        return _render_profile(422)
    _row, token = create_token(current_user, form.name.data, actor=current_user)
    db.session.commit()
    return _render_profile(new_api_token=token)


def _own(model, object_id: int):
    """The signed-in user's own token or feed; 404 for anyone else's (its existence is not told)."""
    row = db.session.get(model, object_id)
    if row is None or row.user_id != current_user.id:
        abort(404)
    return row


@bp.route("/profile/tokens/<int:token_id>/revoke", methods=["POST"])
def revoke_token_view(token_id: int):
    revoke_token(current_user, _own(ApiToken, token_id))
    db.session.commit()
    flash(_("The token has been revoked."), "success")
    return redirect(url_for("main.profile") + "#api-tokens")


@bp.route("/profile/calendar-feeds", methods=["POST"])
def create_feed_view():
    form = _feed_form()
    if not form.validate_on_submit():
        flash(_("Choose which tasks the calendar shows."), "error")
        return redirect(url_for("main.profile") + "#calendar-feeds")
    _feed, secret = create_feed(current_user, form.scope.data)
    db.session.commit()
    return _render_profile(new_feed_url=external_url("feeds.calendar", secret=secret))


@bp.route("/profile/calendar-feeds/<int:feed_id>/revoke", methods=["POST"])
def revoke_feed_view(feed_id: int):
    revoke_feed(current_user, _own(CalendarFeed, feed_id))
    db.session.commit()
    flash(_("The calendar link has been revoked: calendars using it no longer update."), "success")
    return redirect(url_for("main.profile") + "#calendar-feeds")
