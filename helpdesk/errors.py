"""One family of exceptions; each docstring says when it is raised."""


class HelpdeskError(Exception):
    """Base of every error this application raises on purpose."""


class ConfigError(HelpdeskError):
    """The configuration is wrong: the message names the key, `fix` says what to write."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.args[0]}. Fix: {self.fix}"


class MailboxUnavailable(HelpdeskError):
    """The mailbox cannot be reached or refused us; transient, the daemon tries again later."""


class SendFailed(HelpdeskError):
    """An outgoing mail was not accepted; `permanent` says whether trying again can help."""

    def __init__(self, message: str, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


class ReviewError(HelpdeskError):
    """A review action is not allowed (unknown draft, wrong state, identity not established)."""


class ImportRejected(HelpdeskError):
    """A customer or order file cannot be imported; nothing of it was written."""


class DaemonRunning(HelpdeskError):
    """Another helpdesk daemon holds this database: one at a time."""
