from datetime import date

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.psys_base.tests.common import PsysCase

FACILITATOR = "psys_ateliers.group_psys_facilitator"


class PsysAteliersCase(PsysCase):
    """PsysCase plus a facilitator, two funders and a cycle in the past, so
    that attendance can be recorded on its workshops."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_facilitator = mail_new_test_user(
            cls.env, login="psys_facilitator", groups=FACILITATOR, name="Fanny Facilitatrice"
        )
        cls.funder_state = cls.env["res.partner"].create(
            {"name": "État – Politique de la ville", "is_company": True, "psys_structure_type": "funder"}
        )
        cls.funder_ars = cls.env["res.partner"].create(
            {"name": "ARS Nouvelle-Aquitaine", "is_company": True, "psys_structure_type": "funder"}
        )
        # The cycles of these tests run in 2025: that year's public holidays too.
        cls.company._psys_sync_public_holidays(2025)
        cls.cycle = cls._cycle()

    @classmethod
    def _cycle(cls, **values):
        return cls.env["psys.workshop.cycle"].create(
            dict(
                {
                    "name": "Santé mentale dans mon quartier",
                    "territory_id": cls.territory.id,
                    "location_id": cls.location.id,
                    "date_start": date(2025, 1, 6),
                    "date_end": date(2025, 3, 31),
                    "target_people": 40,
                    "user_ids": [(6, 0, cls.user_facilitator.ids)],
                },
                **values,
            )
        )

    @classmethod
    def _generate(cls, cycle, **values):
        wizard = cls.env["psys.workshop.generate"].create(dict({"cycle_id": cycle.id, "tz": "Europe/Paris"}, **values))
        wizard.action_generate()
        return cycle.event_ids.sorted("date_begin")

    @classmethod
    def _french(cls):
        """Load the French terms of the addon, to check the errors users read."""
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["psys_ateliers"], ["fr_FR"], overwrite=True)
        return cls.env(context=dict(cls.env.context, lang="fr_FR"))
