"""Customer import (DESIGN.md "Customer data import"): a whole file or nothing, with line numbers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from helpdesk.customers import ImportReport, import_files
from helpdesk.errors import ImportRejected
from helpdesk.models import AuditEvent, Customer, Order
from helpdesk.storage import Database
from tests.conftest import FIXTURES, Helpdesk

CUSTOMERS = FIXTURES / "customers.csv"
ORDERS = FIXTURES / "orders.csv"
HEADER = "customer_id,email,name,street,postcode,city,country,phone,newsletter,created_at,last_contact_at\n"


@pytest.fixture
def empty_db(tmp_path: Path) -> Iterator[Database]:
    """A database with the schema and nothing in it (the `helpdesk` fixture has the sample imported)."""
    db = Database(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    db.upgrade()
    yield db
    db.close()


def run_import(db: Database, customers: Path, orders: Path | None = None) -> ImportReport:
    with db.session() as session:
        return import_files(session, customers, orders, actor="test")


def count(db: Database, model: type[Customer] | type[Order]) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def customer(db: Database, customer_id: str) -> Customer | None:
    with db.session() as session:
        return session.scalar(select(Customer).where(Customer.customer_id == customer_id))


def write_csv(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_first_import_adds_customers_and_their_orders(empty_db: Database) -> None:
    report = run_import(empty_db, CUSTOMERS, ORDERS)
    assert (report.customers_added, report.customers_updated) == (8, 0)
    assert (report.orders_added, report.orders_updated) == (13, 0)
    assert count(empty_db, Customer) == 8
    assert count(empty_db, Order) == 13
    with empty_db.session() as session:
        jan = session.scalar(select(Customer).where(Customer.customer_id == "C001"))
        assert jan is not None
        assert (jan.email, jan.name, jan.postcode, jan.newsletter) == (
            "jan.jansen@example.nl", "Jan Jansen", "1016 DZ", True,
        )  # fmt: skip
        assert jan.created_at == datetime(2023, 5, 14, 19, 32, tzinfo=UTC)
        assert [(o.order_number, o.total, o.status) for o in jan.orders] == [
            ("MOM-10231", "129.00", "shipped"),
            ("MOM-10239", "89.95", "paid"),
        ]
        [event] = session.scalars(select(AuditEvent).where(AuditEvent.kind == "customers_imported")).all()
        assert event.actor == "test"
        assert event.details["customers_added"] == 8


def test_importing_again_updates_by_customer_id(helpdesk: Helpdesk, tmp_path: Path) -> None:
    # The fixture imported the sample once already; the shop then corrects one name.
    text = CUSTOMERS.read_text(encoding="utf-8").replace("Jan Jansen", "Jan Jansen-de Wit")
    changed = write_csv(tmp_path, "customers.csv", text)
    report = run_import(helpdesk.db, changed, ORDERS)
    assert (report.customers_added, report.customers_updated) == (0, 8)
    assert (report.orders_added, report.orders_updated) == (0, 13)
    assert count(helpdesk.db, Customer) == 8
    assert count(helpdesk.db, Order) == 13
    jan = customer(helpdesk.db, "C001")
    assert jan is not None and jan.name == "Jan Jansen-de Wit"
    with helpdesk.db.session() as session:
        same_email = select(func.count()).select_from(Customer).where(Customer.email == jan.email)
        assert session.scalar(same_email) == 1


def test_a_file_with_fewer_columns_leaves_the_others_alone(helpdesk: Helpdesk, tmp_path: Path) -> None:
    only_required = write_csv(tmp_path, "emails.csv", "customer_id,email\nC001,jan@jansen-de-wit.nl\n")
    run_import(helpdesk.db, only_required)
    jan = customer(helpdesk.db, "C001")
    assert jan is not None
    assert (jan.email, jan.name, jan.city) == ("jan@jansen-de-wit.nl", "Jan Jansen", "Amsterdam")


def test_a_new_customer_with_only_the_required_columns(empty_db: Database, tmp_path: Path) -> None:
    run_import(empty_db, write_csv(tmp_path, "new.csv", "customer_id,email\nC100,nieuw@example.nl\n"))
    new = customer(empty_db, "C100")
    assert new is not None
    assert (new.email, new.name, new.newsletter, new.created_at) == ("nieuw@example.nl", None, False, None)


def test_emails_are_stored_normalised(empty_db: Database, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        "shouting.csv",
        "customer_id,email,name\n"
        "C004,P.Bakker@Example.NL,Pieter Bakker\n"
        "C008, TBROWN@EXAMPLE.COM ,Thomas Brown\n",
    )
    run_import(empty_db, path)
    with empty_db.session() as session:
        assert set(session.scalars(select(Customer.email))) == {"p.bakker@example.nl", "tbrown@example.com"}


def test_a_bad_row_rejects_the_whole_file_and_names_its_line(helpdesk: Helpdesk) -> None:
    before = count(helpdesk.db, Customer)
    with pytest.raises(ImportRejected) as caught:
        run_import(helpdesk.db, FIXTURES / "customers_bad.csv")
    message = str(caught.value)
    assert "customers_bad.csv" in message
    assert "line 3" in message
    assert "newsletter" in message and "maybe" in message
    assert count(helpdesk.db, Customer) == before
    assert customer(helpdesk.db, "C009") is None  # line 2 was fine, and was not written either
    assert customer(helpdesk.db, "C011") is None


def test_nothing_of_a_rejected_file_is_half_imported_into_an_empty_database(empty_db: Database) -> None:
    with pytest.raises(ImportRejected):
        run_import(empty_db, FIXTURES / "customers_bad.csv")
    assert count(empty_db, Customer) == 0


@pytest.mark.parametrize(
    ("rows", "line", "words"),
    [
        ("C001,jan.jansen@example.nl\nC002,not-an-address\n", "line 3", ["email", "not-an-address"]),
        ("C001,jan.jansen@example.nl\n,sophie@example.nl\n", "line 3", ["customer_id", "empty"]),
        ("C001,jan.jansen@example.nl,Jan,extra\n", "line 2", ["more fields"]),
    ],
)
def test_unreadable_rows_are_reported_with_their_line(
    empty_db: Database, tmp_path: Path, rows: str, line: str, words: list[str]
) -> None:
    path = write_csv(tmp_path, "customers.csv", "customer_id,email\n" + rows)
    with pytest.raises(ImportRejected) as caught:
        run_import(empty_db, path)
    assert line in str(caught.value)
    for word in words:
        assert word in str(caught.value)
    assert count(empty_db, Customer) == 0


def test_a_bad_date_is_reported_with_its_line(empty_db: Database, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        "customers.csv",
        HEADER + "C001,jan.jansen@example.nl,Jan Jansen,,,,,,true,14-05-2023,\n",
    )
    with pytest.raises(ImportRejected) as caught:
        run_import(empty_db, path)
    assert "line 2" in str(caught.value)
    assert "created_at" in str(caught.value) and "ISO 8601" in str(caught.value)


def test_a_missing_required_column_is_rejected(empty_db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path, "customers.csv", "customer_id,name\nC001,Jan Jansen\n")
    with pytest.raises(ImportRejected) as caught:
        run_import(empty_db, path)
    assert "lacks email" in str(caught.value)
    assert count(empty_db, Customer) == 0


def test_an_unknown_column_is_rejected(empty_db: Database, tmp_path: Path) -> None:
    text = "customer_id,email,birthday\nC001,jan.jansen@example.nl,1980-02-03\n"
    path = write_csv(tmp_path, "customers.csv", text)
    with pytest.raises(ImportRejected) as caught:
        run_import(empty_db, path)
    assert "unknown column birthday" in str(caught.value)
    assert count(empty_db, Customer) == 0


def test_a_utf8_file_with_a_byte_order_mark_is_read(empty_db: Database, tmp_path: Path) -> None:
    # What Excel writes as "CSV UTF-8".
    text = "\ufeffcustomer_id,email,name\nC006,lucas.mueller@example.de,Lucas Müller\n"
    path = write_csv(tmp_path, "excel.csv", text)
    run_import(empty_db, path)
    lucas = customer(empty_db, "C006")
    assert lucas is not None and lucas.name == "Lucas Müller"


@pytest.mark.parametrize(
    "padding",
    [0, 500],  # the Latin-1 "ü" in the first few hundred bytes, or beyond the first 8 KB read
    ids=["small-file", "bad-byte-after-8kb"],
)
def test_a_file_that_is_not_utf8_is_rejected(empty_db: Database, tmp_path: Path, padding: int) -> None:
    filler = "".join(f"C{n:04d},klant{n}@example.nl,Klant {n}\n" for n in range(padding))
    text = "customer_id,email,name\n" + filler + "C006,lucas.mueller@example.de,Lucas Müller\n"
    path = write_csv(tmp_path, "latin1.csv", text, encoding="latin-1")
    with pytest.raises(ImportRejected) as caught:
        run_import(empty_db, path)
    assert "UTF-8" in str(caught.value)
    assert count(empty_db, Customer) == 0


def test_an_order_of_an_unknown_customer_is_rejected(empty_db: Database, tmp_path: Path) -> None:
    orders = write_csv(
        tmp_path,
        "orders.csv",
        "order_number,customer_id,ordered_at,total,status\n"
        "MOM-10231,C001,2026-11-02T19:41:00+00:00,129.00,shipped\n"
        "MOM-10299,C999,2026-11-20T10:00:00+00:00,49.95,paid\n",
    )
    with pytest.raises(ImportRejected) as caught:
        run_import(empty_db, CUSTOMERS, orders)
    assert "line 3" in str(caught.value)
    assert "C999" in str(caught.value)
    # The whole import is one transaction: not the customers, not the good order.
    assert (count(empty_db, Customer), count(empty_db, Order)) == (0, 0)


def test_an_order_may_belong_to_a_customer_imported_earlier(helpdesk: Helpdesk, tmp_path: Path) -> None:
    orders = write_csv(
        tmp_path,
        "orders.csv",
        "order_number,customer_id,ordered_at,total,status\nMOM-10241,C004,2026-11-21T09:00:00+00:00,59.95,paid\n",
    )
    only_one = write_csv(tmp_path, "customers.csv", "customer_id,email\nC100,nieuw@example.nl\n")
    run_import(helpdesk.db, only_one, orders)
    with helpdesk.db.session() as session:
        order = session.scalar(select(Order).where(Order.order_number == "MOM-10241"))
        assert order is not None and order.customer.customer_id == "C004"


def test_a_missing_file_is_rejected(empty_db: Database, tmp_path: Path) -> None:
    with pytest.raises(ImportRejected) as caught:
        run_import(empty_db, tmp_path / "klanten.csv")
    assert "klanten.csv" in str(caught.value)
