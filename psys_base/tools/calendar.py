"""What the doors share when a record of theirs is mirrored in the Odoo
calendar (a shift, an appointment), or closes whole days (a leave)."""

from datetime import datetime, time

import pytz

# The context a mirror event is written in: the record it mirrors carries the
# history, so the event sends no invitation mail, has no chatter and no
# follower.
QUIET_MIRROR_CONTEXT = {
    "dont_notify": True,
    "no_mail_to_attendees": True,
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_auto_subscribe_no_notify": True,
}


def local_days_to_utc(date_from, date_to, tz):
    """(start, stop) in naive UTC covering the local days ``date_from`` to
    ``date_to`` included in the time zone ``tz`` (a name), as Odoo writes a
    whole-day leave: from midnight to 23:59:59."""
    zone = pytz.timezone(tz or "Europe/Paris")
    return tuple(
        zone.localize(datetime.combine(day, moment)).astimezone(pytz.utc).replace(tzinfo=None)
        for day, moment in ((date_from, time.min), (date_to, time(23, 59, 59)))
    )
