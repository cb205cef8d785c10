"""The main story on the embedded kind of setup: a request comes in, a draft waits, approval sends it once."""

from tests.conftest import Helpdesk


def test_known_customer_gets_an_answer_draft_that_is_sent_once_after_approval(helpdesk: Helpdesk) -> None:
    helpdesk.deliver("access_nl_known.eml")
    report = helpdesk.run_once()
    assert report.mailbox.stored == 1
    [request] = helpdesk.requests()
    assert request.state == "in_progress"
    assert request.kinds == ["access"]
    assert request.identity_verified
    [draft] = helpdesk.drafts()
    assert (draft.purpose, draft.state, draft.to_address) == ("answer", "pending", "jan.jansen@example.nl")
    assert helpdesk.sent() == []  # nothing leaves without approval

    helpdesk.approve(draft.id)
    helpdesk.run_once()
    helpdesk.run_once()
    [mail] = helpdesk.sent()
    assert mail["To"] == "jan.jansen@example.nl"
    assert mail["Message-ID"] == draft.message_id
    assert [r.state for r in helpdesk.requests()] == ["answered"]
