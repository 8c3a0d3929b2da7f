from odoo import fields, models

REFERRAL_SOURCES = [
    ("self", "Came on their own"),
    ("structure", "Referred by a structure"),
    ("health", "Referred by a health professional"),
    ("word_of_mouth", "Word of mouth"),
    ("other", "Other"),
]


class PsysReferralSourceMixin(models.AbstractModel):
    """How the person came: on their own, through a structure, a health
    professional... Declared once for every record that asks it (the
    encounter, and the doors' records that hand it over to the encounter)."""

    _name = "psys.referral.source.mixin"
    _description = "How the person came"

    referral_source = fields.Selection(
        REFERRAL_SOURCES,
        string="How they came",
    )
    referral_partner_id = fields.Many2one(
        "res.partner",
        string="Referring structure",
        domain=[("psys_structure_type", "!=", False)],
    )

    def _get_referral_source_values(self):
        """The values to hand over to the encounter this record leads to."""
        self.ensure_one()
        return {"referral_source": self.referral_source, "referral_partner_id": self.referral_partner_id.id}
