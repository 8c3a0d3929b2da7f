"""What a generation did, said in one notification (sessions, slots…)."""


def counted(count, one, many):
    """``(count, phrase)``: ``one`` for a single one, else ``many`` (both
    already translated, ``many`` formatted with the count)."""
    return count, one if count == 1 else many


def summary(first, *others):
    """One sentence: ``first`` always (what was made, even none), then each
    of ``others`` whose count is not zero; each a ``counted(...)`` pair."""
    return ", ".join([first[1]] + [phrase for count, phrase in others if count]) + "."


def notification(message, next_action=None):
    """A client action showing ``message`` as a success notification, then
    ``next_action`` (closing the dialog by default)."""
    return {
        "type": "ir.actions.client",
        "tag": "display_notification",
        "params": {
            "type": "success",
            "message": message,
            "sticky": False,
            "next": next_action or {"type": "ir.actions.act_window_close"},
        },
    }
