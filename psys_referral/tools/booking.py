"""Plain helpers of the booking path, shared by the models and the
controllers (no model here)."""

from odoo.exceptions import UserError

# Ids are PostgreSQL integers.
MAX_ID = 2**31 - 1


def parse_id(value):
    """The record id typed in a form or a URL, or None when it is not one."""
    text = str(value or "").strip()
    if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID:
        return int(text)
    return None


class SlotTakenError(UserError):
    """The slot was booked by someone else: nothing to correct in the form."""
