from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.psys_base.tools.policy import FORM, Policy
from odoo.addons.psys_base.tools.summary import notification

COORDINATOR = "psys_base.group_psys_coordinator"
# A school year and its margins; longer periods are split in several runs.
MAX_PERIOD_DAYS = 731


class PsysSessionGenerate(models.TransientModel):
    """Generate the sessions of some permanences over a period the
    coordinator chooses (e.g. the next school year), without the settings."""

    _name = "psys.session.generate"
    _inherit = ["psys.secured"]
    _description = "Generate permanence sessions for a period"
    _psys_policy = Policy(company=None, shared=FORM)

    permanence_ids = fields.Many2many(
        "psys.permanence",
        string="Permanences",
        required=True,
        default=lambda self: self._default_permanence_ids(),
    )
    date_from = fields.Date(string="From", required=True, default=fields.Date.context_today)
    date_to = fields.Date(
        string="Until",
        required=True,
        default=lambda self: fields.Date.context_today(self) + timedelta(days=90),
    )

    @api.model
    def _default_permanence_ids(self):
        if self.env.context.get("active_model") == "psys.permanence" and self.env.context.get("active_ids"):
            return self.env["psys.permanence"].browse(self.env.context["active_ids"])
        return self.env["psys.permanence"].search([])

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            if wizard.date_to < wizard.date_from:
                raise ValidationError(_("The period ends before it starts."))
            if (wizard.date_to - wizard.date_from).days > MAX_PERIOD_DAYS:
                raise ValidationError(_("Generate at most two years of sessions at once."))

    def action_generate(self):
        """Create the missing sessions of the period (idempotent: days that
        already have a session, even cancelled, get nothing new)."""
        self.ensure_one()
        self._psys_check_action("write", COORDINATOR)
        self.permanence_ids._psys_check_action("write", COORDINATOR)
        counts = {}
        self.permanence_ids._generate_sessions(self.date_from, self.date_to, counts=counts)
        action = self.env["ir.actions.act_window"]._for_xml_id("psys_permanence.psys_session_action")
        action.update(
            {
                "name": _("Generated sessions"),
                "view_mode": "list,calendar,form",
                "views": [(False, "list"), (False, "calendar"), (False, "form")],
                "domain": [
                    ("permanence_id", "in", self.permanence_ids.ids),
                    ("date", ">=", self.date_from),
                    ("date", "<=", self.date_to),
                ],
                "context": {"search_default_planned": 1},
            }
        )
        # Said, then shown: the notification counts what was made and skipped.
        return notification(self.env["psys.permanence"]._generation_summary(counts), action)
