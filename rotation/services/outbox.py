"""Mail leaves through the outbox: queued in the deciding transaction, sent after commit."""

from __future__ import annotations

import smtplib
from datetime import datetime
from email.message import EmailMessage

from sqlmodel import Session, select

from ..models import OutboxMessage, utcnow

SENDER = "headset@localhost"


def queue(session: Session, *, recipient: str, subject: str, body: str) -> OutboxMessage:
    """Add a message to the outbox; it leaves only if the caller's transaction commits."""
    message = OutboxMessage(recipient=recipient, subject=subject[:200], body=body)
    session.add(message)
    session.flush()
    return message


def pending(session: Session, *, limit: int = 100) -> list[OutboxMessage]:
    return list(
        session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.sent_at.is_(None))
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
    )


def deliver_pending(
    session: Session,
    *,
    host: str,
    port: int,
    sender: str = SENDER,
    now: datetime | None = None,
    timeout_s: float = 10.0,
) -> int:
    """Send every pending message over SMTP, committing each as sent once the server took it.

    A message whose sending fails stays pending for the next run; smtplib errors propagate
    after the messages sent so far are recorded.
    """
    sent = 0
    with smtplib.SMTP(host, port, timeout=timeout_s) as smtp:
        for message in pending(session):
            mail = EmailMessage()
            mail["From"] = sender
            mail["To"] = message.recipient
            mail["Subject"] = message.subject
            mail.set_content(message.body)
            smtp.send_message(mail)
            # Committed one by one: a crash later must not send this message twice.
            message.sent_at = now or utcnow()
            session.commit()
            sent += 1
    return sent
