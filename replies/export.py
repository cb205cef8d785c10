"""The machine-readable copy of someone's data: JSON for everything, CSV per table. Pure.

The policy promises "alle afschriften en kopieën ... in de machineleesbare gegevensindeling die wij
binnen onze systemen hanteren", with the list of processors that hold the data. An access answer
carries the JSON and the CSV files; a portability answer the JSON, structured for transfer.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from replies.render import CustomerFacts, EarlierRequestFacts, ProcessorFacts


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: bytes


def export_data(
    customer: CustomerFacts,
    requests: tuple[EarlierRequestFacts, ...],
    processors: tuple[ProcessorFacts, ...],
    organisation: str,
    made_on: date,
) -> dict[str, Any]:
    """Everything held about one customer, as one JSON-ready structure."""
    return {
        "controller": organisation,
        "made_on": made_on.isoformat(),
        "profile": {
            "customer_id": customer.customer_id,
            "name": customer.name,
            "email": customer.email,
            "earlier_emails": list(customer.earlier_emails),
            "street": customer.street,
            "postcode": customer.postcode,
            "city": customer.city,
            "country": customer.country,
            "phone": customer.phone,
        },
        "newsletter": {"subscribed": customer.newsletter},
        "orders": [
            {
                "order_number": order.order_number,
                "ordered_on": order.ordered_on.isoformat() if order.ordered_on else None,
                "total": order.total,
                "status": order.status,
            }
            for order in customer.orders
        ],
        "privacy_requests": [
            {
                "reference": request.reference,
                "kinds": list(request.kinds),
                "received_on": request.received.isoformat(),
                "state": request.state,
            }
            for request in requests
        ],
        "processors": [
            {
                "name": processor.name,
                "service": processor.service,
                "data_categories": list(processor.categories),
                "purpose": processor.purpose,
                "retention": processor.retention,
            }
            for processor in processors
        ],
    }


def access_files(data: dict[str, Any], reference: str) -> tuple[ExportFile, ...]:
    """The access answer's attachments: the whole copy as JSON, and one CSV per table."""
    return (
        json_file(data, reference),
        _csv(f"{reference}-profile.csv", ["field", "value"], _profile_rows(data)),
        _csv(
            f"{reference}-orders.csv",
            ["order_number", "ordered_on", "total", "status"],
            [[o["order_number"], o["ordered_on"], o["total"], o["status"]] for o in data["orders"]],
        ),
        _csv(
            f"{reference}-requests.csv",
            ["reference", "kinds", "received_on", "state"],
            [
                [r["reference"], " ".join(r["kinds"]), r["received_on"], r["state"]]
                for r in data["privacy_requests"]
            ],
        ),
        _csv(
            f"{reference}-processors.csv",
            ["name", "service", "data_categories", "purpose", "retention"],
            [
                [p["name"], p["service"], " ".join(p["data_categories"]), p["purpose"], p["retention"]]
                for p in data["processors"]
            ],
        ),
    )


def json_file(data: dict[str, Any], reference: str) -> ExportFile:
    """The copy as one JSON file (UTF-8, keys in a fixed order): the portable format."""
    content = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    return ExportFile(f"{reference}-data.json", "application/json", content)


def _profile_rows(data: dict[str, Any]) -> list[list[str]]:
    profile = data["profile"]
    rows = [
        [key, "" if value is None else str(value)]
        for key, value in profile.items()
        if key != "earlier_emails"
    ]
    rows.append(["earlier_emails", " ".join(profile["earlier_emails"])])
    rows.append(["newsletter_subscribed", "true" if data["newsletter"]["subscribed"] else "false"])
    return rows


def _csv(filename: str, header: list[str], rows: list[list[Any]]) -> ExportFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180
    writer.writerow(header)
    writer.writerows([["" if cell is None else cell for cell in row] for row in rows])
    # A byte-order mark, so that Excel (what most people open a CSV with) reads UTF-8 names right.
    return ExportFile(filename, "text/csv", buffer.getvalue().encode("utf-8-sig"))
