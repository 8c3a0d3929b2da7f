from odoo import fields, models

from odoo.addons.psys_base.tools.groups import PRACTITIONERS
from odoo.addons.psys_base.tools.purge import PurgeSpec


class PsysBeneficiary(models.Model):
    _inherit = "psys.beneficiary"

    psys_booking_ids = fields.One2many("psys.booking", "beneficiary_id", string="Appointments")

    def _get_purge_specs(self):
        return super()._get_purge_specs() + [
            PurgeSpec("psys.booking", "beneficiary_id", empty_fields=("reason", "cancel_reason")),
            PurgeSpec("psys.referral", "beneficiary_id", empty_fields=("reason", "refusal_reason")),
            PurgeSpec("psys.orientation", "beneficiary_id", empty_fields=("refusal_reason",)),
            # Their booking links: the token hashes, the e-mails that carried
            # them and the audit (IP addresses, which goes with its invitation).
            PurgeSpec("psys.invitation", "beneficiary_id", delete=True),
        ]

    def _get_still_active_specs(self):
        """An upcoming appointment, an open referral or a booking link still
        valid keeps the person active."""
        now = fields.Datetime.now()
        return super()._get_still_active_specs() + [
            ("psys.booking", "beneficiary_id", [("state", "=", "booked"), ("start", ">=", now)]),
            ("psys.referral", "beneficiary_id", [("state", "in", ("received", "accepted", "in_progress"))]),
            ("psys.invitation", "beneficiary_id", [("state", "=", "pending"), ("expiry", ">", now)]),
        ]

    def action_psys_invite(self):
        """Invite this person to choose their own slot: the assistant asks
        which partnership (among those the user may invite to)."""
        self.ensure_one()
        self._psys_check_action("read", PRACTITIONERS)
        return self.env["psys.invitation.wizard"]._psys_open(beneficiary=self)
