from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.psys_input_guard import MAX_ID
from ..tools.policy import FORM, Policy

NAMED_CONTACT = "psys_base.group_psys_named_contact"
# Names, phones, e-mails and addresses are short: longer is a paste error.
MAX_TEXT = 100


class PsysNamedContact(models.TransientModel):
    """Record the named contact of a person who consented to it (to pay and
    be invoiced by name, to get reminders), without the right to create or
    edit contacts in general: the practitioner who invoices does it here."""

    _name = "psys.named.contact"
    _inherit = ["psys.secured"]
    _description = "Named contact of a beneficiary"
    _psys_policy = Policy(company=None, shared=FORM)

    beneficiary_id = fields.Many2one("psys.beneficiary", required=True, ondelete="cascade")
    name = fields.Char(required=True)
    email = fields.Char()
    phone = fields.Char()
    street = fields.Char()
    zip = fields.Char()
    city = fields.Char()
    consent_method = fields.Selection(
        [
            ("oral", "Orally, noted by the team"),
            ("written", "Signed form"),
            ("electronic", "Electronically"),
            ("partner", "Through the referring structure"),
        ],
        string="Consent obtained",
        required=True,
        default="oral",
    )
    consent_invoicing = fields.Boolean(
        string="Named invoices and receipts",
        default=True,
        help="The person also agrees that invoices and receipts bear this name.",
    )
    consent = fields.Boolean(
        string="The person consents",
        help="The person agreed to be known by this name, for what is ticked above.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        beneficiary_id = values.get("beneficiary_id")
        if isinstance(beneficiary_id, int) and 0 < beneficiary_id <= MAX_ID:
            beneficiary = self.env["psys.beneficiary"].browse(beneficiary_id).exists()
            if beneficiary and self.env.user.has_group(NAMED_CONTACT):
                contact = beneficiary.partner_id
                for name in ("name", "email", "phone", "street", "zip", "city"):
                    if contact[name] and name in fields_list:
                        values[name] = contact[name]
        return values

    def action_confirm(self):
        self.ensure_one()
        self._psys_check_action("write", NAMED_CONTACT)
        beneficiary = self.beneficiary_id
        beneficiary.check_access("write")
        if beneficiary.state != "active":
            raise UserError(_("%(code)s was anonymised: no name can be recorded.", code=beneficiary.code))
        values = {name: (self[name] or "").strip() for name in ("name", "email", "phone", "street", "zip", "city")}
        if not values["name"]:
            raise UserError(_("Give the name the person wants to be known by."))
        if any(len(text) > MAX_TEXT for text in values.values()):
            raise UserError(_("Each item of the contact is limited to %(max)s characters.", max=MAX_TEXT))
        if not self.consent:
            raise UserError(_("A name is kept only with the person's consent: tick the box once they agreed."))
        # The consents, as the caller (the ORM checks them like any consent).
        scopes = ["named_contact"] + (["invoicing"] if self.consent_invoicing else [])
        given = set(beneficiary.consent_ids.filtered(lambda consent: consent.state == "given").mapped("scope"))
        self.env["psys.consent"].create(
            [
                {"beneficiary_id": beneficiary.id, "scope": scope, "method": self.consent_method}
                for scope in scopes
                if scope not in given
            ]
        )
        values.update(psys_private_contact=True, company_id=beneficiary.company_id.id)
        # sudo: the caller is in the Named contacts group and may write this
        # person (checked above), who consented; the contact is created
        # private, in the person's association (only Named contacts read it),
        # and only this person's own contact is ever updated.
        contact = beneficiary.sudo().partner_id
        if contact and not contact.psys_private_contact:
            raise UserError(
                _("%(code)s is linked to a shared contact: ask a coordinator to change it.", code=beneficiary.code)
            )
        if contact:
            contact.write(values)
        else:
            lang = self.env["res.lang"]._lang_get(self.env.user.lang or "fr_FR")
            values["lang"] = lang.code if lang else False
            contact = self.env["res.partner"].sudo().create(values)
            # sudo: the person's contact is an ownership field (psys.secured),
            # linked here only, after the checks above, to the contact just made.
            beneficiary.sudo().partner_id = contact
        return {"type": "ir.actions.act_window_close"}
