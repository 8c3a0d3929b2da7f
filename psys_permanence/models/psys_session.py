from datetime import timedelta

import babel
from markupsafe import Markup

from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.tools import date_utils, format_date
from odoo.tools.misc import get_lang

from odoo.addons.psys_base.tools.groups import COORDINATOR, RECEPTION
from odoo.addons.psys_base.tools.policy import Policy

COVERAGES = [("covered", "Covered"), ("understaffed", "Understaffed"), ("uncovered", "Uncovered")]
COVERAGE_COLORS = {"covered": 10, "understaffed": 2, "uncovered": 1}
MODALITY_KINDS = {"on_site": "permanence", "phone": "phone", "outdoor": "outdoor", "group": "group"}


def coverage_values(slots, filled, state):
    """The coverage fields of a session in ``state`` with ``filled`` of its ``slots`` shifts held."""
    if slots and filled >= slots:
        coverage = "covered"
    elif filled:
        coverage = "understaffed"
    else:
        coverage = "uncovered"
    return {
        "slot_count": slots,
        "filled_count": filled,
        "coverage": coverage,
        "coverage_color": COVERAGE_COLORS[coverage] if state == "planned" else 0,
    }


def label_week_groups(records, rows, groupby):
    """Weeks named in words, « Semaine 50, du 7 déc. au 13 déc. 2026 »,
    instead of the read_group's "W50 2026", for the groupings by week."""
    for group in groupby:
        if not group.endswith(":week"):
            continue
        for row in rows:
            period = (row.get("__range") or {}).get(group)
            if not period:
                continue
            first = fields.Date.to_date(period["from"][:10])
            last = fields.Date.to_date(period["to"][:10]) - timedelta(days=1)
            # The week's number as the read_group counts it (the language's first weekday).
            _year, week = date_utils.weeknumber(babel.Locale.parse(get_lang(records.env).code), first)
            row[group] = records.env._(
                "Week %(week)s, %(first)s to %(last)s",
                week=week,
                first=format_date(records.env, first, date_format="d MMM"),
                last=format_date(records.env, last, date_format="d MMM yyyy"),
            )
    return rows


class PsysSession(models.Model):
    """One occurrence of a permanence: a day, local hours, and its rota."""

    _name = "psys.session"
    _description = "Permanence session"
    _psys_policy = Policy(workflow=("state",))
    _inherit = ["psys.secured", "psys.calendar.mirror", "mail.thread", "mail.activity.mixin"]
    _psys_mirror_fields = ("start", "stop", "state")
    _order = "start, id"

    permanence_id = fields.Many2one("psys.permanence", required=True, ondelete="restrict", index=True)
    # Precomputed (with the coverage): a new session's row is inserted whole,
    # not updated after (see ``create``).
    location_id = fields.Many2one(
        related="permanence_id.location_id", store=True, precompute=True, index=True, string="Antenna"
    )
    modality = fields.Selection(related="permanence_id.modality", store=True, precompute=True)
    company_id = fields.Many2one(related="permanence_id.company_id", store=True, precompute=True, index=True)
    date = fields.Date(required=True, index=True, help="Local date of the session.")
    start = fields.Datetime(required=True, index=True)
    stop = fields.Datetime(required=True)
    duration = fields.Float(compute="_compute_duration", string="Duration (hours)")
    state = fields.Selection(
        [("planned", "Planned"), ("cancelled", "Cancelled")],
        required=True,
        default="planned",
        tracking=True,
        index=True,
    )
    cancel_reason = fields.Char(tracking=True)
    shift_ids = fields.One2many("psys.shift", "session_id", string="Rota")
    slot_count = fields.Integer(string="Slots", compute="_compute_coverage", store=True, precompute=True)
    filled_count = fields.Integer(string="Filled", compute="_compute_coverage", store=True, precompute=True)
    coverage = fields.Selection(COVERAGES, compute="_compute_coverage", store=True, precompute=True, index=True)
    coverage_color = fields.Integer(compute="_compute_coverage", store=True, precompute=True)
    volunteer_ids = fields.Many2many("res.users", string="Volunteers", compute="_compute_volunteer_ids")
    visit_ids = fields.One2many("psys.desk.visit", "session_id", string="Visits")
    visit_count = fields.Integer(compute="_compute_visit_count")
    encounter_ids = fields.One2many("psys.encounter", "session_id", string="Encounters")

    _sql_constraints = [
        ("permanence_date_uniq", "unique(permanence_id, date)", "A permanence holds one session a day."),
    ]

    @api.depends("start", "stop")
    def _compute_duration(self):
        for session in self:
            session.duration = (session.stop - session.start).total_seconds() / 3600 if session.start else 0.0

    @api.depends("permanence_id.name", "date", "location_id.name")
    def _compute_display_name(self):
        for session in self:
            # The local date of the session, written in the reader's language.
            day = (session.date and format_date(self.env, session.date)) or ""
            session.display_name = f"{session.permanence_id.name or ''} · {day}"

    @api.depends("shift_ids.user_id", "state")
    def _compute_coverage(self):
        for session in self:
            session.update(
                coverage_values(len(session.shift_ids), len(session.shift_ids.filtered("user_id")), session.state)
            )

    def _add_precomputed_values(self, vals_list):
        """The copies of each new session's permanence fields and, when its
        rota comes as new shifts only (a generation), its coverage, read from
        the permanences at once: the rows are inserted whole, neither updated
        after nor computed one new record at a time (Odoo's way for
        precomputed fields, which it does for the values left missing here)."""
        ids = {vals["permanence_id"] for vals in vals_list if vals.get("permanence_id")}
        permanences = {permanence.id: permanence for permanence in self.env["psys.permanence"].browse(ids)}
        for vals in vals_list:
            permanence = permanences.get(vals.get("permanence_id"))
            if not permanence:
                continue  # refused by the required permanence
            copies = {
                "location_id": permanence.location_id.id,
                "modality": permanence.modality,
                "company_id": permanence.company_id.id,
            }
            commands = vals.get("shift_ids") or []
            if all(command[0] == fields.Command.CREATE for command in commands):
                holders = [command[2].get("user_id") for command in commands]
                copies.update(coverage_values(len(holders), len(list(filter(None, holders))), vals.get("state")))
            vals.update(copies)
            vals["__precomputed__"] = {self._fields[name] for name in copies}
        return super()._add_precomputed_values(vals_list)

    @api.depends("shift_ids.user_id")
    def _compute_volunteer_ids(self):
        for session in self:
            session.volunteer_ids = session.shift_ids.user_id

    def _compute_visit_count(self):
        counts = dict(
            self.env["psys.desk.visit"]._read_group([("session_id", "in", self.ids)], ["session_id"], ["__count"])
        )
        for session in self:
            session.visit_count = counts.get(session, 0)

    @api.constrains("start", "stop")
    def _check_interval(self):
        for session in self:
            if session.stop <= session.start:
                raise ValidationError(_("A session cannot end before it starts."))

    def _read_group_format_result(self, rows_dict, lazy_groupby):
        result = super()._read_group_format_result(rows_dict, lazy_groupby)
        label_week_groups(self, rows_dict, lazy_groupby)
        return result

    @tools.ormcache("lang")
    def _psys_role_labels(self, lang):
        """{role: its label in ``lang``}, read once per language."""
        return dict(self.env["psys.shift"]._fields["role"]._description_selection(self.with_context(lang=lang).env))

    def _psys_event_values(self):
        self.ensure_one()
        return self._psys_events_values()[self.id]

    def _psys_events_values(self):
        """One event per planned session with a held shift: its volunteers
        as attendees (each sees her shifts in her calendar), their roles in
        the description. The shifts, volunteers and places of all the
        sessions are read at once, each label and place written once."""
        volunteers = {user.id: (user.name, user.partner_id.id) for user in self.shift_ids.user_id}
        labels, places, result = {}, {}, {}
        for session in self:
            held = sorted(
                ((shift.role != "reception", shift.id, shift.role, shift.user_id.id) for shift in session.shift_ids),
                key=lambda item: item[:2],
            )
            held = [(role, user_id) for _order, _id, role, user_id in held if user_id]
            if session.state != "planned" or not held:
                result[session.id] = None
                continue
            # In the association's language: the event is its volunteers' (not
            # of whoever changed the rota last): "Entretiens" everywhere.
            lang = session.company_id.partner_id.lang or self.env.lang
            if lang not in labels:
                labels[lang] = self._psys_role_labels(lang)
            names = {}
            for role, user_id in held:
                names.setdefault(labels[lang][role], []).append(volunteers[user_id][0])
            lines = [Markup("%s : %s") % (role, ", ".join(people)) for role, people in names.items()]
            location = session.location_id
            if location not in places:
                places[location] = ", ".join(
                    filter(None, [location.name, location.street, location.zip, location.city])
                )
            result[session.id] = {
                "name": session.permanence_id.name,
                "start": session.start,
                "stop": session.stop,
                "user_id": False,
                "partner_ids": list(dict.fromkeys(volunteers[user_id][1] for _role, user_id in held)),
                "location": places[location],
                "description": Markup("<p>%s</p>") % Markup("<br>").join(lines),
            }
        return result

    def action_cancel(self):
        self._psys_check_action("write", COORDINATOR)
        return {
            "type": "ir.actions.act_window",
            "name": _("Cancel sessions"),
            "res_model": "psys.session.cancel",
            "view_mode": "form",
            "target": "new",
            "context": {"default_session_ids": self.ids},
        }

    def action_reopen(self):
        self._psys_check_action("write", COORDINATOR)
        # sudo: workflow field, the caller was checked above.
        self.filtered(lambda session: session.state == "cancelled").sudo().write(
            {"state": "planned", "cancel_reason": False}
        )

    def action_open_desk(self):
        self.ensure_one()
        self._psys_check_action("read", RECEPTION)
        action = self.env["ir.actions.act_window"]._for_xml_id("psys_permanence.psys_desk_visit_action")
        action["domain"] = [("session_id", "=", self.id)]
        action["context"] = {"default_session_id": self.id}
        return action

    def action_new_encounter(self):
        """Record a phone call, an outdoor talk or a group session held in this session."""
        self.ensure_one()
        self._psys_check_action("read", RECEPTION)
        self.env["psys.encounter"].check_access("create")
        return {
            "type": "ir.actions.act_window",
            "res_model": "psys.encounter",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_session_id": self.id,
                "default_kind": MODALITY_KINDS.get(self.modality, "individual"),
                "default_location_id": self.location_id.id,
                "default_date_start": fields.Datetime.to_string(min(self.start, fields.Datetime.now())),
            },
        }

    def _cancel(self, reason):
        """Cancel the sessions, tell their volunteers why, drop their calendar events."""
        if not (reason or "").strip():
            raise UserError(_("Give the reason of the cancellation: the volunteers receive it."))
        sessions = self.filtered(lambda session: session.state == "planned")
        sessions._psys_transition(("planned",), "cancelled", COORDINATOR, {"cancel_reason": reason})
        for session in sessions:
            partners = session.shift_ids.user_id.partner_id
            session.message_post(
                body=_(
                    "The session %(session)s is cancelled: %(reason)s",
                    session=session.display_name,
                    reason=reason,
                ),
                partner_ids=partners.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return sessions

    # Coordination ---------------------------------------------------------

    @api.model
    def _cron_alert_understaffed(self, permanences=None):
        """Alert the coordinators of the sessions not covered within the
        company's notice: of every permanence, or only of ``permanences``."""
        activity_type = self.env.ref("psys_permanence.mail_activity_type_understaffed")
        today = fields.Date.context_today(self)
        for company in self.env["res.company"].search([]):
            sessions = self.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "planned"),
                    ("coverage", "!=", "covered"),
                    ("date", ">=", today),
                    ("date", "<=", today + timedelta(days=company.psys_understaffed_alert_days)),
                ]
                + ([("permanence_id", "in", permanences.ids)] if permanences is not None else [])
            )
            sessions._alert_understaffed(activity_type)

    def _alert_understaffed(self, activity_type):
        already = set(
            self.env["mail.activity"]
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
            .mapped("res_id")
        )
        for session in self.filtered(lambda session: session.id not in already):
            coordinator = session.permanence_id.coordinator_id or self.env.ref("base.user_admin")
            session.activity_schedule(
                activity_type_id=activity_type.id,
                date_deadline=session.date,
                user_id=coordinator.id,
                summary=_(
                    "%(filled)s of %(slots)s volunteers on %(session)s",
                    filled=session.filled_count,
                    slots=session.slot_count,
                    session=session.display_name,
                ),
            )
