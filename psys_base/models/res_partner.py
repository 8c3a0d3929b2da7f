from odoo import api, fields, models

from ..tools.policy import CORE, Policy
from .psys_secured import secured_write

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
    _name = "res.partner"
    _inherit = ["res.partner", "psys.action.guard"]
    # Whether a contact is a person's named contact (read by the Named
    # contacts group only) and how long the law keeps it (accounting roles
    # only): set by the consent wizard and the purge, never by a user's write.
    _psys_policy = Policy(company=None, shared=CORE, ownership=("psys_private_contact", "psys_retain_until"))

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

    @api.model_create_multi
    def create(self, vals_list):
        # A named contact belongs to the association that records it: the
        # company rule on partners then hides it from the other associations.
        for vals in vals_list:
            private = vals.get("psys_private_contact", self.env.context.get("default_psys_private_contact"))
            if private and not vals.get("company_id"):
                vals["company_id"] = self.env.company.id
        return super().create(vals_list)

    def write(self, vals):
        return secured_write(self, vals, super().write)

    psys_retain_until = fields.Date(
        string="Kept until",
        readonly=True,
        copy=False,
        help="A purged beneficiary contact named on accounting documents keeps its name (and address) "
        "on them until this date, the end of their legal retention; then the purge anonymises it.",
    )

    def _psys_get_retention_end(self):
        """{contact id: date}: the contacts that documents the law requires to
        keep (invoices) still name, and until when. Doors add theirs."""
        return {}

    def _psys_purge_traces(self):
        """Wipe what the doors wrote about these purged contacts outside their
        own records (e-mails of invoices, their attachments), keeping the
        documents the law requires. Doors extend it."""

    def _psys_end_retention(self):
        """The retention of these contacts' documents is over: the doors drop
        the documents' copies (PDF) they keep; the contact is anonymised."""
