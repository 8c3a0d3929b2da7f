"""No stored message keeps a clear invitation link, and no SMS the number of
a purged person: what 18.0.1.1.0 left is redacted or deleted as this release
does it as it goes (the chatter copy of an invitation e-mail, e-mails and SMS
that were sent or failed; SMS to contacts the purge anonymised or keeps only
for invoices)."""

from openupgradelib import openupgrade

# The token of a link, as LINK_PATTERN in models/psys_invitation.py.
TOKEN = "/rdv/[A-Za-z0-9_-]{43}"


@openupgrade.migrate()
def migrate(env, version):
    cr = env.cr
    openupgrade.logged_query(
        cr,
        "UPDATE mail_message SET body = regexp_replace(body, %s, '/rdv/…', 'g') WHERE body ~ %s",
        (TOKEN, TOKEN),
    )
    openupgrade.logged_query(
        cr,
        """UPDATE mail_mail SET body_html = regexp_replace(body_html, %s, '/rdv/…', 'g')
            WHERE body_html ~ %s AND state != 'outgoing'""",
        (TOKEN, TOKEN),
    )
    openupgrade.logged_query(
        cr,
        "UPDATE sms_sms SET body = regexp_replace(body, %s, '/rdv/…', 'g') WHERE body ~ %s AND state != 'outgoing'",
        (TOKEN, TOKEN),
    )
    openupgrade.logged_query(
        cr,
        """DELETE FROM sms_sms sms
                 USING res_partner partner
            WHERE partner.id = sms.partner_id
              AND partner.psys_private_contact
              AND (NOT partner.active OR partner.psys_retain_until IS NOT NULL)""",
    )
