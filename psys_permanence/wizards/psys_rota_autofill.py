from collections import defaultdict
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.psys_base.tools.groups import COORDINATOR
from odoo.addons.psys_base.tools.policy import FORM, Policy

from ..models.psys_shift import ROLE_GROUPS


def hours_between(start, stop):
    return (stop - start).total_seconds() / 3600


class PsysRotaAutofill(models.TransientModel):
    """Fill the open shifts of a period with the declared volunteers, fairly."""

    _name = "psys.rota.autofill"
    _inherit = ["psys.secured"]
    _description = "Rota auto-fill"
    _psys_policy = Policy(company=None, shared=FORM)

    date_from = fields.Date(required=True, default=fields.Date.context_today)
    date_to = fields.Date(required=True, default=lambda self: fields.Date.context_today(self) + timedelta(days=30))
    location_ids = fields.Many2many("psys.location", string="Antennas", help="Empty: every antenna.")
    permanence_ids = fields.Many2many(
        "psys.permanence", string="Permanences", help="Empty: every permanence of the chosen antennas."
    )
    filled_count = fields.Integer(readonly=True)
    unfilled_count = fields.Integer(readonly=True)
    report = fields.Text(readonly=True)
    unfilled_shift_ids = fields.Many2many("psys.shift", string="Unfilled shifts", readonly=True)
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft", required=True)

    def action_fill(self):
        self.ensure_one()
        self._psys_check_action("write", COORDINATOR)
        self.location_ids._psys_check_action("read")
        if self.date_to < self.date_from:
            raise UserError(_("The period of the auto-fill ends before it starts."))
        filled, unfilled = self._fill()
        lines = [
            _(
                "%(session)s – %(role)s: nobody available",
                session=shift.session_id.display_name,
                role=dict(shift._fields["role"]._description_selection(self.env))[shift.role],
            )
            for shift in unfilled
        ]
        self.write(
            {
                "state": "done",
                "filled_count": len(filled),
                "unfilled_count": len(unfilled),
                "report": "\n".join(lines) or _("Every open shift of the period is filled."),
                "unfilled_shift_ids": [fields.Command.set(unfilled.ids)],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": _("Auto-fill result"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_ask_volunteers(self):
        """Offer every shift left open to the volunteers who could take it."""
        self.ensure_one()
        self._psys_check_action("write", COORDINATOR)
        return self.unfilled_shift_ids.action_ask_volunteers()

    def action_open_unfilled(self):
        """The shifts left open, in the rota grid, to fill them by hand."""
        self.ensure_one()
        self._psys_check_action("read", COORDINATOR)
        action = self.env["ir.actions.act_window"]._for_xml_id("psys_permanence.psys_shift_action_rota")
        action.update(
            {
                "name": _("Shifts left open"),
                "domain": [("id", "in", self.unfilled_shift_ids.ids)],
                "context": {"search_default_group_week": 1, "search_default_group_location": 1},
                "target": "current",
            }
        )
        return action

    def _get_open_shift_domain(self):
        domain = [
            ("user_id", "=", False),
            ("session_state", "=", "planned"),
            ("date", ">=", self.date_from),
            ("date", "<=", self.date_to),
            ("company_id", "in", self.env.companies.ids),
        ]
        if self.location_ids:
            domain.append(("location_id", "in", self.location_ids.ids))
        if self.permanence_ids:
            domain.append(("permanence_id", "in", self.permanence_ids.ids))
        return domain

    def _fill(self):
        """Assign the open shifts; return (filled shifts, shifts left open).

        Greedy and fair: each shift, in time order, goes to the qualified
        and available volunteer with the fewest shifts over the period (then
        the fewest hours); a volunteer is never put in two overlapping
        sessions, whatever the antenna, nor above their monthly maximum.
        """
        Shift = self.env["psys.shift"]
        open_shifts = Shift.search(self._get_open_shift_domain(), order="start, id")
        if not open_shifts:
            return Shift, Shift
        availabilities = self.env["psys.volunteer.availability"].search([("company_id", "in", self.env.companies.ids)])
        qualified = {role: self.env.ref(group).users for role, group in ROLE_GROUPS.items()}
        volunteers = []
        for availability in availabilities:
            if not availability.user_id.active:
                continue
            volunteers.append(
                {
                    "user": availability.user_id,
                    "weekdays": availability._get_weekdays(),
                    "locations": set(availability.location_ids.ids),
                    "roles": {
                        role
                        for role in ROLE_GROUPS
                        if availability.user_id in qualified[role] and availability.role_preference in ("any", role)
                    },
                    "unavailable": availability._get_unavailable_days(),
                    "max": availability.max_shifts_month,
                    "company": availability.company_id.id,
                }
            )
        users = self.env["res.users"].browse([volunteer["user"].id for volunteer in volunteers])
        # What the volunteers already hold: busy intervals, monthly counts, load over the period.
        first = min(open_shifts.mapped("date")).replace(day=1)
        last = max(open_shifts.mapped("date")) + timedelta(days=31)
        held = Shift.search_read(
            [
                ("user_id", "in", users.ids),
                ("session_state", "=", "planned"),
                ("date", ">=", first),
                ("date", "<=", last),
            ],
            ["user_id", "start", "stop", "date"],
            load=None,
        )
        busy = defaultdict(list)
        monthly = defaultdict(int)
        load = defaultdict(int)
        hours = defaultdict(float)
        for shift in held:
            user_id = shift["user_id"]
            busy[(user_id, shift["date"])].append((shift["start"], shift["stop"]))
            monthly[(user_id, shift["date"].year, shift["date"].month)] += 1
            if self.date_from <= shift["date"] <= self.date_to:
                load[user_id] += 1
                hours[user_id] += hours_between(shift["start"], shift["stop"])
        assignments = defaultdict(list)
        unfilled = []
        shift_rows = open_shifts.read(["date", "start", "stop", "role", "company_id", "location_id"], load=None)
        for volunteer in volunteers:
            volunteer["user_id"] = volunteer["user"].id
        # The volunteers who may hold a role at a place on a weekday, found
        # once for all the shifts alike (the rota repeats itself every week).
        candidates = {}
        for row in shift_rows:
            day, start, stop, role = row["date"], row["start"], row["stop"], row["role"]
            weekday, month = day.weekday(), (day.year, day.month)
            key = (role, row["company_id"], weekday, row["location_id"])
            if key not in candidates:
                candidates[key] = [
                    volunteer
                    for volunteer in volunteers
                    if role in volunteer["roles"]
                    and volunteer["company"] == row["company_id"]
                    and weekday in volunteer["weekdays"]
                    and (not volunteer["locations"] or row["location_id"] in volunteer["locations"])
                ]
            best, best_key = None, None
            for volunteer in candidates[key]:
                user_id = volunteer["user_id"]
                if day in volunteer["unavailable"] or (
                    volunteer["max"] and monthly[(user_id, *month)] >= volunteer["max"]
                ):
                    continue
                if any(
                    other_start < stop and start < other_stop
                    for other_day in (day, day - timedelta(days=1))
                    for other_start, other_stop in busy.get((user_id, other_day), ())
                ):
                    continue
                key = (load[user_id], hours[user_id], user_id)
                if best_key is None or key < best_key:
                    best, best_key = user_id, key
            if best is None:
                unfilled.append(row["id"])
                continue
            assignments[best].append(row["id"])
            busy[(best, day)].append((start, stop))
            monthly[(best, *month)] += 1
            load[best] += 1
            hours[best] += hours_between(start, stop)
        filled = Shift
        # A bulk assignment, reported by the wizard: no tracking message nor
        # "assigned to you" mail per shift (the calendar carries the shifts).
        # The sessions' events follow once, before the commit (psys.calendar.mirror).
        bulk = Shift.with_context(tracking_disable=True, mail_auto_subscribe_no_notify=True)
        for user_id, shift_ids in assignments.items():
            shifts = bulk.browse(shift_ids)
            shifts.write({"user_id": user_id})
            filled |= shifts
        return filled.with_env(self.env), Shift.browse(unfilled)

    @api.model
    def _autofill(self, date_from, date_to, locations=None, permanences=None):
        """Programmatic entry point: fill the period (of these antennas, of
        these permanences), return (filled, unfilled)."""
        wizard = self.create(
            {
                "date_from": date_from,
                "date_to": date_to,
                "location_ids": [fields.Command.set(locations.ids if locations else [])],
                "permanence_ids": [fields.Command.set(permanences.ids if permanences else [])],
            }
        )
        return wizard._fill()
