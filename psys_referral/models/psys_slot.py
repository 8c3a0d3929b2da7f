from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.sql import create_index

from odoo.addons.psys_base.tools.policy import Policy

# Colours of the practitioner's agenda (Odoo's colour indexes).
FREE_COLOR = 10  # green
BOOKED_COLOR = 4  # blue


class PsysSlot(models.Model):
    """A bookable time of a partnership, and the practitioner's agenda: her
    slots, free and booked side by side."""

    _name = "psys.slot"
    _inherit = ["psys.secured"]
    _description = "Bookable slot of a partnership"
    _psys_policy = Policy(ownership=("partnership_id", "practitioner_id", "structure_id"))
    _order = "start, id"

    partnership_id = fields.Many2one("psys.partnership", required=True, ondelete="cascade", index=True)
    start = fields.Datetime(required=True, index=True)
    stop = fields.Datetime(required=True)
    # indexed with the slot's end (see init)
    practitioner_id = fields.Many2one(related="partnership_id.practitioner_id", store=True)
    structure_id = fields.Many2one(related="partnership_id.structure_id", store=True, index=True)
    location_id = fields.Many2one(related="partnership_id.location_id", store=True)
    # Names shown to partner staff on the portal, who read no place nor user.
    location_name = fields.Char(string="Place name", compute="_compute_location_name", compute_sudo=True)
    practitioner_name = fields.Char(related="practitioner_id.name", string="Practitioner name")
    home_visit = fields.Boolean(help="A home visit instead of a session in the room.")
    booking_ids = fields.One2many("psys.booking", "slot_id", string="Bookings")
    # Not stored on purpose: two simultaneous bookings must not fight over
    # the slot's row; the unique index on the booking decides.
    is_booked = fields.Boolean(compute="_compute_is_booked", search="_search_is_booked")
    company_id = fields.Many2one(related="partnership_id.company_id", store=True, index=True)
    active = fields.Boolean(default=True)

    # The practitioner's agenda -------------------------------------------------
    agenda_state = fields.Selection(
        [("free", "Free"), ("booked", "Booked")],
        string="Agenda status",
        compute="_compute_agenda",
    )
    agenda_color = fields.Integer(compute="_compute_agenda")
    # The title in the agenda: who (a code, never a name) or « Free », and where.
    agenda_title = fields.Char(compute="_compute_agenda")
    # Internal staff only: partner staff read the slots of their partnership,
    # not who took them.
    booking_id = fields.Many2one(
        "psys.booking",
        string="Appointment",
        compute="_compute_agenda",
        groups="psys_base.group_psys_reception",
    )
    booking_code = fields.Char(string="Person", compute="_compute_agenda", groups="psys_base.group_psys_reception")

    _sql_constraints = [
        (
            "partnership_start_uniq",
            "unique(partnership_id, start)",
            "This partnership already has a slot at that time.",
        ),
    ]

    def init(self):
        result = super().init()
        # A practitioner's agenda (a week, a month) asks for the slots ending
        # after its first day: with the practitioner's index alone, every slot
        # of her history is read (issue 24: 25 000 read for 300 kept).
        create_index(self.env.cr, "psys_slot_practitioner_stop_index", self._table, ["practitioner_id", "stop"])
        # It serves every search by practitioner: the planner preferred the
        # practitioner's own index, correlated with the rows' order, and read
        # her whole history anyway.
        self.env.cr.execute("DROP INDEX IF EXISTS psys_slot__practitioner_id_index")
        return result

    @api.depends("location_id.name")
    def _compute_location_name(self):
        # As a related field, but the names set at once: an agenda's month
        # holds hundreds of slots (issue 24). Computed as the superuser
        # (compute_sudo): partner staff read the name, not the place.
        if not all(isinstance(id_, int) for id_ in self._ids):
            for slot in self:
                slot.location_name = slot.location_id.name
            return
        # the places as the list read them (a slot gone meanwhile has none)
        self.fetch(["location_id"])
        cache, field = self.env.cache, self._fields["location_id"]
        location_ids = [cache.get(slot, field, None) for slot in self]
        locations = self.env["psys.location"].browse({id_ for id_ in location_ids if id_})
        names = {location.id: location.name for location in locations}
        self.env.cache.update(self, self._fields["location_name"], [names.get(id_) for id_ in location_ids])

    @api.depends("booking_ids.state")
    def _compute_is_booked(self):
        booked = set(
            self.env["psys.booking"]
            .sudo()  # sudo: only whether a slot is taken is read, never who took it.
            .search([("slot_id", "in", self.ids), ("state", "!=", "cancelled")])
            .slot_id.ids
        )
        for slot in self:
            slot.is_booked = slot.id in booked

    def _search_is_booked(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(_("Unsupported search on the booked flag."))
        taken = self.env["psys.booking"].sudo()._search([("state", "!=", "cancelled")])  # sudo: see above
        positive = (operator == "=") == value
        return [("booking_ids", "in" if positive else "not in", taken)]

    @api.depends_context("uid")
    @api.depends("booking_ids.state")
    def _compute_agenda(self):
        if not all(isinstance(id_, int) for id_ in self._ids):
            self._compute_agenda_slot_by_slot()
            return
        # A busy practitioner's month holds hundreds of slots (issue 24): two
        # queries for all of them, and each field's values set at once, not
        # slot by slot.
        self.flush_recordset(["partnership_id"])
        self.env["psys.booking"].flush_model(["slot_id", "state", "beneficiary_code"])
        # Whether a slot is taken is read for every booking (as is_booked
        # does), who took it only through the caller's record rules.
        rows = self.env.execute_query(
            SQL(
                """SELECT s.id, s.partnership_id,
                          EXISTS(SELECT 1 FROM psys_booking b WHERE b.slot_id = s.id AND b.state != 'cancelled')
                     FROM psys_slot s WHERE s.id IN %s""",
                self._ids,
            )
        )
        partnership_of = {slot_id: partnership_id for slot_id, partnership_id, _booked in rows}
        booked = {slot_id for slot_id, _partnership_id, is_booked in rows if is_booked}
        active = {}
        if self.env.user.has_group("psys_base.group_psys_reception"):
            query = self.env["psys.booking"]._search([("slot_id", "in", self.ids), ("state", "!=", "cancelled")])
            for booking_id, slot_id, code in self.env.execute_query(
                query.select(
                    SQL.identifier(query.table, "id"),
                    SQL.identifier(query.table, "slot_id"),
                    SQL.identifier(query.table, "beneficiary_code"),
                )
            ):
                active[slot_id] = (booking_id, code)
        structures = {
            partnership.id: partnership.structure_id.name or ""
            for partnership in self.env["psys.partnership"].browse(set(partnership_of.values()))
        }
        free, taken = _("Free"), _("Booked")
        states, colors, bookings, codes, titles = [], [], [], [], []
        for slot_id in self._ids:
            is_booked = slot_id in booked
            booking_id, code = active.get(slot_id, (None, None))
            states.append("booked" if is_booked else "free")
            colors.append(BOOKED_COLOR if is_booked else FREE_COLOR)
            bookings.append(booking_id)
            codes.append(code)
            who = (code or taken) if is_booked else free
            titles.append(f"{who} · {structures.get(partnership_of.get(slot_id), '')}")
        cache = self.env.cache
        for name, values in (
            ("agenda_state", states),
            ("agenda_color", colors),
            ("booking_id", bookings),
            ("booking_code", codes),
            ("agenda_title", titles),
        ):
            cache.update(self, self._fields[name], values)

    def _compute_agenda_slot_by_slot(self):
        """For slots not saved yet (a form's draft)."""
        for slot in self:
            booked = slot.is_booked
            slot.agenda_state = "booked" if booked else "free"
            slot.agenda_color = BOOKED_COLOR if booked else FREE_COLOR
            slot.booking_id = False
            slot.booking_code = False
            who = _("Booked") if booked else _("Free")
            slot.agenda_title = f"{who} · {slot.partnership_id.structure_id.name or ''}"

    @api.constrains("start", "stop")
    def _check_dates(self):
        for slot in self:
            if slot.stop <= slot.start:
                raise ValidationError(_("A slot ends after it starts."))

    # Waiting list: new slots (or slots open again) go first to the people
    # waiting in their partnership (see psys.waiting.entry).
    @api.model_create_multi
    def create(self, vals_list):
        slots = super().create(vals_list)
        self.env["psys.waiting.entry"]._psys_offer_slots(slots)
        return slots

    def write(self, vals):
        reopened = self.filtered(lambda slot: not slot.active) if vals.get("active") else self.browse()
        result = super().write(vals)
        if reopened:
            self.env["psys.waiting.entry"]._psys_offer_slots(reopened)
        if {"start", "stop"} & set(vals):
            # The practitioner's calendar follows the appointment of a moved slot.
            self.booking_ids._psys_mirror_later()
        return result

    @api.depends("start", "partnership_id")
    def _compute_display_name(self):
        for slot in self:
            when = fields.Datetime.context_timestamp(slot, slot.start).strftime("%d/%m/%Y %H:%M") if slot.start else ""
            slot.display_name = f"{when} · {slot.partnership_id.structure_id.name or ''}"
