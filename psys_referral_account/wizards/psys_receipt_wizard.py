from datetime import datetime, time

from odoo import _, fields, models
from odoo.exceptions import UserError

from odoo.addons.psys_base.tools.groups import RECEPTION
from odoo.addons.psys_base.tools.policy import FORM, Policy


class PsysReceiptWizard(models.TransientModel):
    _name = "psys.receipt.wizard"
    _inherit = ["psys.secured"]
    _description = "Receipt for a period"
    _psys_policy = Policy(company=None, shared=FORM)

    beneficiary_id = fields.Many2one("psys.beneficiary", required=True)
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True, default=fields.Date.context_today)

    def _get_bookings(self):
        self.ensure_one()
        if self.date_to < self.date_from:
            raise UserError(_("The period ends before it starts."))
        return (
            self.env["psys.booking"]
            .search(
                [
                    ("beneficiary_id", "=", self.beneficiary_id.id),
                    ("state", "=", "seen"),
                    ("start", ">=", datetime.combine(self.date_from, time.min)),
                    ("start", "<=", datetime.combine(self.date_to, time.max)),
                ]
            )
            ._psys_paid_by_person()
        )

    def action_print(self):
        self._psys_check_action("write", RECEPTION)
        self.beneficiary_id._psys_check_action("read")
        bookings = self._get_bookings()
        if not bookings:
            raise UserError(_("No session paid by this person in this period: a receipt lists paid sessions only."))
        return self.env.ref("psys_referral_account.action_report_psys_receipt").report_action(bookings)
