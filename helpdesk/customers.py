"""Customer data import: `helpdesk customers import customers.csv [--orders orders.csv]`.

Columns as DESIGN.md specifies. A file is read and checked whole before anything is written:
a row that cannot be read is reported with its line number and nothing of that file is imported.
Importing again updates rows by customer_id (customers) or order_number (orders).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk.errors import ImportRejected
from helpdesk.events import EventKind, record
from helpdesk.identity import normalise_address
from helpdesk.models import Customer, KnownAddress, Order

CUSTOMER_COLUMNS = (
    "customer_id", "email", "name", "street", "postcode", "city", "country", "phone",
    "newsletter", "created_at", "last_contact_at", "earlier_emails",
)  # fmt: skip
ORDER_COLUMNS = ("order_number", "customer_id", "ordered_at", "total", "status")


@dataclass
class ImportReport:
    customers_added: int = 0
    customers_updated: int = 0
    orders_added: int = 0
    orders_updated: int = 0

    def __str__(self) -> str:
        return (
            f"customers: {self.customers_added} added, {self.customers_updated} updated; "
            f"orders: {self.orders_added} added, {self.orders_updated} updated"
        )


def import_files(session: Session, customers_csv: Path, orders_csv: Path | None, actor: str) -> ImportReport:
    """Read both files completely, then write them in the caller's transaction."""
    customer_rows = _read(customers_csv, CUSTOMER_COLUMNS, required=("customer_id", "email"), parse=_customer)
    order_rows = (
        _read(orders_csv, ORDER_COLUMNS, required=("order_number", "customer_id"), parse=_order)
        if orders_csv
        else []
    )
    report = ImportReport()
    by_id: dict[str, Customer] = {}
    for _line, values in customer_rows:
        earlier = values.pop("earlier_emails", ())
        customer = session.scalar(select(Customer).where(Customer.customer_id == values["customer_id"]))
        if customer is None:
            customer = Customer(**values)
            session.add(customer)
            report.customers_added += 1
        else:
            for key, value in values.items():
                setattr(customer, key, value)
            report.customers_updated += 1
        _add_earlier_addresses(customer, earlier)
        by_id[customer.customer_id] = customer
    session.flush()
    for line, values in order_rows:
        customer_id = values.pop("customer_id")
        owner = by_id.get(customer_id) or session.scalar(
            select(Customer).where(Customer.customer_id == customer_id)
        )
        if owner is None:
            raise ImportRejected(f"{orders_csv}: line {line}: no customer with customer_id {customer_id!r}")
        order = session.scalar(select(Order).where(Order.order_number == values["order_number"]))
        if order is None:
            session.add(Order(customer=owner, **values))
            report.orders_added += 1
        else:
            order.customer = owner
            for key, value in values.items():
                setattr(order, key, value)
            report.orders_updated += 1
    record(
        session,
        EventKind.CUSTOMERS_IMPORTED,
        actor=actor,
        file=customers_csv.name,
        **report.__dict__,
    )
    return report


def _add_earlier_addresses(customer: Customer, addresses: Iterable[str]) -> None:
    """Earlier addresses still count as known; an import adds them and never removes one."""
    have = {known.address for known in customer.earlier_addresses} | {customer.email}
    for address in addresses:
        if address not in have:
            customer.earlier_addresses.append(KnownAddress(address=address, source="import"))
            have.add(address)


def _read(
    path: Path,
    columns: tuple[str, ...],
    required: tuple[str, ...],
    parse: Callable[[dict[str, str | None]], dict[str, Any]],
) -> list[tuple[int, dict[str, Any]]]:
    """(line number, parsed values) for every row; the first bad row rejects the whole file."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise ImportRejected(f"{path}: cannot open: {error.strerror}") from None
    rows: list[tuple[int, dict[str, Any]]] = []
    with handle:
        try:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [c for c in required if c not in header]
            if missing:
                raise ImportRejected(
                    f"{path}: the header lacks {', '.join(missing)} (expected: {','.join(columns)})"
                )
            unknown = [c for c in header if c not in columns]
            if unknown:
                raise ImportRejected(
                    f"{path}: unknown column {', '.join(unknown)} (expected: {','.join(columns)})"
                )
            for row in reader:
                line = reader.line_num
                if None in row:
                    raise ImportRejected(f"{path}: line {line}: more fields than the header has")
                try:
                    rows.append((line, parse(row)))
                except ValueError as error:
                    raise ImportRejected(f"{path}: line {line}: {error}") from None
        except UnicodeDecodeError:
            raise ImportRejected(f"{path}: not UTF-8 text (save the file as UTF-8)") from None
    return rows


def _customer(row: dict[str, str | None]) -> dict[str, Any]:
    email = normalise_address(_text(row, "email") or "")
    if "@" not in email:
        raise ValueError(f"email {row.get('email')!r} is not an e-mail address")
    values: dict[str, Any] = {"customer_id": _needed(row, "customer_id"), "email": email}
    for key in ("name", "street", "postcode", "city", "country", "phone"):
        if key in row:
            values[key] = _text(row, key)
    if "newsletter" in row:
        values["newsletter"] = _bool(row, "newsletter")
    for key in ("created_at", "last_contact_at"):
        if key in row:
            values[key] = _datetime(row, key)
    earlier = [normalise_address(a) for a in re.split(r"[\s;,]+", _text(row, "earlier_emails") or "") if a]
    if any("@" not in address for address in earlier):
        raise ValueError(
            f"earlier_emails {row.get('earlier_emails')!r} holds something that is not an address"
        )
    values["earlier_emails"] = earlier
    return values


def _order(row: dict[str, str | None]) -> dict[str, Any]:
    values: dict[str, Any] = {
        "order_number": _needed(row, "order_number"),
        "customer_id": _needed(row, "customer_id"),
    }
    if "ordered_at" in row:
        values["ordered_at"] = _datetime(row, "ordered_at")
    for key in ("total", "status"):
        if key in row:
            values[key] = _text(row, key)
    return values


def _text(row: dict[str, str | None], key: str) -> str | None:
    value = (row.get(key) or "").strip()
    return value or None


def _needed(row: dict[str, str | None], key: str) -> str:
    value = _text(row, key)
    if value is None:
        raise ValueError(f"{key} is empty")
    return value


def _bool(row: dict[str, str | None], key: str) -> bool:
    value = (_text(row, key) or "false").lower()
    if value not in {"true", "false"}:
        raise ValueError(f"{key} must be true or false, not {row.get(key)!r}")
    return value == "true"


def _datetime(row: dict[str, str | None], key: str) -> datetime | None:
    value = _text(row, key)
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{key} {value!r} is not an ISO 8601 date") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
