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
