from odoo import api, models

from .demo_visits import create_demo_visits


class PsysPermanenceDemo(models.AbstractModel):
    """The entry points that demo/psys_permanence_demo.xml calls; the
    generators themselves live with the demo data, in demo/."""

    _name = "psys.permanence.demo"
    _description = "Permanence demo data"

    @api.model
    def _create_demo_visits(self, permanence_ids):
        create_demo_visits(self.env, permanence_ids)
