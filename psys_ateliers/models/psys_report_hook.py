from collections import defaultdict
from datetime import datetime, time

from odoo import _, api, models


class PsysReportHook(models.AbstractModel):
    _inherit = "psys.report.hook"

    @api.model
    def _get_indicators(self, date_from, date_to, companies):
        return super()._get_indicators(date_from, date_to, companies) + self._psys_ateliers_indicators(
            date_from, date_to, companies
        )

    @api.model
    def _psys_ateliers_indicators(self, date_from, date_to, companies):
        """The four indicators of the Brive programme (seed 003)."""
        # Aggregates for funders: counts and means only, no identity leaves
        # this method; the report reader may lack the workshop rights.
        env = self.sudo().env
        start = datetime.combine(date_from, time.min)
        end = datetime.combine(date_to, time.max)
        workshops = env["event.event"].search(
            [
                ("psys_cycle_id", "!=", False),
                ("company_id", "in", companies.ids),
                ("date_begin", ">=", start),
                ("date_begin", "<=", end),
            ]
        )
        held = workshops.filtered("psys_held")
        stats = held._psys_alliance_stats()
        orientations = env["psys.orientation"].search(
            [
                ("psys_cycle_id", "!=", False),
                ("company_id", "in", companies.ids),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
            ]
        )
        oriented = env["psys.orientation"]._psys_people_count(orientations)
        sentinels = (
            env["psys.sentinel"]
            .with_context(active_test=False)
            .search_count(
                [
                    ("company_id", "in", companies.ids),
                    ("date_identified", ">=", date_from),
                    ("date_identified", "<=", date_to),
                ]
            )
        )
        source_workshops = "event.event (psys_cycle_id, registration_ids.state, psys_headcount_ids.count)"
        reached = held._psys_people_reached()
        indicators = [
            {
                "family": "brive",
                "code": "brive_workshops_held",
                "name": _("Workshops held"),
                "value": len(held),
                "unit": "count",
                "people": reached,
                "definition": _("Workshops of a cycle that started in the period and where attendance was recorded."),
                "source": source_workshops,
            },
            {
                "family": "brive",
                "code": "brive_people_reached",
                "name": _("People reached by the workshops"),
                "value": reached,
                "unit": "people",
                "people": reached,
                "definition": _(
                    "Distinct participants of the workshops held (pseudonymous codes counted once) "
                    "plus the head counts of the open sessions."
                ),
                "source": source_workshops,
            },
            {
                "family": "brive",
                "code": "brive_alliance_score",
                "name": _("Quality of the alliance"),
                # The scale of the cycles and workshops: out of 5, everywhere.
                "value": stats["mean"],
                "unit": "score5",
                "people": stats["respondents"],
                "definition": _(
                    "Mean of the answers to the satisfaction questions of the evaluation questionnaires, "
                    "out of 5 (1: lowest answer, 5: highest answer), as on the cycles and workshops."
                ),
                "source": "survey.user_input.line (value_scale, question_id.psys_alliance)",
            },
            {
                "family": "brive",
                "code": "brive_people_oriented",
                "name": _("People oriented after the workshops"),
                "value": oriented,
                "unit": "people",
                "people": oriented,
                "definition": _("Distinct people oriented to specialised support after a workshop or an interview."),
                "source": "psys.orientation (psys_cycle_id, beneficiary_id)",
            },
            {
                "family": "brive",
                "code": "brive_sentinels_identified",
                "name": _("Sentinels identified"),
                "value": sentinels,
                "unit": "people",
                "people": sentinels,
                "definition": _("People entered in the sentinel register in the period."),
                "source": "psys.sentinel (date_identified)",
            },
        ]
        return indicators + self._psys_ateliers_neighbourhood_indicators(held)

    @api.model
    def _psys_ateliers_neighbourhood_indicators(self, held):
        """Workshops held and people reached, per neighbourhood."""
        by_territory = defaultdict(lambda: held.browse())
        for workshop in held:
            by_territory[workshop.psys_territory_id] |= workshop
        indicators = []
        for territory, workshops in sorted(by_territory.items(), key=lambda item: item[0].complete_name or ""):
            reached = workshops._psys_people_reached()
            indicators += [
                {
                    "family": "brive",
                    "code": f"brive_workshops_held_{territory.id}",
                    "name": _("Workshops held – %(neighbourhood)s", neighbourhood=territory.complete_name),
                    "value": len(workshops),
                    "unit": "count",
                    "people": reached,
                    "definition": _("Workshops held in this neighbourhood in the period."),
                    "source": "event.event (psys_territory_id)",
                },
                {
                    "family": "brive",
                    "code": f"brive_people_reached_{territory.id}",
                    "name": _("People reached – %(neighbourhood)s", neighbourhood=territory.complete_name),
                    "value": reached,
                    "unit": "people",
                    "people": reached,
                    "definition": _("Distinct people reached by the workshops of this neighbourhood in the period."),
                    "source": "event.event (psys_territory_id)",
                },
            ]
        return indicators
