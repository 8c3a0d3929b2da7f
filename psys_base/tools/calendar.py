"""What the doors share when a record of theirs is mirrored in the Odoo
calendar (a shift, an appointment)."""

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
