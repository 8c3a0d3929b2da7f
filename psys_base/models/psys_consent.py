from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools.policy import Policy


class PsysConsent(models.Model):
    _name = "psys.consent"
    _inherit = ["psys.secured"]
    _description = "Consent of a beneficiary"
    _psys_policy = Policy(ownership=("beneficiary_id",))
    _order = "given_date desc, id desc"

    beneficiary_id = fields.Many2one("psys.beneficiary", required=True, ondelete="cascade", index=True)
    scope = fields.Selection(
        [
            ("named_contact", "Be known by name (name, phone, e-mail)"),
            ("reminders", "Receive appointment reminders"),
            ("invoicing", "Named invoices and receipts"),
            ("data_sharing", "Share the follow-up status with the referring structure"),
            ("sentinel", "Sentinel register"),
        ],
        required=True,
    )
    given_date = fields.Date(required=True, default=fields.Date.context_today)
    withdrawn_date = fields.Date()
    method = fields.Selection(
        [
            ("oral", "Orally, noted by the team"),
            ("written", "Signed form"),
            ("electronic", "Electronically"),
            ("partner", "Through the referring structure"),
        ],
        string="How obtained",
        required=True,
        default="oral",
    )
    recorded_by_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)
    state = fields.Selection(
        [("given", "Given"), ("withdrawn", "Withdrawn")],
        compute="_compute_state",
        store=True,
    )
    company_id = fields.Many2one(related="beneficiary_id.company_id", store=True, index=True)

    @api.depends("withdrawn_date")
    def _compute_state(self):
        for consent in self:
            consent.state = "withdrawn" if consent.withdrawn_date else "given"

    @api.constrains("given_date", "withdrawn_date")
    def _check_dates(self):
        today = fields.Date.context_today(self)
        for consent in self:
            if consent.given_date > today:
                raise ValidationError(_("A consent cannot be given in the future."))
            if consent.withdrawn_date and consent.withdrawn_date < consent.given_date:
                raise ValidationError(_("A consent cannot be withdrawn before it was given."))

    @api.model_create_multi
    def create(self, vals_list):
        consents = super().create(vals_list)
        consents._forget_names_without_consent()
        return consents

    def write(self, vals):
        result = super().write(vals)
        if "withdrawn_date" in vals:
            self._forget_names_without_consent()
        return result

    def _forget_names_without_consent(self):
        """A withdrawn consent to be known by name unlinks the named contact."""
        # sudo: whoever may withdraw the consent (checked by the ORM on the
        # consent) unlinks the contact, even without reading names.
        for beneficiary in self.filtered(lambda consent: consent.state == "withdrawn").beneficiary_id.sudo():
            if beneficiary.partner_id and not beneficiary._get_contact_consents():
                beneficiary.partner_id = False
