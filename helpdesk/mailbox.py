"""The mailbox: the wire only. Opens a folder read-only and yields raw mails; never parses.

Humans read this mailbox too, so the rules are strict (see notes/email-ingestion-pitfalls.md):
the folder is opened with EXAMINE, mail is fetched with BODY.PEEK[] by UID, nothing is ever
flagged, moved, deleted or expunged, and \\Seen is never used to tell what is new: the
database keeps UIDVALIDITY and the last UID handled.
"""

from __future__ import annotations

import contextlib
import mailbox as stdlib_mailbox
import os
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Protocol, Self

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from helpdesk.config import Config, Endpoint, mailbox_endpoint, secret
from helpdesk.errors import MailboxUnavailable

FETCH_CHUNK = 50  # UIDs per FETCH: bounded memory however large the backlog


@dataclass(frozen=True)
class RawMail:
    """One mail as the server holds it; `source_key` is unique within (mailbox, uidvalidity)."""

    mailbox: str
    uidvalidity: int
    source_key: str
    uid: int | None
    received_at: datetime  # the server's INTERNALDATE (Maildir: delivery time), aware UTC
    raw: bytes


@dataclass(frozen=True)
class Position:
    """What the database knows of a folder: None for uidvalidity means first contact."""

    uidvalidity: int | None
    last_uid: int


class Mailbox(Protocol):
    """A folder we read. `uidvalidity` and `highest_uid` are known once the mailbox is open."""

    name: str
    uidvalidity: int
    highest_uid: int  # the highest UID that existed when the folder was opened (0: no UIDs)

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...

    def keys_since(self, position: Position, since: date) -> list[str]:
        """Source keys of the mails to look at, oldest first; `since` bounds the first contact."""
        ...

    def fetch(self, keys: list[str]) -> Iterator[RawMail]:
        """The raw mails for `keys`, without changing anything on the server."""
        ...

    def wait_for_news(self, seconds: float, stop: threading.Event) -> None:
        """Return when new mail may have come, after `seconds` at most, or as soon as `stop` is set."""
        ...


# RFC 2177: a server may end an IDLE after 30 minutes of silence (Dovecot, Gmail: 29); re-issue before.
IDLE_LIMIT_SECONDS = 25 * 60


class ImapMailbox:
    """An IMAP folder opened read-only (EXAMINE); UIDs only, BODY.PEEK[] only."""

    def __init__(self, endpoint: Endpoint, password: str, timeout: float) -> None:
        self.endpoint = endpoint
        self.password = password
        self.timeout = timeout
        self.name = f"imap://{endpoint.username}@{endpoint.host}:{endpoint.port}/{endpoint.folder}"
        self.uidvalidity = 0
        self.highest_uid = 0
        self.client: IMAPClient | None = None

    def __enter__(self) -> Self:
        try:
            self.client = self._connect()
            status = self.client.select_folder(self.endpoint.folder, readonly=True)
        except (OSError, IMAPClientError) as error:
            self.__exit__()
            raise MailboxUnavailable(f"cannot open {self.name}: {error}") from error
        self.uidvalidity = int(status[b"UIDVALIDITY"])
        self.highest_uid = int(status.get(b"UIDNEXT", 1)) - 1
        return self

    def _connect(self) -> IMAPClient:
        endpoint = self.endpoint
        context = ssl.create_default_context()
        client = IMAPClient(
            endpoint.host,
            port=endpoint.port,
            ssl=endpoint.scheme == "imaps",
            ssl_context=context,
            timeout=self.timeout,
        )
        client.normalise_times = False
        if endpoint.scheme == "imap":
            if b"STARTTLS" in client.capabilities():
                client.starttls(context)
            elif not endpoint.is_loopback:
                client.logout()
                raise MailboxUnavailable(
                    f"{endpoint.host} offers no STARTTLS; a password is sent in clear only on loopback."
                    " Use imaps:// instead"
                )
        client.login(endpoint.username, self.password)
        return client

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            # The connection may be gone already; nothing on the server depends on a clean logout.
            with contextlib.suppress(OSError, IMAPClientError):
                self.client.logout()
            self.client = None

    def wait_for_news(self, seconds: float, stop: threading.Event) -> None:
        """IDLE where the server offers it, else a plain wait (the next pass polls)."""
        assert self.client is not None
        try:
            if self.client.has_capability("IDLE"):
                _idle_until_news(self.client, seconds, stop)
                return
        except (OSError, IMAPClientError) as error:
            raise MailboxUnavailable(f"waiting on {self.name}: {error}") from error
        stop.wait(seconds)

    def keys_since(self, position: Position, since: date) -> list[str]:
        assert self.client is not None
        try:
            if position.uidvalidity == self.uidvalidity:
                uids = self.client.search(["UID", f"{position.last_uid + 1}:*"])
                # "n:*" always matches the highest UID, even when it is below n.
                uids = [uid for uid in uids if uid > position.last_uid]
            else:
                uids = self.client.search(["SINCE", since])
        except (OSError, IMAPClientError) as error:
            raise MailboxUnavailable(f"search in {self.name} failed: {error}") from error
        return [str(uid) for uid in sorted(uids)]

    def fetch(self, keys: list[str]) -> Iterator[RawMail]:
        assert self.client is not None
        for start in range(0, len(keys), FETCH_CHUNK):
            chunk = [int(key) for key in keys[start : start + FETCH_CHUNK]]
            try:
                response = self.client.fetch(chunk, ["BODY.PEEK[]", "INTERNALDATE"])
            except (OSError, IMAPClientError) as error:
                raise MailboxUnavailable(f"fetch from {self.name} failed: {error}") from error
            for uid in chunk:
                data = response.get(uid) or {}
                body = data.get(b"BODY[]")
                if body is None:
                    # Expunged by someone else between SEARCH and FETCH: Dovecot answers with
                    # BODY[] NIL (and INTERNALDATE 1970). There is nothing left to read.
                    continue
                yield RawMail(
                    mailbox=self.name,
                    uidvalidity=self.uidvalidity,
                    source_key=str(uid),
                    uid=uid,
                    received_at=_aware(data[b"INTERNALDATE"]),
                    raw=bytes(body),
                )


def _idle_until_news(client: IMAPClient, seconds: float, stop: threading.Event) -> None:
    """IMAP IDLE: the server tells us of new mail at once, instead of us asking every minute."""
    until = time.monotonic() + min(seconds, IDLE_LIMIT_SECONDS)
    client.idle()
    try:
        while not stop.is_set() and time.monotonic() < until:
            # Short checks, so that SIGTERM is honoured within a second.
            responses = client.idle_check(timeout=min(1.0, max(0.0, until - time.monotonic())))
            if any(len(item) > 1 and item[1] in (b"EXISTS", b"RECENT") for item in responses):
                return
    finally:
        client.idle_done()


def _aware(value: datetime) -> datetime:
    # normalise_times is off, so INTERNALDATE keeps the server's zone; naive only if the server sent none.
    return value.astimezone(UTC)


class MaildirMailbox:
    """A local Maildir, read without moving mail from new/ to cur/ or touching flags."""

    uidvalidity = 0  # Maildir keys never change meaning, so there is no validity to track
    highest_uid = 0

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = f"maildir:{path.resolve()}"

    def __enter__(self) -> Self:
        if not (self.path / "cur").is_dir() or not (self.path / "new").is_dir():
            raise MailboxUnavailable(f"{self.path} is not a Maildir (it needs cur/ and new/)")
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def wait_for_news(self, seconds: float, stop: threading.Event) -> None:
        stop.wait(seconds)  # a local folder is cheap to look at: the next pass simply looks

    def keys_since(self, position: Position, since: date) -> list[str]:
        # Maildir keys carry no order to keep a high-water mark of: every pass lists the keys
        # delivered inside the window (which counts back from the first contact), and the
        # pipeline skips the ones it stored before.
        threshold = datetime.combine(since, datetime.min.time(), UTC)
        keyed = sorted((_delivered(file), key) for key, file in self._files().items())
        return [key for delivered, key in keyed if delivered >= threshold]

    def fetch(self, keys: list[str]) -> Iterator[RawMail]:
        files = self._files()
        for key in keys:
            file = files.get(key)
            if file is None:
                continue  # removed by someone else meanwhile
            try:
                raw = file.read_bytes()
            except FileNotFoundError:
                continue  # moved to cur/ by a mail client between listing and reading
            yield RawMail(
                mailbox=self.name,
                uidvalidity=self.uidvalidity,
                source_key=key,
                uid=None,
                received_at=_delivered(file),
                raw=raw,
            )

    def _files(self) -> dict[str, Path]:
        # A Maildir file is named KEY (in new/) or KEY:2,FLAGS (in cur/); the key never changes.
        return {
            file.name.split(":", 1)[0]: file
            for sub in ("new", "cur")
            for file in (self.path / sub).iterdir()
            if file.is_file() and not file.name.startswith(".")
        }


def _delivered(file: Path) -> datetime:
    return datetime.fromtimestamp(file.stat().st_mtime, UTC)


def open_mailbox(config: Config) -> Mailbox:
    """The mailbox the configuration names (not yet opened: use it in a `with`)."""
    endpoint = mailbox_endpoint(config)
    if endpoint.scheme == "maildir":
        assert endpoint.path is not None
        return MaildirMailbox(endpoint.path)
    password = secret(config.mailbox.password_env, "mailbox.password_env", required=True) or ""
    return ImapMailbox(endpoint, password, timeout=config.mailbox.timeout_seconds)


def deliver_to_maildir(path: Path, raw: bytes, when: datetime | None = None) -> str:
    """Put a mail into a local Maildir's new/ as an MTA would (used by the demo and tests)."""
    key = stdlib_mailbox.Maildir(path, create=True).add(raw)
    if when is not None:
        file = path / "new" / key
        os.utime(file, (when.timestamp(), when.timestamp()))
    return key
