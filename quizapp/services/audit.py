"""The audit log: every schedule change, extension, override and bulk regrade, with who, when and why.

``record`` only adds the entry to the session, so it lands in the same commit as the change it describes
(one transaction: either both are kept or neither is).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import AuditEntry, User
from quizapp.models.types import utcnow

ACTIONS = (
    "schedule.set",
    "extension.set",
    "extension.remove",
    "extension.import",
    "score.override",
    "regrade.bulk",
)
CSV_HEADER = ("when", "who", "action", "target", "reason", "details")


def record(
    actor: User | None,
    action: str,
    target: str,
    reason: str | None = None,
    details: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Add one entry to the session (the caller commits it together with the change)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    entry = AuditEntry(
        created_at=utcnow(),
        actor_id=actor.id if actor is not None else None,
        actor_email=actor.email if actor is not None else None,
        action=action,
        target=target[:400],
        reason=(reason or "").strip() or None,
        details=dict(details) if details else None,
    )
    db.session.add(entry)
    return entry


def entries(action: str | None = None, limit: int | None = None) -> Sequence[AuditEntry]:
    """The record, newest first; ``action`` keeps one kind (e.g. ``score.override``)."""
    query = select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if action:
        query = query.where(AuditEntry.action == action)
    if limit is not None:
        query = query.limit(limit)
    return db.session.scalars(query).all()


def _cell(text: str) -> str:
    """Keep a spreadsheet from reading a cell as a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def audit_csv(rows: Iterable[AuditEntry]) -> str:
    """The record as CSV: ``when,who,action,target,reason,details`` (times in UTC, ISO 8601)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for entry in rows:
        writer.writerow(
            [
                entry.created_at.isoformat(),
                _cell(entry.actor_email or ""),
                entry.action,
                _cell(entry.target),
                _cell(entry.reason or ""),
                json.dumps(entry.details, sort_keys=True) if entry.details else "",
            ]
        )
    return buffer.getvalue()
