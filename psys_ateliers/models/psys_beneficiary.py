from odoo import _, models


class PsysBeneficiary(models.Model):
    _inherit = "psys.beneficiary"

    def _get_purge_specs(self):
        return super()._get_purge_specs() + [
            ("psys.sentinel", "beneficiary_id", ["partner_id", "note"]),
            ("event.registration", "psys_beneficiary_id", ["partner_id", "name", "email", "phone"]),
            ("psys.workshop.interview", "beneficiary_id", []),
        ]

    def _psys_anonymise(self):
        # The purge runs for the retention policy, not for a user: it must
        # reach the named contacts of these people's sentinel entries.
        sentinels = self.env["psys.sentinel"].sudo().with_context(active_test=False)
        partners = sentinels.search([("beneficiary_id", "in", self.ids)]).partner_id
        super()._psys_anonymise()
        self._psys_wipe(
            partners.filtered("psys_private_contact"),
            ["email", "phone", "mobile", "street", "street2", "zip", "city", "comment"],
            {"name": _("Anonymised contact"), "active": False},
        )
