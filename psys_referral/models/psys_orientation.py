from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

ORIENTATION_STATES = [
    ("sent", "Sent"),
    ("received", "Received"),
    ("accepted", "Accepted"),
    ("refused", "Refused"),
    ("done", "Done"),
]


class PsysOrientation(models.Model):
    _name = "psys.orientation"
    _inherit = ["psys.orientation", "mail.thread"]

    state = fields.Selection(ORIENTATION_STATES, default="sent", required=True, tracking=True, index=True)
    refusal_reason = fields.Char(tracking=True)
    referral_id = fields.Many2one("psys.referral", string="Inbound referral", index=True, ondelete="set null")
    booking_id = fields.Many2one("psys.booking", string="Appointment", ondelete="set null")

    @api.constrains("state", "refusal_reason")
    def _check_refusal_reason(self):
        for orientation in self:
            if orientation.state == "refused" and not (orientation.refusal_reason or "").strip():
                raise ValidationError(_("Say why the orientation was refused."))

    @api.model_create_multi
    def create(self, vals_list):
        orientations = super().create(vals_list)
        # A relay hands the inbound referral over to the next partner.
        orientations.referral_id.filtered(lambda referral: referral.state != "handed_over").write(
            {"state": "handed_over"}
        )
        return orientations

    def action_received(self):
        self.write({"state": "received"})

    def action_accepted(self):
        self.write({"state": "accepted"})

    def action_refused(self):
        self.write({"state": "refused"})

    def action_done(self):
        self.write({"state": "done"})
