"""Command-line interface (`flask --app wsgi ...`): thin wrappers over the models and services.

Every command prints one clear line and exits non-zero on bad input.
"""
from __future__ import annotations

import re
import time
from datetime import date

import click
from email_validator import EmailNotValidError, validate_email
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import func, select
from werkzeug import serving

from tracker import backup
from tracker.database import db
from tracker.demo import DEMO_PASSWORD, USERS, load_demo
from tracker.dispatch import dispatch
from tracker.mail import AppMailer
from tracker.models import ROLES, UNIT_KINDS, Unit, User
from tracker.services import audit, imports
from tracker.services.errors import ServiceError
from tracker.services.passwords import password_problems
from tracker.services.planner import get_settings, plan_digest, plan_reminders
from tracker.services.tokens import create_token
from tracker.services import units as unit_changes
from tracker.services.errors import Invalid
from tracker.services.units import CODE_RE, add_unit, district_refused
from tracker.services.users import USERNAME_RE, add_user, revoke_credentials, revoke_sessions
from tracker.timeutil import today as local_today
from tracker.views_util import tree_order

units_cli = AppGroup("units", help="Manage units.")
users_cli = AppGroup("users", help="Manage users.")


def _fail(message: str) -> None:
    raise click.ClickException(message)


def _unit(code: str) -> Unit:
    unit = db.session.scalar(select(Unit).where(func.lower(Unit.code) == code.lower()))
    if unit is None:
        _fail(f"unknown unit: {code}")
    return unit


def _user(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username.lower()))
    if user is None:
        _fail(f"unknown user: {username}")
    return user


def _check_password(password: str, username: str) -> None:
    problems = password_problems(password, username)
    if problems:
        _fail("password rejected: " + ", ".join(p.replace("_", " ") for p in problems))


def upgrade_schema() -> None:
    """Create or upgrade the schema through the migrations."""
    from flask_migrate import upgrade  # Alembic and Mako (~11 MB) load only for the commands that migrate

    upgrade()


@click.command("init-db")
@click.option("--demo", is_flag=True, help="Load the demo data into an empty database.")
def init_db(demo: bool) -> None:
    """Create or upgrade the schema; with --demo, load the demo data into an empty database."""
    upgrade_schema()
    if not demo:
        click.echo("Database schema is up to date.")
        return
    if db.session.scalar(select(func.count()).select_from(Unit)):
        click.echo("Database already has data; demo data not loaded.")
        return
    created = load_demo()
    db.session.commit()
    click.echo(f"Demo data loaded: {created['units']} units, {created['users']} users, {created['tasks']} tasks "
               f"(demo password: {DEMO_PASSWORD}).")


@click.command("demo-logins")
def demo_logins() -> None:
    """Print the demo accounts and their password (only when the demo data is loaded)."""
    present = set(db.session.scalars(select(User.username).where(User.username.in_([u.username for u in USERS]))))
    if not present:
        click.echo("No demo accounts in this database.")
        return
    click.echo(f"DEMO accounts (for trying the app only), password for all: {DEMO_PASSWORD}")
    for spec in USERS:
        if spec.username in present:
            click.echo(f"  {spec.username:<10} {spec.role:<10} {spec.unit:<12} {spec.full_name} - {spec.position_title}")


@units_cli.command("list")
def units_list() -> None:
    """Print code, name, parent and kind of every unit."""
    for unit in tree_order(list(db.session.scalars(select(Unit)))):
        parent = unit.parent.code if unit.parent else "-"
        state = f"\tended {unit.ended_on}" if unit.ended_on else ("" if unit.active else "\tinactive")
        click.echo(f"{unit.code}\t{unit.name}\t{parent}\t{unit.kind}{state}")


@units_cli.command("create")
@click.argument("code")
@click.option("--name", required=True)
@click.option("--short-name", default="")
@click.option("--parent", "parent_code", default=None, help="Code of the parent unit.")
@click.option("--kind", default="department", help="One of: " + ", ".join(UNIT_KINDS))
@click.option("--alias", "aliases", multiple=True, help="Another name of the unit (repeatable).")
@click.option("--email", default="")
@click.option("--since", "since", default=None, help="The day the unit started (YYYY-MM-DD), if it is on record.")
def units_create(code, name, short_name, parent_code, kind, aliases, email, since) -> None:
    """Add a unit."""
    if kind not in UNIT_KINDS:
        _fail(f"bad kind: {kind} (one of {', '.join(UNIT_KINDS)})")
    started_on = _date(since) if since else None
    refused = district_refused(kind, started_on, local_today())
    if refused:
        _fail(refused)
    if not re.match(CODE_RE, code):
        _fail(f"bad unit code: {code!r} (letters, digits, dot, dash and underscore only)")
    if not name.strip():
        _fail("the name must not be empty")
    if db.session.scalar(select(Unit).where(func.lower(Unit.code) == code.lower())):
        _fail(f"unit code already taken: {code}")
    parent = _unit(parent_code) if parent_code else None
    unit = add_unit(code, name.strip(), short_name=short_name, kind=kind, parent=parent, aliases=list(aliases),
                    email=email, started_on=started_on)
    audit.record("unit.create", actor=None, obj=unit, summary=unit.name, ip="cli")
    db.session.commit()
    click.echo(f"Created unit {unit.code}: {unit.name}")


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"bad date: {value} (use YYYY-MM-DD)")


def _apply_change(make) -> unit_changes.ChangeResult:
    """Run a unit change; a refusal is one line naming each field's problem, exit 1."""
    try:
        result = make()
    except Invalid as exc:
        db.session.rollback()
        _fail("; ".join(f"{field}: {problem}" for field, problem in exc.fields.items()) or exc.message)
    db.session.commit()
    return result


def _moved(result: unit_changes.ChangeResult) -> str:
    return (f"{result.tasks} open tasks, {result.parts} cooperating parts, {result.users} users and "
            f"{result.sub_units} sub-units passed on")


def _decided(result: unit_changes.ChangeResult) -> str:
    change = result.change
    return f" on {change.effective_on}" + (f" ({change.decision})" if change.decision else "")


@units_cli.command("rename")
@click.argument("code")
@click.option("--name", required=True, help="The new name.")
@click.option("--short-name", default=None, help="The new short name (default: none).")
@click.option("--on", "on", required=True, help="The day the new name takes effect (YYYY-MM-DD).")
@click.option("--decision", default="", help="The decision's number, e.g. \"25/QĐ-UBND\".")
def units_rename(code, name, short_name, on, decision) -> None:
    """Rename a unit from a date; the former name stays on record."""
    unit, day = _unit(code), _date(on)
    former = unit.name
    result = _apply_change(lambda: unit_changes.rename_unit(None, unit, name, short_name=short_name, on=day,
                                                            decision=decision, today=local_today(), ip="cli"))
    click.echo(f"Renamed {unit.code}: {former} → {unit.name}{_decided(result)}")


@units_cli.command("merge")
@click.argument("codes", nargs=-1, required=True)
@click.option("--into", "into", required=True, help="Code of the successor.")
@click.option("--on", "on", required=True, help="The day the merger takes effect (YYYY-MM-DD).")
@click.option("--decision", default="")
def units_merge(codes, into, on, decision) -> None:
    """End the units on a date; their open work, users and aliases pass to the successor."""
    units, successor, day = [_unit(c) for c in codes], _unit(into), _date(on)
    result = _apply_change(lambda: unit_changes.merge_units(None, units, successor, on=day, decision=decision,
                                                            today=local_today(), ip="cli"))
    click.echo(f"Merged {', '.join(u.code for u in units)} into {successor.code}{_decided(result)}: {_moved(result)}")


@units_cli.command("split")
@click.argument("code")
@click.option("--into", "into", required=True, help="Codes of the successors, comma-separated.")
@click.option("--on", "on", required=True, help="The day the split takes effect (YYYY-MM-DD).")
@click.option("--tasks-to", "tasks_to", default=None, help="The successor that takes the open tasks (default: the first).")
@click.option("--decision", default="")
def units_split(code, into, on, tasks_to, decision) -> None:
    """One unit becomes several; its open tasks go to one of them."""
    unit, day = _unit(code), _date(on)
    successors = [_unit(c.strip()) for c in into.split(",") if c.strip()]
    main = _unit(tasks_to) if tasks_to else None
    result = _apply_change(lambda: unit_changes.split_unit(None, unit, successors, on=day, decision=decision,
                                                           tasks_to=main, today=local_today(), ip="cli"))
    click.echo(f"Split {unit.code} into {', '.join(u.code for u in successors)}{_decided(result)}: {_moved(result)} "
               f"to {(main or successors[0]).code}")


@units_cli.command("dissolve")
@click.argument("code")
@click.option("--into", "into", required=True, help="Code of the successor.")
@click.option("--on", "on", required=True, help="The day the unit ends (YYYY-MM-DD).")
@click.option("--decision", default="")
def units_dissolve(code, into, on, decision) -> None:
    """The unit ends on a date; its open work passes to the successor."""
    unit, successor, day = _unit(code), _unit(into), _date(on)
    result = _apply_change(lambda: unit_changes.dissolve_unit(None, unit, successor, on=day, decision=decision,
                                                              today=local_today(), ip="cli"))
    click.echo(f"Dissolved {unit.code} into {successor.code}{_decided(result)}: {_moved(result)}")


@users_cli.command("create")
@click.argument("username")
@click.option("--unit", "unit_code", required=True)
@click.option("--role", required=True, help="One of: " + ", ".join(ROLES))
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True)
@click.option("--position", default="")
@click.option("--password", default=None, help="Prompted for when not given.")
def users_create(username, unit_code, role, email, full_name, position, password) -> None:
    """Add a user."""
    username = username.strip().lower()
    if role not in ROLES:
        _fail(f"bad role: {role} (one of {', '.join(ROLES)})")
    if not re.match(USERNAME_RE, username):
        _fail(f"bad username: {username!r} (lower-case letters, digits, dot, dash and underscore only)")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        _fail(f"bad e-mail address: {email}")
    unit = _unit(unit_code)
    if db.session.scalar(select(User).where(User.username == username)):
        _fail(f"username already taken: {username}")
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    _check_password(password, username)
    user = add_user(username, full_name, unit, role, email=email, position_title=position, password=password)
    db.session.flush()
    audit.record("user.create", actor=None, obj=user, summary=username, ip="cli", changes={"role": role, "unit": unit.code})
    db.session.commit()
    click.echo(f"Created user {username} ({role}) in {unit.code}")


@users_cli.command("set-password")
@click.argument("username")
@click.option("--password", default=None, help="Prompted for when not given.")
@click.option("--temporary", is_flag=True, help="The user must change it at the next sign-in.")
def users_set_password(username, password, temporary) -> None:
    """Set a user's password and sign out their sessions."""
    user = _user(username)
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    _check_password(password, user.username)
    user.set_password(password)
    user.must_change_password = temporary
    revoked = revoke_credentials(user, actor=None)  # sessions, API tokens and calendar links
    audit.record("user.password_set", actor=None, obj=user, summary=user.username, ip="cli")
    db.session.commit()
    click.echo(f"Password set for {user.username}" + (" (temporary)" if temporary else "")
               + (f"; {revoked} API token(s) and calendar link(s) revoked" if revoked else ""))


@users_cli.command("deactivate")
@click.argument("username")
def users_deactivate(username) -> None:
    """Deactivate a user and sign out their sessions (their history stays)."""
    user = _user(username)
    user.active = False
    revoke_sessions(user)
    audit.record("user.deactivate", actor=None, obj=user, summary=user.username, ip="cli")
    db.session.commit()
    click.echo(f"Deactivated {user.username}")


@click.command("serve")
@click.option("--host", envvar="HOST", default="127.0.0.1", show_default=True)
@click.option("--port", envvar="PORT", default=5000, type=int, show_default=True)
def serve(host: str, port: int) -> None:
    """Serve the app for development with its scheduler, in one process (no reloader)."""
    from tracker.scheduler import build_scheduler  # web workers never load APScheduler (reliability row 1)

    app = current_app._get_current_object()
    scheduler = build_scheduler(app)
    scheduler.start()
    click.echo(f"Tracker on http://{host}:{port}/ (scheduler running; e-mail links start with "
               f"{app.config['BASE_URL']}; Ctrl+C to stop)")
    try:
        serving.run_simple(host, port, app, use_reloader=False, threaded=True)
    finally:
        scheduler.shutdown(wait=False)


@click.command("scheduler")
def scheduler_command() -> None:
    """Run the scheduler in the foreground (production: exactly one such process)."""
    from tracker.scheduler import build_scheduler  # (see serve)

    scheduler = build_scheduler(current_app._get_current_object(), blocking=True)
    click.echo("Scheduler started (Ctrl+C to stop).")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        scheduler.leader_lock.release()


reminders_cli = AppGroup("reminders", help="Deadline reminders.")


@reminders_cli.command("run")
@click.option("--today", "day", default=None, help="Plan as if today were YYYY-MM-DD (default: today).")
@click.option("--dry-run", is_flag=True, help="Show what would be queued; queue and send nothing.")
def reminders_run(day: str | None, dry_run: bool) -> None:
    """Plan and send the reminders due on that day, once (running it again sends nothing new)."""
    try:
        when = date.fromisoformat(day) if day else local_today()
    except ValueError:
        _fail(f"bad date: {day} (use YYYY-MM-DD)")
    mailer = AppMailer()
    planned = plan_reminders(when, dry_run=dry_run, mailer=mailer)
    for item in planned:
        channel = "e-mail + in-app" if item.email else "in-app"
        part = f" (part of {item.unit})" if item.unit else ""
        click.echo(f"  task {item.task_id}{part} -> {item.user}: {item.rule} #{item.occurrence} "
                   f"(deadline {item.deadline}) [{channel}]")
    if dry_run:
        db.session.rollback()
        click.echo(f"Dry run for {when}: {len(planned)} reminders would be queued; nothing was sent.")
        return
    # The weekly digest on its weekday (the admin's setting), as the scheduler sends it.
    digests = plan_digest(when, mailer) if when.weekday() == get_settings().digest_weekday else 0
    db.session.commit()
    result = dispatch()
    click.echo(f"Reminders for {when}: {len(planned)} queued, {digests} digests, {result['sent']} e-mails sent, "
               f"{result['retry']} to retry, {result['failed']} failed.")


@users_cli.command("token")
@click.argument("username")
@click.option("--name", default="command line", show_default=True, help="What the token is for.")
def users_token(username: str, name: str) -> None:
    """Print a new API token for the user; it is shown once (only its hash is kept)."""

    user = _user(username)
    if not user.active:
        _fail(f"user is inactive: {user.username}")
    if not name.strip():
        _fail("the token name must not be empty")
    _row, token = create_token(user, name, ip="cli")
    db.session.commit()
    click.echo(f"New API token for {user.username} (shown once, keep it secret):", err=True)
    click.echo(token)


@click.command("bench-data")
@click.option("--tasks", default=50_000, show_default=True, type=click.IntRange(1, 10_000_000))
@click.option("--provinces", default=1, show_default=True, type=click.IntRange(1, 100))
@click.option("--seed", default=1, show_default=True, type=int)
def bench_data(tasks: int, provinces: int, seed: int) -> None:
    """Fill the database with realistic benchmark data (deterministic for a seed)."""
    from bench.generate import generate  # the benchmark generator is not part of the installed app

    upgrade_schema()
    started = time.perf_counter()
    counts = generate(tasks, provinces=provinces, seed=seed)
    click.echo(f"Generated {counts['tasks']} tasks, {counts['directives']} directives, {counts['units']} units, "
               f"{counts['users']} users, {counts['updates']} progress updates in "
               f"{time.perf_counter() - started:.1f} s.")


@click.command("compile-templates")
def compile_templates() -> None:
    """Compile every template into TEMPLATE_CACHE_FOLDER, so that no web worker compiles one (after a deploy)."""
    env = current_app.jinja_env
    if env.bytecode_cache is None:
        _fail("TEMPLATE_CACHE_FOLDER is empty: the workers compile their templates in memory")
    names = env.list_templates(extensions=("html", "txt"))
    for name in names:
        env.get_template(name)
    click.echo(f"{len(names)} templates compiled into {current_app.config['TEMPLATE_CACHE_FOLDER']}.")


import_cli = AppGroup("import", help="Import data.")


@import_cli.command("tasks")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check the file and say what would be imported; write nothing.")
@click.option("--skip-invalid", is_flag=True, help="Import the rows without problems and leave the others out.")
def import_tasks(file: str, dry_run: bool, skip_invalid: bool) -> None:
    """Import the Office's spreadsheet (.xlsx or .csv) of tasks, issued by the province committee (root unit).

    One line per row with problems, then a summary. With any problem and no
    --skip-invalid nothing is written and the exit status is 1. Rows imported
    before are left as they are.
    """
    root = db.session.scalar(select(Unit).where(Unit.parent_id.is_(None), Unit.active.is_(True)).order_by(Unit.id))
    if root is None:
        _fail("no unit yet: create the province committee first (flask units create)")
    with open(file, "rb") as handle:
        data = handle.read(imports.MAX_BYTES + 1)
    try:
        sheet = imports.read_sheet(data, file)
    except ServiceError as error:
        _fail(error.message)
    day = local_today()
    plan = imports.plan_import(db.session, sheet, root, day)
    if plan.missing_columns:
        _fail("columns not found: " + ", ".join(str(imports.FIELD_LABELS[f]) for f in plan.missing_columns)
              + f" (headers in row {sheet.header_line}: " + " | ".join(h for h in sheet.headers if h) + ")")
    for row in plan.problem_rows:
        click.echo(f"row {row.line}: {row.number or '-'} | {row.title[:60] or '-'}: "
                   + " ".join(imports.describe(p) for p in row.problems))
    problems = len(plan.problem_rows)
    if plan.changed_rows:
        click.echo(f"{len(plan.changed_rows)} rows imported before differ from the tracker now (status or "
                   "completion date): they are left as they are; change them in the tracker. Rows: "
                   + ", ".join(str(row.line) for row, *_now in plan.changed_rows[:50])
                   + (" ..." if len(plan.changed_rows) > 50 else ""))
    click.echo(f"{len(plan.rows)} rows: {len(plan.new_rows)} tasks to import ({plan.new_directives} new documents), "
               f"{len(plan.existing_rows)} already imported, {problems} with problems.")
    if problems and not skip_invalid:
        db.session.rollback()
        click.echo("Nothing was imported: correct the rows above, or run again with --skip-invalid.")
        raise SystemExit(1)
    if dry_run:
        db.session.rollback()
        click.echo("Dry run: nothing was written.")
        return
    result = imports.apply_import(db.session, plan, None, day, skip_invalid=skip_invalid)
    db.session.commit()
    click.echo(f"Imported {result.tasks} tasks in {result.directives} new documents; {result.existing} rows were "
               f"already imported, {result.skipped} rows with problems were left out.")


def init_commands(app: Flask) -> None:
    app.cli.add_command(init_db)
    app.cli.add_command(demo_logins)
    app.cli.add_command(units_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(serve)
    app.cli.add_command(scheduler_command)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(bench_data)
    app.cli.add_command(compile_templates)
    app.cli.add_command(import_cli)
    app.cli.add_command(backup.backup_command)
    app.cli.add_command(backup.restore_command)
