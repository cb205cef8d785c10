"""Configuration: embedded defaults, one TOML file, and errors that name the key and say what to write."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpdesk.config import (
    CONFIG_ENV,
    Config,
    DatabaseConfig,
    MailboxConfig,
    SmtpConfig,
    describe,
    load_config,
    mailbox_endpoint,
    secret,
    smtp_endpoint,
)
from helpdesk.errors import ConfigError

# The example of DESIGN.md, "Configuration keys that must exist".
DESIGN_EXAMPLE = """\
[organisation]
name = "MOM Gemstone"
address = "info@momgemstone.nl"              # the mailbox the requests arrive in
privacy_contact = "Linda de Boer <privacy@momgemstone.nl>"   # gets drafts, reminders, digest

[mailbox]
url = "imap://info%40momgemstone.nl@127.0.0.1:10143/INBOX"   # imaps:// = TLS, imap:// = plain
                                                              # (STARTTLS when offered); maildir:/path
password_env = "HELPDESK_IMAP_PASSWORD"
trusted_authserv_id = "mx.momgemstone.nl"   # whose Authentication-Results headers to believe

[smtp]
url = "smtp://127.0.0.1:10025"               # smtps:// = TLS; smtp:// uses STARTTLS when offered
password_env = "HELPDESK_SMTP_PASSWORD"      # optional

[database]
url = "sqlite:///var/helpdesk.sqlite3"       # any SQLAlchemy URL, e.g. postgresql+psycopg://...
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "helpdesk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_means_the_embedded_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CONFIG_ENV, raising=False)
    config = load_config()
    assert config.mailbox.url == "maildir:var/mail"
    assert config.smtp.url == "folder:var/outbox"
    assert config.database.url == "sqlite:///var/helpdesk.sqlite3"
    assert config.organisation.timezone == "Europe/Amsterdam"
    assert config.source == "embedded defaults"


def test_the_design_example_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CONFIG_ENV, raising=False)
    path = write(tmp_path, DESIGN_EXAMPLE)
    config = load_config(path)
    assert config.source == str(path)
    assert config.organisation.privacy_contact == "Linda de Boer <privacy@momgemstone.nl>"
    assert config.mailbox.trusted_authserv_id == "mx.momgemstone.nl"
    assert config.message_id_domain == "momgemstone.nl"
    mailbox = mailbox_endpoint(config)
    assert (mailbox.scheme, mailbox.host, mailbox.port) == ("imap", "127.0.0.1", 10143)
    assert (mailbox.username, mailbox.folder, mailbox.is_loopback) == ("info@momgemstone.nl", "INBOX", True)
    smtp = smtp_endpoint(config)
    assert (smtp.scheme, smtp.host, smtp.port) == ("smtp", "127.0.0.1", 10025)


def test_a_partial_file_keeps_the_defaults_of_what_it_leaves_out(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[database]\nurl = "sqlite:///elsewhere.sqlite3"\n'))
    assert config.database.url == "sqlite:///elsewhere.sqlite3"
    assert config.mailbox.url == "maildir:var/mail"
    assert config.mailbox.poll_seconds == 60


def test_helpdesk_config_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, '[mailbox]\nurl = "maildir:/srv/mail"\npoll_seconds = 15\n')
    monkeypatch.setenv(CONFIG_ENV, str(path))
    config = load_config()
    assert config.source == str(path)
    assert (config.mailbox.url, config.mailbox.poll_seconds) == ("maildir:/srv/mail", 15)


def test_an_explicit_path_wins_over_helpdesk_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CONFIG_ENV, str(tmp_path / "not-this-one.toml"))
    config = load_config(write(tmp_path, "[mailbox]\npoll_seconds = 15\n"))
    assert config.mailbox.poll_seconds == 15


@pytest.mark.parametrize(
    ("toml", "in_message", "in_fix"),
    [
        ('[mailbx]\nurl = "maildir:x"\n', "[mailbx]", "[mailbox]"),
        ('[mailbox]\nurll = "imaps://info@mail.example.net/INBOX"\n', "mailbox.urll", "url"),
        ('[mailbox]\npoll_seconds = "60"\n', "mailbox.poll_seconds", "poll_seconds = 60"),
        ("[mailbox]\npoll_seconds = true\n", "mailbox.poll_seconds", "poll_seconds = 60"),
        ("[smtp]\nurl = 25\n", "smtp.url", 'url = "25"'),
        ("mailbox = 3\n", "[mailbox]", "[mailbox] section"),
        ('[mailbox]\nurl = "ftp://mail.example.net/INBOX"\n', "mailbox.url", "imaps://"),
        ('[mailbox]\nurl = "imaps://mail.example.net:99999/INBOX"\n', "mailbox.url", ":993"),
        ("[mailbox]\npoll_seconds = 0\n", "mailbox.poll_seconds", "poll_seconds = 60"),
        ("[mailbox]\nfirst_run_days = -1\n", "mailbox.first_run_days", "first_run_days = 30"),
        ('[smtp]\nurl = "http://mail.example.net"\n', "smtp.url", "smtps://"),
        ('[smtp]\nurl = "smtp://"\n', "smtp.url", "smtp://host:587"),
        ('[organisation]\ntimezone = "Europe/Amsterdan"\n', "organisation.timezone", "Europe/Amsterdam"),
        ('[organisation]\naddress = "info at momgemstone"\n', "organisation.address", "info@momgemstone.nl"),
        ('[organisation]\nprivacy_contact = "Linda"\n', "organisation.privacy_contact", "privacy@"),
        ('[database]\nurl = "var/helpdesk.sqlite3"\n', "database.url", "sqlite:///"),
    ],
)
def test_bad_input_names_the_key_and_the_fix(tmp_path: Path, toml: str, in_message: str, in_fix: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, toml))
    message = str(caught.value)
    assert in_message in message
    assert in_fix in caught.value.fix
    assert message.endswith(f"Fix: {caught.value.fix}")  # what the CLI prints says both


def test_invalid_toml_names_the_file_and_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[mailbox]\nurl = "imaps://mail.example.net/INBOX\n')  # unclosed string
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(path) in str(caught.value)
    assert "line 2" in str(caught.value)
    assert "TOML" in caught.value.fix


def test_a_missing_file_is_an_error_not_the_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "nowhere.toml"
    with pytest.raises(ConfigError) as caught:
        load_config(missing)
    assert str(missing) in str(caught.value)
    assert caught.value.fix

    monkeypatch.setenv(CONFIG_ENV, str(missing))  # a typo in HELPDESK_CONFIG must not fall back either
    with pytest.raises(ConfigError):
        load_config()


@pytest.mark.parametrize(
    ("url", "scheme", "host", "port", "username", "folder"),
    [
        ("imaps://mail.example.net/INBOX", "imaps", "mail.example.net", 993, "", "INBOX"),
        ("imap://mail.example.net/INBOX", "imap", "mail.example.net", 143, "", "INBOX"),
        ("imaps://info%40momgemstone.nl@mail.example.net", "imaps", "mail.example.net", 993,
         "info@momgemstone.nl", "INBOX"),
        ("imaps://info%40momgemstone.nl@mail.example.net:10993/Privacy%20verzoeken", "imaps",
         "mail.example.net", 10993, "info@momgemstone.nl", "Privacy verzoeken"),
        ("imap://info@127.0.0.1:10143/INBOX/Klanten", "imap", "127.0.0.1", 10143, "info", "INBOX/Klanten"),
    ],
)  # fmt: skip
def test_mailbox_url(url: str, scheme: str, host: str, port: int, username: str, folder: str) -> None:
    endpoint = mailbox_endpoint(Config(mailbox=MailboxConfig(url=url)))
    assert (endpoint.scheme, endpoint.host, endpoint.port) == (scheme, host, port)
    assert (endpoint.username, endpoint.folder) == (username, folder)


def test_maildir_url_is_a_path() -> None:
    endpoint = mailbox_endpoint(Config(mailbox=MailboxConfig(url="maildir:/srv/mail/info")))
    assert (endpoint.scheme, endpoint.path, endpoint.folder) == ("maildir", Path("/srv/mail/info"), "INBOX")


@pytest.mark.parametrize(
    ("url", "scheme", "host", "port", "username"),
    [
        ("smtps://info%40momgemstone.nl@smtp.example.net", "smtps", "smtp.example.net", 465,
         "info@momgemstone.nl"),
        ("smtp://smtp.example.net", "smtp", "smtp.example.net", 587, ""),
        ("smtp://127.0.0.1:10025", "smtp", "127.0.0.1", 10025, ""),
    ],
)  # fmt: skip
def test_smtp_url(url: str, scheme: str, host: str, port: int, username: str) -> None:
    endpoint = smtp_endpoint(Config(smtp=SmtpConfig(url=url)))
    assert (endpoint.scheme, endpoint.host, endpoint.port) == (scheme, host, port)
    assert endpoint.username == username


def test_folder_url_is_a_path() -> None:
    endpoint = smtp_endpoint(Config(smtp=SmtpConfig(url="folder:/srv/outbox")))
    assert (endpoint.scheme, endpoint.path) == ("folder", Path("/srv/outbox"))


def test_secret_reads_the_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HELPDESK_IMAP_PASSWORD", "correct horse")
    assert secret("HELPDESK_IMAP_PASSWORD", "mailbox.password_env", required=True) == "correct horse"


def test_a_missing_optional_secret_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HELPDESK_SMTP_PASSWORD", raising=False)
    assert secret("HELPDESK_SMTP_PASSWORD", "smtp.password_env", required=False) is None


def test_a_missing_required_secret_names_the_variable_and_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HELPDESK_IMAP_PASSWORD", raising=False)
    with pytest.raises(ConfigError) as caught:
        secret("HELPDESK_IMAP_PASSWORD", "mailbox.password_env", required=True)
    assert "HELPDESK_IMAP_PASSWORD" in str(caught.value)
    assert "mailbox.password_env" in str(caught.value)
    assert "export HELPDESK_IMAP_PASSWORD=" in caught.value.fix


def test_describe_lists_every_key_with_its_value_and_help(tmp_path: Path) -> None:
    rows = describe(load_config(write(tmp_path, DESIGN_EXAMPLE)))
    keys = [key for key, _value, _help in rows]
    assert len(keys) == len(set(keys))
    for key in (
        "organisation.name",
        "organisation.address",
        "organisation.privacy_contact",
        "organisation.timezone",
        "mailbox.url",
        "mailbox.password_env",
        "mailbox.trusted_authserv_id",
        "mailbox.poll_seconds",
        "smtp.url",
        "smtp.password_env",
        "database.url",
    ):
        assert key in keys
    values = {key: value for key, value, _help in rows}
    assert values["mailbox.password_env"] == "HELPDESK_IMAP_PASSWORD"  # the variable's name, not its value
    assert values["mailbox.poll_seconds"] == "60"
    assert all(help_text for _key, _value, help_text in rows)


def test_describe_never_shows_a_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HELPDESK_IMAP_PASSWORD", "imap-secret-1")
    monkeypatch.setenv("HELPDESK_SMTP_PASSWORD", "smtp-secret-2")
    # Passwords belong in the environment, but an admin may well paste one into a URL.
    config = Config(
        mailbox=MailboxConfig(url="imaps://info%40momgemstone.nl:url-secret-3@mail.example.net/INBOX"),
        smtp=SmtpConfig(url="smtps://info%40momgemstone.nl:url-secret-4@smtp.example.net"),
        database=DatabaseConfig(url="postgresql+psycopg://helpdesk:url-secret-5@localhost/helpdesk"),
    )
    shown = "\n".join(f"{key} = {value}" for key, value, _help in describe(config))
    assert "mail.example.net" in shown  # the rest of the URL is still shown
    for password in ("imap-secret-1", "smtp-secret-2", "url-secret-3", "url-secret-4", "url-secret-5"):
        assert password not in shown
