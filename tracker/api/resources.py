"""/units, /notifications, /stats and /extract: the smaller resources."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from tracker.api import bp
from tracker.api.auth import current_api_user
from tracker.api.common import page_json, paged
from tracker.api.inputs import body, invalid, paging, query, query_unit
from tracker.api.serialize import fields_of, notification_json, respond, unit_json
from tracker.database import db
from tracker.models import Notification, Unit, load_calendar
from tracker.rules import reach
from tracker.rules import extract as conclusions  # its rules load on the first text read
from tracker.rules.extract import ExtractError
from tracker.schemas import (
    ExtractIn,
    ExtractOut,
    NotificationPage,
    Paging,
    ProposedTaskOut,
    StatsOut,
    StatsQuery,
    UnitPage,
    UnitsQuery,
)
from tracker.services.errors import Forbidden
from tracker.services.stats import stats_payload
from tracker.timeutil import today
from tracker.views_util import tree_order


@bp.route("/units")
def list_units():
    """The unit tree, depth first, siblings by name; former units only with `include_former`."""
    params = query(UnitsQuery)
    page, per_page = paging(params)
    stmt = select(Unit).options(selectinload(Unit.parent))
    if not params.include_former:
        stmt = stmt.where(Unit.ended_on.is_(None))
    units = tree_order(list(db.session.scalars(stmt)))
    items = [unit_json(u) for u in units[(page - 1) * per_page:page * per_page]]
    return respond(UnitPage, page_json(items, len(units), page, per_page))


@bp.route("/notifications")
def list_notifications():
    """The caller's in-app notifications, newest first."""
    params = query(Paging)
    stmt = (select(Notification).where(Notification.user_id == current_api_user().id)
            .options(joinedload(Notification.task)).order_by(Notification.created_at.desc(), Notification.id.desc()))
    return respond(NotificationPage, paged(stmt, notification_json, params))


def unit_registry() -> list[conclusions.UnitRef]:
    """The active units as the extractor knows them (a former unit's names are its successor's aliases)."""
    units = db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.id))
    return [conclusions.UnitRef(code=u.code, name=u.name, short_name=u.short_name or "", aliases=tuple(u.aliases or ()),
                    kind=u.kind) for u in units]


@bp.route("/extract", methods=["POST"])
def extract_tasks():
    """Propose the tasks of a conclusion text; nothing is saved."""
    data = body(ExtractIn)
    if not reach.can_record_directive(current_api_user()):
        raise Forbidden(_("You do not have permission to do this."))
    if not data.text.strip():
        raise invalid({"text": _("The text is empty: paste the text of the conclusion notice.")})
    try:
        proposals = conclusions.extract(data.text, unit_registry(), data.issued_on or today(),
                            add_working_days=load_calendar().add_working_days)
    except ExtractError as error:
        raise invalid({"text": str(error)}) from None
    return respond(ExtractOut, {"tasks": [fields_of(ProposedTaskOut, p) for p in proposals]})


@bp.route("/stats")
def stats():
    """The dashboard's opening figures (tracker.services.stats: the same query layer as the pages)."""
    params = query(StatsQuery)
    unit, issuing_unit = query_unit(params, "unit"), query_unit(params, "issuing_unit")
    return respond(StatsOut, stats_payload(current_api_user(), params.as_of, unit=unit, directive_id=params.directive,
                                           issuing_unit=issuing_unit, today=today()))
