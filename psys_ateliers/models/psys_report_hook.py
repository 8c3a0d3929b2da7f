from collections import defaultdict

from odoo import _, api, models

WORKSHOPS_SOURCE = "event.event (psys_cycle_id, registration_ids.state, psys_headcount_ids.count)"


class PsysReportHook(models.AbstractModel):
    _inherit = "psys.report.hook"

    @api.model
    def _get_indicator_definitions(self):
        """The four indicators of the Brive programme (seed 003), in total
        and per neighbourhood."""
        return super()._get_indicator_definitions() + [
            {
                "family": "brive",
                "code": "brive_workshops_held",
                "name": _("Workshops held"),
                "unit": "count",
                "definition": _("Workshops of a cycle that started in the period and where attendance was recorded."),
                "source": WORKSHOPS_SOURCE,
            },
            {
                "family": "brive",
                "code": "brive_people_reached",
                "name": _("People reached by the workshops"),
                "unit": "people",
                "definition": _(
                    "Distinct participants of the workshops held (pseudonymous codes counted once) "
                    "plus the head counts of the open sessions."
                ),
                "source": WORKSHOPS_SOURCE,
            },
            {
                "family": "brive",
                "code": "brive_alliance_score",
                "name": _("Quality of the alliance"),
                # The scale of the cycles and workshops: out of 5, everywhere.
                "unit": "score5",
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
                "unit": "people",
                "definition": _("Distinct people oriented to specialised support after a workshop or an interview."),
                "source": "psys.orientation (psys_cycle_id, beneficiary_id)",
            },
            {
                "family": "brive",
                "code": "brive_sentinels_identified",
                "name": _("Sentinels identified"),
                "unit": "people",
                "definition": _("People entered in the sentinel register in the period."),
                "source": "psys.sentinel (date_identified)",
            },
            {
                "family": "brive",
                "code": "brive_workshops_held_territory",
                "name": _("Workshops held per neighbourhood"),
                "unit": "count",
                "definition": _("Workshops held in this neighbourhood in the period."),
                "source": "event.event (psys_territory_id)",
            },
            {
                "family": "brive",
                "code": "brive_people_reached_territory",
                "name": _("People reached per neighbourhood"),
                "unit": "people",
                "definition": _("Distinct people reached by the workshops of this neighbourhood in the period."),
                "source": "event.event (psys_territory_id)",
            },
        ]

    @api.model
    def _get_indicator_values(self, date_from, date_to, companies):
        return super()._get_indicator_values(date_from, date_to, companies) + self._psys_ateliers_values(
            date_from, date_to, companies
        )

    @api.model
    def _psys_ateliers_values(self, date_from, date_to, companies):
        """The figures of the Brive programme; none when no workshop cycle
        of the companies runs in the period."""
        # Aggregates for funders: counts and means only, no identity leaves
        # this method; the report reader may lack the workshop rights.
        env = self.sudo().env
        cycles = (
            env["psys.workshop.cycle"]
            .with_context(active_test=False)
            .search_count(
                [
                    ("company_id", "in", companies.ids),
                    ("date_start", "<=", date_to),
                    ("date_end", ">=", date_from),
                ],
                limit=1,
            )
        )
        if not cycles:
            return []
        start, stop = self._get_period_bounds(date_from, date_to, companies)
        workshops = env["event.event"].search(
            [
                ("psys_cycle_id", "!=", False),
                ("company_id", "in", companies.ids),
                ("date_begin", ">=", start),
                ("date_begin", "<", stop),
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
        reached = held._psys_people_reached()
        values = [
            {"indicator": "brive_workshops_held", "value": len(held), "people": reached},
            {"indicator": "brive_people_reached", "value": reached, "people": reached},
            {"indicator": "brive_alliance_score", "value": stats["mean"], "people": stats["respondents"]},
            {"indicator": "brive_people_oriented", "value": oriented, "people": oriented},
            {"indicator": "brive_sentinels_identified", "value": sentinels, "people": sentinels},
        ]
        return values + self._psys_ateliers_neighbourhood_values(held)

    @api.model
    def _psys_ateliers_neighbourhood_values(self, held):
        """Workshops held and people reached, per neighbourhood."""
        by_territory = defaultdict(lambda: held.browse())
        for workshop in held:
            by_territory[workshop.psys_territory_id] |= workshop
        values = []
        for territory, workshops in sorted(by_territory.items(), key=lambda item: item[0].complete_name or ""):
            reached = workshops._psys_people_reached()
            values += [
                {
                    "indicator": "brive_workshops_held_territory",
                    "code": f"brive_workshops_held_{territory.id}",
                    "label": _("Workshops held – %(neighbourhood)s", neighbourhood=territory.complete_name),
                    "value": len(workshops),
                    "people": reached,
                },
                {
                    "indicator": "brive_people_reached_territory",
                    "code": f"brive_people_reached_{territory.id}",
                    "label": _("People reached – %(neighbourhood)s", neighbourhood=territory.complete_name),
                    "value": reached,
                    "people": reached,
                },
            ]
        return values
