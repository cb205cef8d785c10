"""Configuration: one TOML file, declared once here with defaults and help.

Every key is a dataclass field whose metadata carries its help text; `helpdesk config check`,
`helpdesk config show` and the README's reference all come from these declarations. Secrets
never sit in the file: a `password_env` key names the environment variable that holds them.
With no file at all the embedded defaults run everything locally under ./var.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from email.utils import parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from helpdesk.errors import ConfigError

CONFIG_ENV = "HELPDESK_CONFIG"


def _key(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class OrganisationConfig:
    name: str = _key("MOM Gemstone", "The shop's name, used in replies.")
    address: str = _key("info@momgemstone.nl", "The mailbox the requests arrive in; replies come from it.")
    privacy_contact: str = _key(
        "Linda de Boer <privacy@momgemstone.nl>",
        "Who approves drafts and gets reminders and the digest.",
    )
    timezone: str = _key("Europe/Amsterdam", "Time zone for deadlines and days left.")
    message_id_domain: str = _key(
        "", "Domain in the Message-IDs of our own mail (default: the domain of `address`)."
    )


@dataclass(frozen=True)
class MailboxConfig:
    url: str = _key(
        "maildir:var/mail",
        "imaps://user@host:993/INBOX (TLS), imap://user@host:143/INBOX (STARTTLS when offered;"
        " plain only on loopback) or maildir:PATH.",
    )
    password_env: str = _key("HELPDESK_IMAP_PASSWORD", "Environment variable with the IMAP password.")
    trusted_authserv_id: str = _key(
        "",
        "authserv-id whose Authentication-Results headers are believed (e.g. mx.momgemstone.nl).",
    )
    first_run_days: int = _key(
        30,
        "On first contact with a mailbox, read mail of the last N days only (never years of it).",
    )
    poll_seconds: int = _key(60, "Seconds between two looks at the mailbox in `helpdesk run`.")
    timeout_seconds: int = _key(30, "Network timeout for every IMAP operation.")


@dataclass(frozen=True)
class SmtpConfig:
    url: str = _key(
        "folder:var/outbox",
        "smtps://user@host:465 (TLS), smtp://host:587 (STARTTLS when offered) or folder:PATH"
        " (write .eml files instead of sending).",
    )
    password_env: str = _key(
        "HELPDESK_SMTP_PASSWORD", "Environment variable with the SMTP password (optional)."
    )
    timeout_seconds: int = _key(30, "Network timeout for one SMTP conversation.")


@dataclass(frozen=True)
class DatabaseConfig:
    url: str = _key(
        "sqlite:///var/helpdesk.sqlite3",
        "Any SQLAlchemy URL, e.g. postgresql+psycopg://helpdesk@localhost/helpdesk.",
    )


@dataclass(frozen=True)
class RetentionConfig:
    profile_days: int = _key(
        730,
        "A customer with no contact or order for this many days is anonymised (the policy: two years).",
    )
    mail_text_days: int = _key(
        180,
        "Mail text of closed requests, and of mail that was no request, is purged after this many days.",
    )


@dataclass(frozen=True)
class DigestConfig:
    language: str = _key("nl", "Language of the weekly digest to the privacy contact: nl or en.")
    weekday: str = _key("monday", "Day the weekly digest is sent (monday ... sunday).")
    time: str = _key("08:00", "Time (HH:MM, organisation.timezone) the weekly digest is sent.")
    new_drafts: str = _key(
        "immediately",
        "Tell the privacy contact of new drafts: immediately (a short mail), or digest (only there).",
    )


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


DATA_CATEGORIES = ("name", "address", "email", "phone", "orders", "payment", "newsletter", "reviews", "usage")
INFORMED_OF = ("rectification", "erasure", "restriction")  # GDPR art. 19: who must be told


@dataclass(frozen=True)
class Processor:
    """One entry of the processors register: who holds which data, why, how long, and what to tell them."""

    name: str
    service_nl: str
    service_en: str
    categories: tuple[str, ...]
    purpose_nl: str
    purpose_en: str
    retention_nl: str
    retention_en: str
    informed_of: tuple[str, ...] = INFORMED_OF


_EVERYTHING = INFORMED_OF
DEFAULT_PROCESSORS = (  # from the privacy policy (../shared/policy/privacybeleid.txt)
    Processor(
        "MyOnlineStore / MijnWebwinkel",
        "webwinkelsoftware, hosting en e-mail", "shop software, hosting and e-mail",
        ("name", "address", "email", "phone", "orders"),
        "uw bestellingen afhandelen en de webwinkel laten werken",
        "handling your orders and running the shop",
        "zolang u klant bent, tot twee jaar na uw laatste contact of bestelling",
        "while you are a customer, up to two years after your last contact or order",
        _EVERYTHING,
    ),
    Processor(
        "MailChimp", "nieuwsbrief", "newsletter", ("name", "email", "newsletter"),
        "de nieuwsbrief versturen, alleen als u zich daarvoor heeft aangemeld",
        "sending the newsletter, only if you signed up for it",
        "tot u zich afmeldt", "until you unsubscribe", _EVERYTHING,
    ),
    Processor(
        "Mollie", "betalingen", "payments", ("name", "address", "payment"),
        "uw betalingen afhandelen", "handling your payments",
        "zolang de wettelijke termijnen voorschrijven", "as long as the statutory periods require",
        _EVERYTHING,
    ),
    Processor(
        "PostNL", "verzending", "shipping", ("name", "address"),
        "uw pakketten bezorgen", "delivering your parcels",
        "zolang nodig voor de bezorging", "as long as the delivery needs", _EVERYTHING,
    ),
    Processor(
        "E-boekhouden", "boekhouding", "accounting", ("name", "address", "orders"),
        "verkoopfacturen administreren", "keeping the sales invoices",
        "zeven jaar (wettelijke bewaarplicht voor facturen)", "seven years (statutory retention of invoices)",
        ("rectification", "restriction"),
    ),
    Processor(
        "WebwinkelKeur", "reviews", "reviews", ("name", "email", "reviews"),
        "u uitnodigen voor een review en reviews aan bestellingen koppelen",
        "inviting you to review an order and linking reviews to orders",
        "zolang uw review online staat", "as long as your review is published", _EVERYTHING,
    ),
    Processor(
        "Google Analytics", "websitestatistieken", "website statistics", ("usage",),
        "bijhouden hoe bezoekers de website gebruiken (geen persoonsgegevens)",
        "measuring how visitors use the website (no personal data)",
        "volgens de instellingen van Google Analytics", "as set in Google Analytics", (),
    ),
)  # fmt: skip


@dataclass(frozen=True)
class Config:
    organisation: OrganisationConfig = field(default_factory=OrganisationConfig)
    mailbox: MailboxConfig = field(default_factory=MailboxConfig)
    smtp: SmtpConfig = field(default_factory=SmtpConfig)
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    retention: RetentionConfig = field(default_factory=RetentionConfig)
    digest: DigestConfig = field(default_factory=DigestConfig)
    processors: tuple[Processor, ...] = DEFAULT_PROCESSORS
    source: str = "embedded defaults"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.organisation.timezone)

    @property
    def message_id_domain(self) -> str:
        if self.organisation.message_id_domain:
            return self.organisation.message_id_domain
        return parseaddr(self.organisation.address)[1].rpartition("@")[2] or "localhost"


SECTIONS: dict[str, type] = {
    "organisation": OrganisationConfig,
    "mailbox": MailboxConfig,
    "smtp": SmtpConfig,
    "database": DatabaseConfig,
    "retention": RetentionConfig,
    "digest": DigestConfig,
}


def load_config(path: str | Path | None = None) -> Config:
    """Read the TOML file at `path` (or $HELPDESK_CONFIG); no file at all means the defaults."""
    origin = ""
    if path is None:
        path = os.environ.get(CONFIG_ENV) or None
        origin = f" (named by ${CONFIG_ENV})"
    if path is None:
        return Config()
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"configuration file {path}{origin} does not exist", fix="give an existing file"
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML: {error}", fix="correct the TOML syntax") from None
    config = _from_mapping(data, source=str(path))
    validate(config)
    return config


def _from_mapping(data: dict[str, Any], source: str) -> Config:
    sections: dict[str, Any] = {}
    for name, value in data.items():
        if name == "processors":
            sections[name] = _processors(value)
            continue
        if name not in SECTIONS:
            raise ConfigError(
                f"unknown section [{name}]",
                fix=f"use one of {', '.join(f'[{s}]' for s in SECTIONS)} or [[processors]]",
            )
        if not isinstance(value, dict):
            raise ConfigError(f"[{name}] must be a table", fix=f"write it as a [{name}] section")
        sections[name] = _section(name, SECTIONS[name], value)
    return Config(**sections, source=source)


def _section(name: str, cls: type, values: dict[str, Any]) -> Any:
    declared = {f.name: f for f in fields(cls)}
    for key, value in values.items():
        if key not in declared:
            raise ConfigError(
                f"unknown key {name}.{key}",
                fix=f"keys of [{name}] are: {', '.join(declared)}",
            )
        expected = type(declared[key].default)
        if expected is int and (not isinstance(value, int) or isinstance(value, bool)):
            raise ConfigError(
                f"{name}.{key} must be a whole number, not {value!r}",
                fix=f"e.g. {key} = {declared[key].default}",
            )
        if expected is str and not isinstance(value, str):
            raise ConfigError(
                f"{name}.{key} must be a string, not {value!r}",
                fix=f'put it in quotes: {key} = "{value}"',
            )
    return cls(**values)


def _processors(entries: Any) -> tuple[Processor, ...]:
    """[[processors]] tables: the whole register, replacing the embedded one."""
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise ConfigError(
            "processors must be a list of tables", fix="write each one as a [[processors]] table"
        )
    declared = {f.name: f for f in fields(Processor)}
    register = []
    for number, entry in enumerate(entries, start=1):
        where = f"processors #{number} ({entry.get('name', 'no name')})"
        unknown = [key for key in entry if key not in declared]
        if unknown:
            raise ConfigError(
                f"unknown key {', '.join(unknown)} in {where}", fix=f"keys are: {', '.join(declared)}"
            )
        missing = [key for key in ("name", "categories", "purpose_nl") if not entry.get(key)]
        if missing:
            raise ConfigError(
                f"{where} lacks {', '.join(missing)}", fix="give every processor at least these"
            )
        for key, allowed in (("categories", DATA_CATEGORIES), ("informed_of", INFORMED_OF)):
            values = entry.get(key, [])
            if not isinstance(values, list) or any(value not in allowed for value in values):
                raise ConfigError(
                    f"{where}: {key} must be a list drawn from {', '.join(allowed)}, not {values!r}",
                    fix=f'e.g. {key} = ["{allowed[0]}"]',
                )
        text = {key: str(entry.get(key, "")) for key in declared if key not in ("categories", "informed_of")}
        for language in ("nl", "en"):  # each text falls back to the other language
            for stem in ("service", "purpose", "retention"):
                other = "en" if language == "nl" else "nl"
                text[f"{stem}_{language}"] = text[f"{stem}_{language}"] or text[f"{stem}_{other}"]
        register.append(
            Processor(
                **text,
                categories=tuple(entry["categories"]),
                informed_of=tuple(entry.get("informed_of", INFORMED_OF)),
            )
        )
    return tuple(register)


def validate(config: Config) -> None:
    """Check the values themselves; raise ConfigError naming the key and the fix."""
    org = config.organisation
    if "@" not in parseaddr(org.address)[1]:
        raise ConfigError(
            f"organisation.address {org.address!r} is not an e-mail address",
            fix='e.g. address = "info@momgemstone.nl"',
        )
    if "@" not in parseaddr(org.privacy_contact)[1]:
        raise ConfigError(
            f"organisation.privacy_contact {org.privacy_contact!r} has no e-mail address",
            fix='e.g. privacy_contact = "Linda de Boer <privacy@momgemstone.nl>"',
        )
    try:
        ZoneInfo(org.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"organisation.timezone {org.timezone!r} is not a known time zone",
            fix='e.g. timezone = "Europe/Amsterdam"',
        ) from None

    mailbox_endpoint(config)  # raises for a bad mailbox.url
    if config.mailbox.first_run_days < 0:
        raise ConfigError("mailbox.first_run_days must not be negative", fix="e.g. first_run_days = 30")
    if config.mailbox.poll_seconds < 1:
        raise ConfigError("mailbox.poll_seconds must be at least 1", fix="e.g. poll_seconds = 60")
    smtp_endpoint(config)  # raises for a bad smtp.url
    digest = config.digest
    if digest.language not in ("nl", "en"):
        raise ConfigError(f"digest.language {digest.language!r} is not nl or en", fix='language = "nl"')
    if digest.weekday.lower() not in WEEKDAYS:
        raise ConfigError(f"digest.weekday {digest.weekday!r} is not a day", fix='weekday = "monday"')
    if digest.new_drafts not in ("immediately", "digest"):
        raise ConfigError(
            f"digest.new_drafts {digest.new_drafts!r}", fix='new_drafts = "immediately" or "digest"'
        )
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", digest.time):
        raise ConfigError(f"digest.time {digest.time!r} is not HH:MM", fix='time = "08:00"')
    for key in ("profile_days", "mail_text_days"):
        if getattr(config.retention, key) < 1:
            raise ConfigError(f"retention.{key} must be at least 1 day", fix=f"e.g. {key} = 730")
    try:
        make_url(config.database.url)
    except ArgumentError:
        raise ConfigError(
            f"database.url {config.database.url!r} is not an SQLAlchemy URL",
            fix='e.g. url = "sqlite:///var/helpdesk.sqlite3"',
        ) from None


@dataclass(frozen=True)
class Endpoint:
    """A parsed mailbox or SMTP address: where to connect and as whom."""

    scheme: str
    host: str = ""
    port: int = 0
    username: str = ""
    folder: str = ""
    path: Path | None = None

    @property
    def is_loopback(self) -> bool:
        return self.host in {"127.0.0.1", "::1", "localhost"} or self.host.startswith("127.")


def mailbox_endpoint(config: Config) -> Endpoint:
    """Parse mailbox.url into an Endpoint; a bad URL raises ConfigError naming the key."""
    return _endpoint(
        "mailbox.url",
        config.mailbox.url,
        local="maildir",
        default_ports={"imaps": 993, "imap": 143},
        fix="use imaps://user@host/INBOX, imap://user@host:143/INBOX or maildir:/path/to/Maildir",
    )


def smtp_endpoint(config: Config) -> Endpoint:
    """Parse smtp.url into an Endpoint; a bad URL raises ConfigError naming the key."""
    return _endpoint(
        "smtp.url",
        config.smtp.url,
        local="folder",
        default_ports={"smtps": 465, "smtp": 587},
        fix="use smtps://user@host:465, smtp://host:587 or folder:/path/to/outbox",
    )


def _endpoint(key: str, url: str, local: str, default_ports: dict[str, int], fix: str) -> Endpoint:
    if url.startswith(f"{local}:"):
        return Endpoint(scheme=local, path=Path(url.removeprefix(f"{local}:")), folder="INBOX")
    parts = urlsplit(url)
    if parts.scheme not in default_ports or not parts.hostname:
        raise ConfigError(f"{key} {url!r} is not a {' or '.join(default_ports)} or {local}: address", fix=fix)
    if parts.password is not None:
        section = key.split(".")[0]
        raise ConfigError(
            f"{key} holds a password",
            fix=f"take it out of the URL; put it in the variable that {section}.password_env names",
        )
    try:
        port = parts.port or default_ports[parts.scheme]
    except ValueError:
        raise ConfigError(f"{key} {url!r} has a bad port", fix="use a number, e.g. :993") from None
    return Endpoint(
        scheme=parts.scheme,
        host=parts.hostname,
        port=port,
        username=unquote(parts.username or ""),
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
    )


def secret(env_name: str, key: str, required: bool) -> str | None:
    """The value of the environment variable a `*_env` key names."""
    value = os.environ.get(env_name) or None  # an empty password is a missing one (a typo in secrets.env)
    if value is None and required:
        raise ConfigError(
            f"the environment variable {env_name} (named by {key}) is not set or empty",
            fix=f"export {env_name}=... before starting, or name another variable in {key}",
        )
    return value


def mask_password(value: str) -> str:
    """`scheme://user:secret@host` -> `scheme://user:***@host`: a pasted password is never shown."""
    return re.sub(r"(://[^/:@]*):[^/@]*@", r"\1:***@", value)


def describe(config: Config) -> list[tuple[str, str, str]]:
    """(key, value, help) for every key: the effective configuration, secrets never shown."""
    rows = []
    for section_name, cls in SECTIONS.items():
        section = getattr(config, section_name)
        for f in fields(cls):
            value = mask_password(str(getattr(section, f.name)))
            rows.append((f"{section_name}.{f.name}", value, f.metadata["help"]))
    rows.append(
        (
            "processors",
            "; ".join(p.name for p in config.processors),
            "The processors register ([[processors]] tables): named in access answers, told of changes.",
        )
    )
    return rows
