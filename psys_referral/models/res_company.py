from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# Days the booking invitation audit (IP addresses) is kept when the company
# says nothing, and for the logs of unknown links (no association's).
LOG_RETENTION_DAYS = 90


class ResCompany(models.Model):
    _inherit = "res.company"

    psys_reminder_hours = fields.Integer(
        string="Reminder delay (hours)",
        default=48,
        help="Appointment reminders are e-mailed this many hours before the session (0: no reminders).",
    )
    psys_cancel_cutoff_hours = fields.Integer(
        string="Cancellation cut-off (hours)",
        default=24,
        help="Partner staff may cancel or move a booking until this many hours before it.",
    )
    # Waiting list and closing the loop (issue 13).
    psys_waiting_offer_hours = fields.Integer(
        string="Waiting list offer (hours)",
        default=24,
        help="A freed slot is kept this many hours for the first person of the waiting list "
        "before it is offered to the next one, then to everyone.",
    )
    psys_referral_stale_days = fields.Integer(
        string="Request without appointment (days)",
        default=15,
        help="A request still without any appointment after this many days gives the practitioner "
        "an activity and tells the worker who made it (0: never).",
    )

    @api.constrains(
        "psys_reminder_hours", "psys_cancel_cutoff_hours", "psys_waiting_offer_hours", "psys_referral_stale_days"
    )
    def _check_psys_referral_hours(self):
        for company in self:
            if (
                min(
                    company.psys_reminder_hours,
                    company.psys_cancel_cutoff_hours,
                    company.psys_waiting_offer_hours,
                    company.psys_referral_stale_days,
                )
                < 0
            ):
                raise ValidationError(_("Reminder, cancellation and waiting list delays cannot be negative."))

    # Invitation to self-book (issue 13) -------------------------------------

    psys_invitation_days = fields.Integer(
        string="Booking invitation validity (days)",
        default=7,
        help="A link sent to a person to choose their own slot can be used during this many days.",
    )

    psys_invitation_log_days = fields.Integer(
        string="Booking invitation audit retention (days)",
        default=LOG_RETENTION_DAYS,
        help="The audit of the booking invitation links (views, attempts, IP addresses) is deleted "
        "after this many days.",
    )

    @api.constrains("psys_invitation_days", "psys_invitation_log_days")
    def _check_psys_invitation_days(self):
        for company in self:
            if company.psys_invitation_days < 1:
                raise ValidationError(_("A booking invitation is valid at least one day."))
            if company.psys_invitation_log_days < 1:
                raise ValidationError(_("The booking invitation audit is kept at least one day."))
