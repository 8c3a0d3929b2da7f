from odoo import fields, models

STRUCTURE_TYPES = [
    ("ccas", "CCAS"),
    ("cias", "CIAS"),
    ("caf", "CAF"),
    ("msa", "MSA"),
    ("mission_locale", "Mission Locale"),
    ("social_centre", "Social centre"),
    ("clic", "CLIC"),
    ("town_hall", "Town hall"),
    ("cmp", "CMP"),
    ("cmpp", "CMPP"),
    ("gem", "GEM (peer-support group)"),
    ("hospital", "Hospital"),
    ("school", "School or university"),
    ("association", "Association"),
    ("health_professional", "Health professional"),
    ("mutuelle", "Mutual insurer (mutuelle)"),
    ("funder", "Funder"),
    ("other", "Other structure"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    psys_structure_type = fields.Selection(
        STRUCTURE_TYPES,
        string="Structure type",
        index=True,
        help="Set on partner structures (CCAS, CAF, Mission Locale, CMP…) that "
        "refer people, host permanences, receive orientations or fund programmes.",
    )
    psys_private_contact = fields.Boolean(
        string="Beneficiary contact",
        help="A named contact created with a beneficiary's consent: the retention purge anonymises it.",
    )
