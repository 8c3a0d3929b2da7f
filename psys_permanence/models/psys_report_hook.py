from odoo import _, api, models


class PsysReportHook(models.AbstractModel):
    _inherit = "psys.report.hook"

    @api.model
    def _get_indicators(self, date_from, date_to, companies):
        return super()._get_indicators(date_from, date_to, companies) + self._get_rota_indicators(
            date_from, date_to, companies
        )

    @api.model
    def _get_rota_indicators(self, date_from, date_to, companies):
        """Volunteer hours held in planned sessions, in total, per role and per volunteer and role."""
        shifts = self.env["psys.shift"].search(
            [
                ("company_id", "in", companies.ids),
                ("session_state", "=", "planned"),
                ("user_id", "!=", False),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
            ]
        )
        roles = dict(shifts._fields["role"]._description_selection(self.env))
        totals, per_role = {}, {}
        for shift in shifts:
            key = (shift.user_id, shift.role)
            totals[key] = totals.get(key, 0.0) + shift.duration
            per_role[shift.role] = per_role.get(shift.role, 0.0) + shift.duration
        source = "psys.shift: user_id, role, session_id.start/stop (planned sessions)"
        indicators = [
            {
                "family": "rota",
                "code": "permanence_volunteer_hours",
                "name": _("Volunteer hours in permanences"),
                "value": round(sum(per_role.values()), 2),
                "unit": "hours",
                "people": None,
                "definition": _("Hours of the held shifts of the planned permanence sessions."),
                "source": source,
            }
        ]
        for role, hours in sorted(per_role.items()):
            indicators.append(
                {
                    "family": "rota",
                    "code": f"permanence_volunteer_hours_{role}",
                    "name": _("Volunteer hours – %(role)s", role=roles[role]),
                    "value": round(hours, 2),
                    "unit": "hours",
                    "people": None,
                    "definition": _("Hours of the held shifts of this role."),
                    "source": source,
                }
            )
        for (user, role), hours in sorted(totals.items(), key=lambda item: (item[0][0].name, item[0][1])):
            indicators.append(
                {
                    "family": "rota",
                    "code": f"permanence_volunteer_hours_{role}_user_{user.id}",
                    "name": _("Volunteer hours – %(volunteer)s – %(role)s", volunteer=user.name, role=roles[role]),
                    "value": round(hours, 2),
                    "unit": "hours",
                    "people": None,
                    "definition": _("Hours held by this volunteer in this role."),
                    "source": source,
                    "internal": True,  # names a volunteer: never in a published bilan
                }
            )
        return indicators + self._get_coverage_indicators(date_from, date_to, companies)

    @api.model
    def _get_coverage_indicators(self, date_from, date_to, companies):
        """Share of the planned sessions whose every role slot was filled."""
        counts = dict(
            self.env["psys.session"]._read_group(
                [
                    ("company_id", "in", companies.ids),
                    ("state", "=", "planned"),
                    ("date", ">=", date_from),
                    ("date", "<=", date_to),
                ],
                ["coverage"],
                ["__count"],
            )
        )
        sessions = sum(counts.values())
        return [
            {
                "family": "rota",
                "code": "permanence_coverage_rate",
                "name": _("Rota coverage rate"),
                "value": round(counts.get("covered", 0) / sessions, 4) if sessions else 0.0,
                "unit": "ratio",
                "people": None,
                "definition": _(
                    "Planned permanence sessions whose every role (reception, interview) had a volunteer, "
                    "over all planned sessions of the period."
                ),
                "source": "psys.session: state, date, coverage",
            }
        ]
