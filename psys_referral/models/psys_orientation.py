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
    _inherit = ["psys.orientation", "psys.workflow.guard", "mail.thread"]
    _psys_workflow_fields = ("state",)

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
        referrals = orientations.referral_id.filtered(lambda referral: referral.state != "handed_over")
        referrals._psys_check_action("write")
        # sudo: the status is a workflow field; the caller may write these referrals (checked above).
        referrals.sudo().write({"state": "handed_over"})
        orientations._psys_notify_relay()
        return orientations

    def _psys_move_to(self, allowed_from, target):
        """Check the caller and the transition, change the status, tell the referrer."""
        self._psys_transition(allowed_from, target)
        self._psys_notify_relay()

    def action_received(self):
        self._psys_move_to(("sent",), "received")

    def action_accepted(self):
        self._psys_move_to(("sent", "received"), "accepted")

    def action_refused(self):
        self._psys_check_action("write")
        if any(not (orientation.refusal_reason or "").strip() for orientation in self):
            raise ValidationError(_("Say why the orientation was refused."))
        self._psys_move_to(("sent", "received"), "refused")

    def action_done(self):
        self._psys_move_to(("accepted",), "done")

    # Relay status told to the worker -----------------------------------------

    def _psys_notify_relay(self):
        """The worker who referred the person hears that the relay's status
        changed (the status only: not where to, nor why)."""
        # sudo: the status change was checked; the worker's e-mail is written from a template.
        self.env["psys.booking.notification"].sudo()._notify_relays(self.filtered("referral_id"))
