from odoo import fields, models

from ..tools.policy import REFERENCE, Policy


class PsysSituationTag(models.Model):
    _name = "psys.situation.tag"
    _inherit = ["psys.secured"]
    _description = "Situation of a beneficiary"
    _psys_policy = Policy(company=None, shared=REFERENCE)
    _order = "name"

    name = fields.Char(required=True)
    color = fields.Integer()
    is_clinical = fields.Boolean(
        string="Clinical",
        help="A clinical fact (a heavy pathology, a trauma…): only therapists and coordinators "
        "see it, never the reception desk.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [("name_uniq", "unique(name)", "This situation already exists.")]

    def write(self, vals):
        if "is_clinical" not in vals:
            return super().write(vals)
        # Checked before the sudo() below: only who may write tags moves them.
        self.check_access("write")
        moved = self.filtered(lambda tag: tag.is_clinical != bool(vals["is_clinical"]))
        # sudo: a coordinator (write access on tags, checked above) moves
        # the tag between the desk's and the clinicians' fields of every person.
        beneficiaries = (
            self.env["psys.beneficiary"]
            .sudo()
            .with_context(active_test=False)
            .search(["|", ("situation_tag_ids", "in", moved.ids), ("clinical_tag_ids", "in", moved.ids)])
        )
        links = {
            beneficiary: (beneficiary.situation_tag_ids | beneficiary.clinical_tag_ids) & moved
            for beneficiary in beneficiaries
        }
        for beneficiary, tags in links.items():
            beneficiary.write(
                {
                    "situation_tag_ids": [fields.Command.unlink(tag.id) for tag in tags],
                    "clinical_tag_ids": [fields.Command.unlink(tag.id) for tag in tags],
                }
            )
        result = super().write(vals)
        field = "clinical_tag_ids" if vals["is_clinical"] else "situation_tag_ids"
        for beneficiary, tags in links.items():
            beneficiary.write({field: [fields.Command.link(tag.id) for tag in tags]})
        return result
