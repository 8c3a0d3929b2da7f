"""A fake door, for the tests of psys_base's extension points.

What a real door (psys_permanence, psys_referral…) does, in a few lines: a
record about a person, kept for the statistics (its free text emptied by the
purge, its clinical themes guarded, the person recognised by the linking
key); a confidential record the purge deletes; a record the purge keeps as it
is; two indicators; a session that mirrors an encounter. And one model a door
should never write: clinical themes without the field guard.

Loaded with odoo-test-helper's ``FakeModelLoader`` *after* the registry is
backed up; a test module imports it inside ``setUpClass`` only (an import at
the top of a test file would register these models for every test).
"""

from odoo import api, fields, models

from odoo.addons.psys_base.models.psys_encounter import CLINICAL_GROUPS, CLINICAL_NOTES
from odoo.addons.psys_base.tools.age import AGE_BRACKETS
from odoo.addons.psys_base.tools.purge import PurgeSpec


class PsysFakeVisit(models.Model):
    _name = "psys.fake.visit"
    _description = "Fake door: a visit"
    _inherit = ["psys.field.guard", "psys.linking.mixin", "mail.thread"]

    beneficiary_id = fields.Many2one("psys.beneficiary", index=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    date_start = fields.Datetime(required=True, default=fields.Datetime.now)
    note = fields.Text()
    age_bracket = fields.Selection(AGE_BRACKETS, default="unknown")
    theme_ids = fields.Many2many("psys.theme", groups=CLINICAL_GROUPS)
    secret_ids = fields.One2many("psys.fake.secret", "visit_id", groups=CLINICAL_NOTES)


class PsysFakeSecret(models.Model):
    _name = "psys.fake.secret"
    _description = "Fake door: a confidential record"
    _inherit = ["mail.thread"]

    beneficiary_id = fields.Many2one("psys.beneficiary", index=True)
    visit_id = fields.Many2one("psys.fake.visit")
    body = fields.Text()


class PsysFakeCount(models.Model):
    _name = "psys.fake.count"
    _description = "Fake door: a head count"
    _inherit = ["mail.thread"]

    beneficiary_id = fields.Many2one("psys.beneficiary", index=True)
    label = fields.Char()


class PsysFakeSession(models.Model):
    """A session of the door that mirrors an encounter once held."""

    _name = "psys.fake.session"
    _description = "Fake door: a session that mirrors an encounter"
    _inherit = ["psys.workflow.guard", "psys.encounter.mirror"]
    _psys_workflow_fields = ("encounter_id", "held")

    beneficiary_id = fields.Many2one("psys.beneficiary", index=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    date_start = fields.Datetime(required=True)
    held = fields.Boolean()

    def _psys_encounter_values(self):
        self.ensure_one()
        return {
            "kind": "other",
            "beneficiary_id": self.beneficiary_id.id,
            "date_start": self.date_start,
            "company_id": self.company_id.id,
        }


class PsysFakeUnguarded(models.Model):
    """Clinical themes without the guard: what the registry test refuses."""

    _name = "psys.fake.unguarded"
    _description = "Fake door: an unguarded model"

    theme_ids = fields.Many2many("psys.theme", groups=CLINICAL_GROUPS)


class PsysBeneficiary(models.Model):
    _inherit = "psys.beneficiary"

    def _get_purge_specs(self):
        return super()._get_purge_specs() + [
            PurgeSpec("psys.fake.visit", "beneficiary_id", empty_fields=("note",)),
            PurgeSpec("psys.fake.secret", "beneficiary_id", delete=True),
            PurgeSpec("psys.fake.count", "beneficiary_id"),
        ]


class PsysReportHook(models.AbstractModel):
    _inherit = "psys.report.hook"

    @api.model
    def _get_indicator_definitions(self):
        return super()._get_indicator_definitions() + [
            {
                "code": "fake_visits",
                "family": "fake",
                "unit": "count",
                "name": "Fake visits",
                "definition": "Visits of the fake door in the period.",
                "source": "psys.fake.visit: date_start, company_id",
            },
            {
                "code": "fake_people",
                "family": "fake",
                "unit": "people",
                "name": "Fake people",
                "definition": "Distinct people seen by the fake door.",
                "source": "psys.fake.visit: beneficiary_id",
            },
        ]

    @api.model
    def _get_indicator_values(self, date_from, date_to, companies):
        values = super()._get_indicator_values(date_from, date_to, companies)
        start, stop = self._get_period_bounds(date_from, date_to, companies)
        visits = self.env["psys.fake.visit"].search(
            [("company_id", "in", companies.ids), ("date_start", ">=", start), ("date_start", "<", stop)]
        )
        if not visits:
            return values  # the fake programme did not run: no section
        people = len(visits.beneficiary_id)
        lines = [
            {"indicator": "fake_visits", "value": len(visits), "people": people},
            {"indicator": "fake_people", "value": people, "people": people},
        ]
        if self.env.context.get("psys_fake_orphan"):
            lines.append({"indicator": "fake_undefined", "value": 1, "people": None})
        return values + lines
