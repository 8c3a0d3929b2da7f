from odoo import _, api, models

from odoo.addons.psys_base.models.psys_report_hook import ROLE_VOLUNTEER_HOURS

SHIFT_SOURCE = "psys.shift: user_id, role, session_id.start/stop (planned sessions)"


class PsysReportHook(models.AbstractModel):
    _inherit = "psys.report.hook"

    @api.model
    def _get_indicator_definitions(self):
        return super()._get_indicator_definitions() + [
            {
                "family": "rota",
                "code": "permanence_volunteer_hours",
                "name": _("Volunteer hours in permanences"),
                "unit": "hours",
                "definition": _("Hours of the held shifts of the planned permanence sessions."),
                "source": SHIFT_SOURCE,
                "role": ROLE_VOLUNTEER_HOURS,
            },
            {
                "family": "rota",
                "code": "permanence_volunteer_hours_role",
                "name": _("Volunteer hours per role"),
                "unit": "hours",
                "definition": _("Hours of the held shifts of this role."),
                "source": SHIFT_SOURCE,
            },
            {
                "family": "rota",
                "code": "permanence_volunteer_hours_user",
                "name": _("Volunteer hours per volunteer and role"),
                "unit": "hours",
                "definition": _("Hours held by this volunteer in this role."),
                "source": SHIFT_SOURCE,
                "internal": True,  # names a volunteer: never in a published bilan
            },
            {
                "family": "rota",
                "code": "permanence_coverage_rate",
                "name": _("Rota coverage rate"),
                "unit": "rate",
                "definition": _(
                    "Planned permanence sessions whose every role (reception, interview) had a volunteer, "
                    "over all planned sessions of the period."
                ),
                "source": "psys.session: state, date, coverage",
            },
        ]

    @api.model
    def _get_indicator_values(self, date_from, date_to, companies):
        values = super()._get_indicator_values(date_from, date_to, companies)
        sessions = self.env["psys.session"].search_count(
            [("company_id", "in", companies.ids), ("date", ">=", date_from), ("date", "<=", date_to)], limit=1
        )
        if not sessions:
            return values  # no permanence held in the period: no rota to report
        return (
            values
            + self._get_rota_values(date_from, date_to, companies)
            + self._get_coverage_values(date_from, date_to, companies)
        )

    @api.model
    def _get_rota_values(self, date_from, date_to, companies):
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
        values = [
            {"indicator": "permanence_volunteer_hours", "value": round(sum(per_role.values()), 2), "people": None}
        ]
        for role, hours in sorted(per_role.items()):
            values.append(
                {
                    "indicator": "permanence_volunteer_hours_role",
                    "code": f"permanence_volunteer_hours_{role}",
                    "label": _("Volunteer hours – %(role)s", role=roles[role]),
                    "value": round(hours, 2),
                    "people": None,
                }
            )
        for (user, role), hours in sorted(totals.items(), key=lambda item: (item[0][0].name, item[0][1])):
            values.append(
                {
                    "indicator": "permanence_volunteer_hours_user",
                    "code": f"permanence_volunteer_hours_{role}_user_{user.id}",
                    "label": _("Volunteer hours – %(volunteer)s – %(role)s", volunteer=user.name, role=roles[role]),
                    "value": round(hours, 2),
                    "people": None,
                }
            )
        return values

    @api.model
    def _get_coverage_values(self, date_from, date_to, companies):
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
                "indicator": "permanence_coverage_rate",
                "value": round(counts.get("covered", 0) / sessions, 4) if sessions else 0.0,
                "people": None,
            }
        ]
