"""The `helpdesk` command: one click group, a subcommand per job, `--json` on every list."""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property, wraps
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import click
from rich.console import Console
from rich.table import Table

from classifiers.kinds import RequestKind
from helpdesk.config import Config, describe, load_config
from helpdesk.effects import CHANGEABLE
from helpdesk.errors import ConfigError, HelpdeskError
from helpdesk.identity import MANUAL_METHODS
from helpdesk.storage import Database

P = ParamSpec("P")
R = TypeVar("R")

# Piped into a file or `less`, tables need not fit 80 columns; in a terminal its width counts.
console = Console(width=None if sys.stdout.isatty() else 160)


class App:
    """What every command needs: the configuration and, when asked for, the migrated database."""

    def __init__(self, config_path: str | None) -> None:
        self.config_path = config_path

    @cached_property
    def config(self) -> Config:
        return load_config(self.config_path)

    @cached_property
    def db(self) -> Database:
        database = Database(self.config.database.url)
        database.upgrade()  # the schema is brought up to date on every start
        return database

    @contextmanager
    def session(self) -> Iterator[Any]:
        with self.db.session() as session:
            yield session

    @property
    def reviewer(self) -> str:
        """Who is acting at the keyboard, for the audit trail."""
        return os.environ.get("HELPDESK_REVIEWER") or os.environ.get("USER") or "operator"


def friendly_errors(function: Callable[P, R]) -> Callable[P, R]:
    """Turn our own errors into one clear line and exit status 1, never a traceback."""

    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except ConfigError as error:
            raise click.ClickException(f"configuration: {error}") from None
        except HelpdeskError as error:
            raise click.ClickException(str(error)) from None

    return wrapper


pass_app = click.make_pass_decorator(App)


def by_option(verb: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """`--by NAME`: who acts, for the request's history (default: $HELPDESK_REVIEWER or $USER)."""
    return click.option("--by", help=f"Who {verb} (default: $HELPDESK_REVIEWER or $USER).")


def print_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def days_left_text(days: int) -> str:
    if days < 0:
        return f"[bold red]{-days}d overdue[/]"
    if days <= 7:
        return f"[yellow]{days}d left[/]"
    return f"{days}d left"


@click.group()
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    envvar="HELPDESK_CONFIG",
    help="TOML configuration file (default: $HELPDESK_CONFIG, else the embedded defaults).",
)
@click.option("-v", "--verbose", is_flag=True, help="Log what happens (never mail content) to stderr.")
@click.version_option(package_name="privacy-helpdesk")
@click.pass_context
def main(ctx: click.Context, config_path: str | None, verbose: bool) -> None:
    """Privacy helpdesk: recognises GDPR requests in the shop's mailbox and drafts the answers."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        stream=sys.stderr,
    )
    ctx.obj = App(config_path)


# -- run ---------------------------------------------------------------------------------------


@main.command()
@click.option("--once", is_flag=True, help="One pass over mailbox and outbox, then exit.")
@pass_app
@friendly_errors
def run(app: App, once: bool) -> None:
    """Read new mail, open requests, draft answers, send approved drafts."""
    from helpdesk.daemon import holding_the_lock, run_forever, run_once

    if once:
        with holding_the_lock(app.db, app.config):
            report = run_once(app.db, app.config)
        click.echo(str(report))
        if report.mailbox_error:
            sys.exit(2)
        return
    logging.getLogger("helpdesk").setLevel(logging.INFO)
    run_forever(app.db, app.config)


@main.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
@friendly_errors
def status_command(app: App, as_json: bool) -> None:
    """Is the daemon alive, when did it last reach the mailbox, what waits, what went wrong."""
    from helpdesk.queries import status

    with app.session() as session:
        found = status(session, app.config)
    if as_json:
        print_json(found)
        return
    daemon = found["daemon"]
    if daemon["holder"]:
        console.print(f"daemon: running as {daemon['holder']}, last heartbeat {daemon['heartbeat_at']}")
    else:
        console.print(
            "daemon: [bold red]not running[/]"
            + (f" (last pass {daemon['last_pass_at']})" if daemon["last_pass_at"] else "")
        )
    if daemon["last_pass"]:
        console.print(f"last pass: {daemon['last_pass']}")
    for mailbox in found["mailboxes"]:
        console.print(f"mailbox {mailbox['mailbox']}: last contact {mailbox['last_contact_at'] or 'never'}")
        if mailbox["last_error"]:
            console.print(f"  [bold red]last error:[/] {mailbox['last_error']}")
    if daemon["last_error"]:
        console.print(f"[bold red]last error:[/] {daemon['last_error']}")
    backlog, requests_, drafts_ = found["backlog"], found["requests"], found["drafts"]
    console.print(f"backlog: {backlog['waiting']} mails waiting, {backlog['quarantined']} quarantined")
    console.print(
        f"requests: {requests_['open']} open, {requests_['overdue']} overdue, "
        f"{requests_['awaiting_identity']} awaiting identity, {requests_['possible']} possible"
    )
    console.print(
        f"drafts: {drafts_['waiting_for_approval']} waiting for approval, "
        f"{drafts_['approved_not_sent']} approved not yet sent, {drafts_['need_attention']} need attention"
    )


@main.command("digest")
@click.option("--preview", "mode", flag_value="preview", default=True, help="Print the digest (default).")
@click.option("--send", "mode", flag_value="send", help="Send it to the privacy contact now.")
@click.option("--html", is_flag=True, help="With --preview: print the HTML part instead of the text.")
@pass_app
@friendly_errors
def digest_command(app: App, mode: str, html: bool) -> None:
    """The weekly overview for the privacy contact: open requests by days left, drafts, identity waits."""
    from helpdesk.digest import digest_message, record_sent, render_now
    from helpdesk.outbox import open_outbox

    with app.session() as session:
        _, rendered = render_now(session, app.config)
        if mode == "preview":
            click.echo(f"Subject: {rendered.subject}\n")
            click.echo(rendered.html if html else rendered.text, nl=False)
            return
        message = digest_message(app.config, rendered)
        open_outbox(app.config).send(message)
        record_sent(session, message)
    click.echo(f"digest sent to {app.config.organisation.privacy_contact}")


# -- db and config -----------------------------------------------------------------------------


@main.group()
def db() -> None:
    """The database."""


@db.command("upgrade")
@pass_app
@friendly_errors
def db_upgrade(app: App) -> None:
    """Bring the database schema up to date (also done on every start)."""
    app.db  # noqa: B018  (building it runs the migrations)
    click.echo(f"database at {app.config.database.url} is up to date")


@main.group()
def config() -> None:
    """The configuration."""


@config.command("check")
@pass_app
@friendly_errors
def config_check(app: App) -> None:
    """Validate the configuration; a bad key is named with its fix."""
    from helpdesk.config import mailbox_endpoint, secret, smtp_endpoint

    current = app.config
    mailbox = mailbox_endpoint(current)
    if mailbox.scheme != "maildir":
        secret(current.mailbox.password_env, "mailbox.password_env", required=True)
    smtp = smtp_endpoint(current)
    if smtp.username:
        secret(current.smtp.password_env, "smtp.password_env", required=True)
    from replies.render import check_templates

    problems = check_templates()
    if problems:
        raise ConfigError(
            "a reply template does not render: " + "; ".join(problems), fix="correct the template"
        )
    click.echo(f"configuration OK ({current.source})")


@config.command("show")
@pass_app
@friendly_errors
def config_show(app: App) -> None:
    """Print the effective configuration (passwords are never in it)."""
    table = Table("key", "value", "meaning", title=f"configuration: {app.config.source}")
    for key, value, help_text in describe(app.config):
        table.add_row(key, value, help_text)
    console.print(table)


# -- customers -----------------------------------------------------------------------------------


@main.group()
def customers() -> None:
    """Customer data: the known addresses and what we hold."""


@customers.command("import")
@click.argument("customers_csv", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--orders", "orders_csv", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_app
@friendly_errors
def customers_import(app: App, customers_csv: Path, orders_csv: Path | None) -> None:
    """Import customers (and orders); a bad row rejects the whole file."""
    from helpdesk.customers import import_files

    with app.session() as session:
        report = import_files(session, customers_csv, orders_csv, actor=app.reviewer)
    click.echo(str(report))


# -- requests ------------------------------------------------------------------------------------


@main.group()
def requests() -> None:
    """Privacy requests."""


@requests.command("list")
@click.option("--state", help="Only requests in this state (e.g. awaiting_identity).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@pass_app
@friendly_errors
def requests_list(app: App, state: str | None, as_json: bool) -> None:
    """Requests, the most urgent first."""
    from helpdesk.queries import list_requests

    with app.session() as session:
        rows = list_requests(session, app.config, state)
    if as_json:
        print_json(rows)
        return
    print_requests(rows)


def print_requests(rows: list[dict[str, Any]], title: str = "privacy requests") -> None:
    table = Table(title=title)
    table.add_column("reference", no_wrap=True)  # what the privacy contact types next: never cut
    table.add_column("state", overflow="fold")
    table.add_column("kinds", overflow="fold")
    table.add_column("requester", overflow="fold")
    table.add_column("verified")
    table.add_column("deadline", no_wrap=True)
    table.add_column("due", no_wrap=True)
    for row in rows:
        table.add_row(
            row["reference"],
            row["state"],
            ", ".join(row["kinds"]),
            row["requester"],
            "yes" if row["identity_verified"] else "[yellow]no[/]",
            row["deadline"],
            days_left_text(row["days_left"]),
        )
    console.print(table)


@requests.command("show")
@click.argument("reference")
@click.option("--json", "as_json", is_flag=True)
@pass_app
@friendly_errors
def requests_show(app: App, reference: str, as_json: bool) -> None:
    """One request: its mails, evidence, identity reasons, drafts and history."""
    from helpdesk.queries import request_details

    with app.session() as session:
        details = request_details(session, app.config, reference)
    if details is None:
        raise click.ClickException(f"there is no request {reference}")
    if as_json:
        print_json(details)
        return
    console.print(f"[bold]{details['reference']}[/]  {details['state']}  {', '.join(details['kinds'])}")
    console.print(f"requester: {details['requester']} ({details['requester_name'] or 'no name'})")
    console.print(
        f"received {details['received_at']}, deadline {details['deadline']}, "
        + days_left_text(details["days_left"])
    )
    identity = "verified" if details["identity_verified"] else "NOT verified"
    console.print(f"identity: {identity} ({details['identity_method'] or '-'})")
    for reason in details["identity_reasons"]:
        console.print(f"  - {reason}")
    waited = details["waiting_for_identity_days"]
    if waited is not None:
        so_far = "waited" if details["identity_verified"] else "waiting"
        console.print(f"{so_far} for identity: {waited} days (the deadline counts from receipt all the same)")
    if details["proposed_for_closure"]:
        console.print("[bold red]proposed for closure:[/] no proof of identity after 30 days")
    if details["likely_customer_id"]:
        console.print(f"likely customer (not trusted): {details['likely_customer_id']}")
    if details["related_request"]:
        console.print(f"refers to {details['related_request']} (not joined: another sender)")
    if details["flags"]:
        console.print("flags: " + ", ".join(details["flags"]))
    for mail in details["mails"]:
        console.print(f"mail {mail['id']}: {mail['subject']!r} {mail['message_id'] or ''}")
        for item in mail["evidence"]:
            console.print(f"  evidence for {item['kind']}: {item['text']!r}")
    for draft in details["drafts"]:
        console.print(f"draft {draft['id']}: {draft['purpose']} to {draft['to']}, {draft['state']}")
    table = Table("when", "who", "what", "details", title="history")
    for event in details["events"]:
        table.add_row(
            event["at"],
            event["actor"],
            event["kind"],
            json.dumps(event["details"], ensure_ascii=False),
        )
    console.print(table)


@requests.command("confirm")
@click.argument("reference")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice([str(kind) for kind in RequestKind]),
    help="The kind(s) of request (default: the one the classifier thought likeliest).",
)
@by_option("confirms")
@pass_app
@friendly_errors
def requests_confirm(app: App, reference: str, kinds: tuple[str, ...], by: str | None) -> None:
    """A possible request is one: check identity and draft the first reply."""
    from helpdesk.workflow import confirm, likeliest_kind

    with app.session() as session:
        chosen = list(kinds) or [likeliest_kind(session, reference)]
        request = confirm(session, app.config, reference, chosen, by or app.reviewer)
        click.echo(f"{request.reference} confirmed as {', '.join(request.kinds)}; now {request.state}")


@requests.command("verify")
@click.argument("reference")
@click.option(
    "--method",
    required=True,
    type=click.Choice(list(MANUAL_METHODS)),
    help="How you established who asks. id-document: the attachments are erased from storage now.",
)
@click.option("--customer", "customer_id", help="The customer it is (customer_id), if not linked yet.")
@click.option("--note", default="", help="What you checked, for the audit trail (no document numbers).")
@by_option("verified")
@pass_app
@friendly_errors
def requests_verify(
    app: App, reference: str, method: str, customer_id: str | None, note: str, by: str | None
) -> None:
    """You checked the requester's identity yourself: record it and draft the answer."""
    from helpdesk.workflow import verify_by_hand

    with app.session() as session:
        request = verify_by_hand(
            session, app.config, reference, method, by or app.reviewer, customer_id, note
        )
        click.echo(f"{request.reference}: identity verified ({method}); now {request.state}")


@requests.command("extend")
@click.argument("reference")
@click.option("--reason", required=True, help="Why more time is needed; the requester is told.")
@click.option(
    "--months", type=click.IntRange(1, 2), default=2, show_default=True, help="How many more months."
)
@by_option("decides")
@pass_app
@friendly_errors
def requests_extend(app: App, reference: str, reason: str, months: int, by: str | None) -> None:
    """Extend the deadline once (GDPR art. 12(3)); the notice must go out within the first period."""
    from helpdesk.workflow import extend

    with app.session() as session:
        request = extend(session, app.config, reference, reason, months, by or app.reviewer)
        click.echo(
            f"{request.reference}: deadline {request.first_deadline} -> {request.deadline}; "
            f"approve the notice before {request.first_deadline}"
        )


@requests.command("change")
@click.argument("reference")
@click.option("--field", "field_name", required=True, type=click.Choice(list(CHANGEABLE)))
@click.option("--to", "new", required=True, help="The new value; an empty value drops the change.")
@by_option("edits")
@pass_app
@friendly_errors
def requests_change(app: App, reference: str, field_name: str, new: str, by: str | None) -> None:
    """Set what a rectification changes (old -> new); the pending answer is drafted again."""
    from helpdesk.workflow import change_data

    with app.session() as session:
        request = change_data(session, app.config, reference, field_name, new, by or app.reviewer)
        for change in request.changes:
            click.echo(f"{change['field']}: {change['old'] or '(empty)'} -> {change['new']}")


@requests.command("dismiss")
@click.argument("reference")
@click.option("--reason", required=True, help="Why it is no request (kept in its history).")
@by_option("dismisses")
@pass_app
@friendly_errors
def requests_dismiss(app: App, reference: str, reason: str, by: str | None) -> None:
    """A possible request is none: dismissed, with the reason, and kept on record."""
    from helpdesk.workflow import dismiss

    with app.session() as session:
        request = dismiss(session, reference, by or app.reviewer, reason)
        click.echo(f"{request.reference} dismissed")


# -- drafts --------------------------------------------------------------------------------------


@main.group()
def drafts() -> None:
    """Reply drafts waiting for approval."""


@drafts.command("list")
@click.option("--state", help="Only drafts in this state (pending, approved, sent, rejected).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@pass_app
@friendly_errors
def drafts_list(app: App, state: str | None, as_json: bool) -> None:
    """Drafts, oldest first."""
    from helpdesk.queries import list_drafts

    with app.session() as session:
        rows = list_drafts(session, state)
    if as_json:
        print_json(rows)
        return
    print_drafts(rows)


def print_drafts(rows: list[dict[str, Any]], title: str = "drafts") -> None:
    table = Table(title=title)
    table.add_column("id", no_wrap=True)
    table.add_column("request", no_wrap=True)
    table.add_column("purpose", overflow="fold")
    table.add_column("state", overflow="fold")
    table.add_column("to", overflow="fold")
    table.add_column("subject")
    for row in rows:
        state = row["state"] + (" [red](needs attention)[/]" if row["needs_attention"] else "")
        table.add_row(str(row["id"]), row["request"], row["purpose"], state, row["to"], row["subject"])
    console.print(table)


@drafts.command("show")
@click.argument("draft_id", type=int)
@pass_app
@friendly_errors
def drafts_show(app: App, draft_id: int) -> None:
    """The draft exactly as it would be sent."""
    from helpdesk.review import get_draft

    with app.session() as session:
        draft = get_draft(session, draft_id)
        click.echo(f"Draft {draft.id} ({draft.purpose}, {draft.state}) for {draft.request.reference}")
        if draft.last_error:
            click.echo(f"Last error: {draft.last_error}")
        click.echo(f"To: {draft.to_address}\nSubject: {draft.subject}\n")
        click.echo(draft.body)


@drafts.command("edit")
@click.argument("draft_id", type=int)
@by_option("edits")
@pass_app
@friendly_errors
def drafts_edit(app: App, draft_id: int, by: str | None) -> None:
    """Edit a pending draft's text in $EDITOR."""
    from helpdesk.review import edit_body, pending_draft

    with app.session() as session:
        edited = click.edit(pending_draft(session, draft_id).body, extension=".txt", require_save=True)
        if edited is None:
            click.echo("not changed")
            return
        edit_body(session, draft_id, edited, by or app.reviewer)
        click.echo(f"draft {draft_id} changed; read it with `helpdesk drafts show {draft_id}`")


@drafts.command("approve")
@click.argument("draft_id", type=int)
@by_option("approves")
@pass_app
@friendly_errors
def drafts_approve(app: App, draft_id: int, by: str | None) -> None:
    """Approve a draft; the next `run` sends it."""
    from helpdesk.review import approve

    with app.session() as session:
        draft = approve(session, draft_id, by or app.reviewer, app.config)
        click.echo(f"draft {draft.id} approved; it goes to {draft.to_address} with the next run")


@drafts.command("reject")
@click.argument("draft_id", type=int)
@click.option("--reason", required=True, help="Why (kept in the request's history).")
@by_option("rejects")
@pass_app
@friendly_errors
def drafts_reject(app: App, draft_id: int, reason: str, by: str | None) -> None:
    """Reject a draft; it is never sent."""
    from helpdesk.review import reject

    with app.session() as session:
        draft = reject(session, draft_id, by or app.reviewer, reason)
        click.echo(f"draft {draft.id} rejected")


# -- register and retention ----------------------------------------------------------------------


@main.group()
def register() -> None:
    """The register of handled requests, for accountability."""


@register.command("export")
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE (default: stdout)."
)
@pass_app
@friendly_errors
def register_export(app: App, output: Path | None) -> None:
    """CSV of handled requests: reference, kinds, received, answered, outcome (erasures anonymised)."""
    import csv
    import io

    from helpdesk.queries import REGISTER_COLUMNS, register_rows

    with app.session() as session:
        rows = register_rows(session, app.config)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=REGISTER_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    if output is None:
        click.echo(buffer.getvalue(), nl=False)
    else:
        output.write_text(buffer.getvalue(), encoding="utf-8")
        click.echo(f"{len(rows)} handled requests written to {output}", err=True)


@main.group()
def retention() -> None:
    """Keep personal data no longer than the policy says."""


@retention.command("run")
@click.option("--apply", "do_it", is_flag=True, help="Do it (without: only list what would be done).")
@by_option("runs it")
@pass_app
@friendly_errors
def retention_run(app: App, do_it: bool, by: str | None) -> None:
    """Anonymise profiles unused for two years; purge mail text of closed requests. Dry run by default."""
    from helpdesk import retention as retention_rules

    with app.session() as session:
        found = retention_rules.plan(session, app.config)
        days = app.config.retention
        for _, customer_id, seen in found.customers:
            when = seen.date().isoformat() if seen else "never"
            console.print(
                f"anonymise customer {customer_id} (last contact or order {when}; > {days.profile_days} days)"
            )
        if found.mails:
            console.print(f"purge the stored text of {len(found.mails)} mails (> {days.mail_text_days} days)")
        if found.attachments:
            console.print(
                f"purge {len(found.attachments)} attachments of sent answers (> {days.mail_text_days} days)"
            )
        if not found:
            console.print("nothing to do")
            return
        if not do_it:
            console.print("dry run: nothing changed; run with --apply to do this")
            return
        retention_rules.apply(session, found, by or app.reviewer)
        console.print("done")


# -- quarantine ----------------------------------------------------------------------------------


@main.group()
def quarantine() -> None:
    """Mails that could not be handled: kept whole, waiting for the operator."""


@quarantine.command("list")
@click.option("--json", "as_json", is_flag=True)
@pass_app
@friendly_errors
def quarantine_list(app: App, as_json: bool) -> None:
    """Quarantined mails with their errors."""
    from helpdesk.queries import list_quarantine

    with app.session() as session:
        rows = list_quarantine(session)
    if as_json:
        print_json(rows)
        return
    table = Table("id", "received", "size", "message-id", "error", "tries", title="quarantine")
    for row in rows:
        table.add_row(
            str(row["id"]),
            row["received_at"],
            str(row["size"]),
            row["message_id"] or "-",
            row["error"],
            str(row["attempts"]),
        )
    console.print(table)


@quarantine.command("retry")
@click.argument("mail_id", type=int)
@pass_app
@friendly_errors
def quarantine_retry(app: App, mail_id: int) -> None:
    """Send a quarantined mail through the pipeline again (e.g. after an upgrade)."""
    from helpdesk.pipeline import PassReport, process_mail, requeue

    requeue(app.db, mail_id, app.reviewer)
    report = PassReport()
    process_mail(app.db, app.config, mail_id, report)
    click.echo(f"mail {mail_id}: " + ("quarantined again" if report.quarantined else "handled"))


# -- classify and train -----------------------------------------------------------------------


@main.command("classify")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file, one a line.")
@click.option("--eval", "evaluate", is_flag=True, help="Score the classifier on the dev split of the corpus.")
@pass_app
@friendly_errors
def classify_command(app: App, files: tuple[Path, ...], as_json: bool, evaluate: bool) -> None:
    """Classify .eml files without touching the database (or, with --eval, measure the classifier)."""
    if evaluate:
        from helpdesk.classifier_report import print_evaluation

        print_evaluation(console)
        return
    if not files:
        raise click.UsageError("give one or more .eml files, or --eval")
    from classifiers import classify
    from helpdesk.intake import UnreadableMail, parse

    for path in files:
        try:
            inbound = parse(path.read_bytes(), own_domain=app.config.message_id_domain)
            result: dict[str, Any] = {"file": str(path), **classify(inbound.subject, inbound.text).to_json()}
        except UnreadableMail as error:
            result = {
                "file": str(path), "is_request": False, "kinds": [], "language": "other",
                "possible": True, "evidence": [], "error": str(error),
            }  # fmt: skip
        if as_json:
            click.echo(json.dumps(result, ensure_ascii=False))
        else:
            kinds = ", ".join(result["kinds"]) or (
                "possible request" if result["possible"] else "not a request"
            )
            click.echo(f"{path}: {kinds} [{result['language']}]")


@main.command("train")
@click.option(
    "--seed", type=int, default=None, help="Random seed (default: the fixed one, for identical models)."
)
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the pipelines (default: inside the package, classifiers/model).",
)
@friendly_errors
def train_command(seed: int | None, output: Path | None) -> None:
    """Train the classifier on the train split of tests/fixtures/emails (reproducible)."""
    import time

    from classifiers.model import MODEL_DIR
    from classifiers.train import SEED, train
    from helpdesk.corpus import labelled_texts

    started = time.perf_counter()
    examples = labelled_texts("train")
    counts = train(examples, output or MODEL_DIR, seed=SEED if seed is None else seed)
    click.echo(
        f"trained on {len(examples)} mails ({counts['nl']} Dutch, {counts['en']} English and other)"
        f" in {time.perf_counter() - started:.1f} s; written to {output or MODEL_DIR}"
    )


# -- demo ----------------------------------------------------------------------------------------


@main.command()
@pass_app
@friendly_errors
def demo(app: App) -> None:
    """Load sample customers and mails into the local Maildir, run one pass, show the result."""
    from helpdesk.demo import run_demo

    run_demo(app, console)


if __name__ == "__main__":
    main()
