"""Real mail servers on loopback for the integration tests.

* ``running_dovecot(workdir)`` starts a private Dovecot IMAP server (no TLS, one mailbox user)
  and yields a :class:`DovecotServer` with small helpers that act like *another* mail client:
  append mail, look at flags without changing them, set flags, expunge.
* ``running_smtp_sink()`` starts an aiosmtpd SMTP server that keeps every message it receives
  in memory, optionally requiring AUTH.

Nothing here depends on pytest; ``conftest.py`` wraps these in fixtures.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from imapclient import IMAPClient

LOOPBACK = "127.0.0.1"
MAILBOX_USER = "info@momgemstone.nl"
IMAP_TIMEOUT = 10.0
START_TIMEOUT = 10.0
STOP_TIMEOUT = 5.0

# Dovecot refuses uid 0 for mail users, so mail is stored as Debian's `mail` user.
MAIL_SYSTEM_USER = "mail"
# Dovecot's own unprivileged users (created by the Debian package).
DOVECOT_SYSTEM_USERS = ("dovecot", "dovenull")


def free_port(host: str = LOOPBACK) -> int:
    """A TCP port that was free a moment ago (bind to port 0 and let the kernel choose)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


# --------------------------------------------------------------------------------------------
# Dovecot
# --------------------------------------------------------------------------------------------


class DovecotUnavailable(Exception):
    """Dovecot could not be started here; the message says why."""


@dataclass
class DovecotServer:
    """A running Dovecot with one mailbox user; the helpers each use their own connection."""

    port: int
    password: str
    root: Path
    host: str = LOOPBACK
    user: str = MAILBOX_USER

    def url(self, folder: str = "INBOX") -> str:
        """E.g. ``imap://info%40momgemstone.nl@127.0.0.1:PORT/INBOX`` (no password in it)."""
        return f"imap://{quote(self.user, safe='')}@{self.host}:{self.port}/{quote(folder)}"

    def client(self) -> IMAPClient:
        """A new logged-in plain-text connection; the caller logs out (or uses ``with``)."""
        client = IMAPClient(self.host, port=self.port, ssl=False, timeout=IMAP_TIMEOUT)
        try:
            client.login(self.user, self.password)
        except Exception:
            client.shutdown()
            raise
        return client

    def append(
        self,
        raw: bytes,
        folder: str = "INBOX",
        flags: Iterable[bytes | str] = (),
        msg_time: datetime | None = None,
    ) -> int:
        """APPEND one message and return its UID."""
        with self.client() as client:
            response = client.append(folder, raw, flags=tuple(flags), msg_time=msg_time)
            match = re.search(rb"\[APPENDUID \d+ (\d+)\]", _as_bytes(response))
            if match:
                return int(match.group(1))
            # Server without UIDPLUS: the newest UID in the folder is ours (no other writers).
            client.select_folder(folder, readonly=True)
            return int(max(client.search("ALL")))

    def snapshot(self, folder: str = "INBOX") -> dict[int, frozenset[bytes]]:
        """UID -> flags, read with EXAMINE so that taking a snapshot changes nothing.

        ``\\Recent`` is left out: it depends on which session looks, not on the message.
        """
        with self.client() as client:
            client.select_folder(folder, readonly=True)
            # imapclient 4.1 cannot fetch "1:*" (it filters the reply by int(message id)).
            uids = client.search("ALL")
            if not uids:
                return {}
            fetched = client.fetch(uids, ["FLAGS"])
            return {
                int(uid): frozenset(_as_bytes(flag) for flag in data[b"FLAGS"]) - {b"\\Recent"}
                for uid, data in fetched.items()
            }

    def uidvalidity(self, folder: str = "INBOX") -> int:
        """The folder's UIDVALIDITY (its creation time: read it, never hard-code it)."""
        with self.client() as client:
            return int(client.folder_status(folder, [b"UIDVALIDITY"])[b"UIDVALIDITY"])

    def set_flags(
        self,
        uids: Iterable[int],
        flags: Iterable[bytes | str],
        folder: str = "INBOX",
        *,
        replace: bool = False,
    ) -> None:
        """Add flags (e.g. ``\\Seen``) as a person in a mail program would.

        With ``replace=True`` the messages end up with exactly ``flags``.
        """
        with self.client() as client:
            client.select_folder(folder)
            if replace:
                client.set_flags(list(uids), list(flags))
            else:
                client.add_flags(list(uids), list(flags))

    def clear_flags(self, uids: Iterable[int], flags: Iterable[bytes | str], folder: str = "INBOX") -> None:
        """Remove flags, e.g. mark as unread again."""
        with self.client() as client:
            client.select_folder(folder)
            client.remove_flags(list(uids), list(flags))

    def create_folder(self, name: str) -> None:
        with self.client() as client:
            client.create_folder(name)

    def expunge_uids(self, uids: Iterable[int], folder: str = "INBOX") -> None:
        """Delete and expunge just these UIDs, as another client would (renumbers the rest)."""
        uid_list = list(uids)
        with self.client() as client:
            client.select_folder(folder)
            client.delete_messages(uid_list)
            client.uid_expunge(uid_list)


def _as_bytes(value: bytes | str) -> bytes:
    return value if isinstance(value, bytes) else value.encode()


def _dovecot_binary() -> str:
    search_path = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/usr/local/sbin"])
    binary = shutil.which("dovecot", path=search_path)
    if binary is None:
        raise DovecotUnavailable("dovecot binary not found (apt-get install dovecot-imapd)")
    return binary


def _system_uid_gid(name: str) -> tuple[int, int]:
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        raise DovecotUnavailable(f"system user {name!r} does not exist") from None
    return entry.pw_uid, entry.pw_gid


def _make_traversable(path: Path) -> None:
    """Let Dovecot's unprivileged processes reach ``path``.

    pytest's tmp_path and mkdtemp directories are 0700. Add only the search (x) bits for group
    and others on ``path`` and each parent, and never take bits away (``/tmp`` keeps 1777).
    """
    for directory in [path, *path.parents]:
        mode = directory.stat().st_mode
        wanted = mode | stat.S_IXGRP | stat.S_IXOTH
        if wanted != mode:
            directory.chmod(stat.S_IMODE(wanted))


def _dovecot_conf(workdir: Path, mail_root: Path, passwd_file: Path, port: int, uid: int) -> str:
    return f"""\
# Written by tests/integration/servers.py: a private Dovecot for one test.
protocols = imap
listen = {LOOPBACK}
base_dir = {workdir / "run"}
state_dir = {workdir / "state"}
log_path = {workdir / "dovecot.log"}
info_log_path = {workdir / "dovecot.log"}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
first_valid_uid = {uid}
mail_location = maildir:{mail_root}/%u

passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {passwd_file}
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {passwd_file}
}}

service imap-login {{
  inet_listener imap {{
    address = {LOOPBACK}
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


def _log_tail(*paths: Path, lines: int = 30) -> str:
    parts = []
    for path in paths:
        try:
            text = path.read_text(errors="replace").strip()
        except FileNotFoundError:
            continue
        if text:
            parts.append(f"--- {path.name} ---\n" + "\n".join(text.splitlines()[-lines:]))
    return "\n".join(parts) or "(no log output)"


def _imap_greeting(host: str, port: int) -> bytes | None:
    """The server's first line, or None if the port does not accept connections yet."""
    try:
        with socket.create_connection((host, port), timeout=1.0) as sock:
            return sock.recv(1024)
    except OSError:
        return None


def _group_members(pgid: int) -> dict[int, str]:
    """Live (non-zombie) processes in process group ``pgid``: pid -> command name."""
    members = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat_line = (entry / "stat").read_text()
        except OSError:  # exited meanwhile
            continue
        name = stat_line[stat_line.index("(") + 1 : stat_line.rindex(")")]
        state, _ppid, group = stat_line[stat_line.rindex(")") + 2 :].split()[:3]
        if int(group) == pgid and state != "Z":
            members[int(entry.name)] = name
    return members


def _stop_process(process: subprocess.Popen[bytes], fast: bool = True) -> None:
    """SIGTERM the Dovecot master, which stops its children; SIGKILL the group if it hangs.

    On SIGTERM the master stops every child except its log process, then sleeps a fixed
    second so that listener sockets are closed before a restart on the same port
    (services_monitor_wait_and_kill in Dovecot 2.3). Each test uses a new port and directory,
    so with ``fast`` the group is killed as soon as only the master and ``log`` are left:
    all IMAP sessions have ended by then. This saves ~1 s per Dovecot test.
    """
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        while process.poll() is None and time.monotonic() < deadline:
            if fast and set(_group_members(process.pid).values()) <= {"dovecot", "log"}:
                break
            time.sleep(0.01)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=STOP_TIMEOUT)
    # The master runs in its own process group; make sure no child outlives it.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def _start_process(
    binary: str, conf: Path, console_log: Path, log: Path, port: int
) -> subprocess.Popen[bytes]:
    """Start ``dovecot -F`` and wait for its IMAP greeting; raise DovecotUnavailable if none."""
    with console_log.open("ab") as console:
        process = subprocess.Popen(
            [binary, "-F", "-c", str(conf)],
            stdin=subprocess.DEVNULL,
            stdout=console,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise DovecotUnavailable(
                f"dovecot exited with status {process.returncode} while starting\n"
                + _log_tail(console_log, log)
            )
        greeting = _imap_greeting(LOOPBACK, port)
        if greeting and greeting.startswith(b"* OK"):
            return process
        time.sleep(0.02)
    _stop_process(process)
    raise DovecotUnavailable(
        f"dovecot did not greet on {LOOPBACK}:{port} within {START_TIMEOUT:.0f} s\n"
        + _log_tail(console_log, log)
    )


@contextlib.contextmanager
def running_dovecot(workdir: Path, *, fast_stop: bool = True) -> Iterator[DovecotServer]:
    """Run a private Dovecot with its config, logs and mail under ``workdir``.

    Needs root (Dovecot drops to its own users). ``workdir`` may be a pytest ``tmp_path``.
    Config: ``workdir/dovecot.conf``; logs: ``workdir/dovecot.log`` and ``dovecot.console.log``;
    mail: ``workdir/mail/<user>/`` (Maildir). ``fast_stop=False`` waits for Dovecot's full
    shutdown (~1 s longer); see ``_stop_process``.
    """
    binary = _dovecot_binary()
    if os.geteuid() != 0:
        raise DovecotUnavailable("starting Dovecot needs root (it switches to its own users)")
    mail_uid, mail_gid = _system_uid_gid(MAIL_SYSTEM_USER)
    for name in DOVECOT_SYSTEM_USERS:
        _system_uid_gid(name)

    workdir = workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    _make_traversable(workdir)
    mail_root = workdir / "mail"
    mail_root.mkdir(exist_ok=True)
    os.chown(mail_root, mail_uid, mail_gid)

    password = secrets.token_hex(8)
    passwd_file = workdir / "passwd"
    home = mail_root / MAILBOX_USER
    passwd_file.write_text(f"{MAILBOX_USER}:{{PLAIN}}{password}:{mail_uid}:{mail_gid}::{home}::\n")
    passwd_file.chmod(0o644)  # read by Dovecot's auth process, which is not root

    conf = workdir / "dovecot.conf"
    log = workdir / "dovecot.log"
    console_log = workdir / "dovecot.console.log"
    process: subprocess.Popen[bytes] | None = None
    for attempt in range(3):
        port = free_port()
        conf.write_text(_dovecot_conf(workdir, mail_root, passwd_file, port, mail_uid))
        try:
            process = _start_process(binary, conf, console_log, log, port)
            break
        except DovecotUnavailable as exc:
            # Another process may have taken the port between free_port() and Dovecot's bind.
            if "Address already in use" not in str(exc) or attempt == 2:
                raise
    assert process is not None

    try:
        yield DovecotServer(port=port, password=password, root=workdir)
    finally:
        _stop_process(process, fast=fast_stop)


# --------------------------------------------------------------------------------------------
# SMTP sink (aiosmtpd)
# --------------------------------------------------------------------------------------------


@dataclass
class ReceivedMail:
    """One message as the SMTP sink received it."""

    envelope_from: str
    rcpt_tos: list[str]
    raw: bytes
    message: EmailMessage
    auth_user: str | None = None  # the AUTH login used, if any


class SmtpSink:
    """Keeps what an aiosmtpd server receives; list access is thread-safe.

    The server runs in aiosmtpd's thread; tests read from the main thread.
    """

    def __init__(self, host: str, port: int, auth_required: bool = False) -> None:
        self.host = host
        self.port = port
        self.auth_required = auth_required
        self._messages: list[ReceivedMail] = []
        self._changed = threading.Condition()

    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    @property
    def messages(self) -> list[ReceivedMail]:
        """A copy of the messages received so far, oldest first."""
        with self._changed:
            return list(self._messages)

    def wait_for(self, count: int, timeout: float = 5.0) -> list[ReceivedMail]:
        """Wait until at least ``count`` messages arrived; return all of them."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self._messages) >= count, timeout):
                raise TimeoutError(
                    f"SMTP sink got {len(self._messages)} message(s) within {timeout} s, expected {count}"
                )
            return list(self._messages)

    def clear(self) -> None:
        with self._changed:
            self._messages.clear()

    def _add(self, mail: ReceivedMail) -> None:
        with self._changed:
            self._messages.append(mail)
            self._changed.notify_all()

    # aiosmtpd handler hooks (called in the server's thread) -----------------------------

    async def handle_MAIL(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        mail_options: list[str],
    ) -> str:
        # AUTH is enforced here rather than with aiosmtpd's auth_required, which warns for
        # every connection when TLS is not also required (we use plain loopback on purpose).
        if self.auth_required and not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        # SMTP DATA lines end in CRLF; parse with "\n" endings like a message read from disk,
        # so that get_content() gives "\n" too. ``raw`` keeps the bytes as sent.
        parser = BytesParser(policy=policy.default)
        message: EmailMessage = parser.parsebytes(raw.replace(b"\r\n", b"\n"))
        auth = session.auth_data
        login = auth.login if session.authenticated and isinstance(auth, LoginPassword) else None
        self._add(
            ReceivedMail(
                envelope_from=envelope.mail_from or "",
                rcpt_tos=list(envelope.rcpt_tos),
                raw=raw,
                message=message,
                auth_user=login.decode() if login is not None else None,
            )
        )
        return "250 Message accepted"


@dataclass
class _Authenticator:
    """aiosmtpd authenticator accepting one login/password (AUTH PLAIN and LOGIN)."""

    user: str
    password: str

    def __call__(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        if isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            self.user.encode(),
            self.password.encode(),
        ):
            return AuthResult(success=True, auth_data=auth_data)
        # handled=False makes aiosmtpd reply "535 5.7.8 Authentication credentials invalid";
        # with the default handled=True it sends nothing and the client hangs.
        return AuthResult(success=False, handled=False)


@contextlib.contextmanager
def running_smtp_sink(auth_user: str | None = None, auth_password: str | None = None) -> Iterator[SmtpSink]:
    """An SMTP server on 127.0.0.1 that keeps every message it receives.

    With ``auth_user`` and ``auth_password`` it offers AUTH PLAIN/LOGIN on the plain connection
    and refuses MAIL FROM until the client has authenticated.
    """
    if (auth_user is None) != (auth_password is None):
        raise ValueError("give both auth_user and auth_password, or neither")
    auth_kwargs: dict[str, Any] = {}
    if auth_user is not None and auth_password is not None:
        auth_kwargs = {
            "authenticator": _Authenticator(auth_user, auth_password),
            "auth_require_tls": False,
        }

    controller: Controller | None = None
    for attempt in range(3):
        sink = SmtpSink(LOOPBACK, free_port(), auth_required=bool(auth_kwargs))
        controller = Controller(
            sink,
            hostname=sink.host,
            port=sink.port,
            server_hostname="localhost",  # skip socket.getfqdn(), which may wait for DNS
            **auth_kwargs,
        )
        try:
            controller.start()
            break
        except OSError:
            # The port was taken between free_port() and the bind: try another one.
            if attempt == 2:
                raise
    assert controller is not None
    try:
        yield sink
    finally:
        controller.stop()
