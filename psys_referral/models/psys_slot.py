from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
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
    location_name = fields.Char(related="location_id.name", string="Place name")
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
        active = {}
        if self.env.user.has_group("psys_base.group_psys_reception"):
            # The bookings the caller may read: its record rules apply.
            for booking in self.env["psys.booking"].search([("slot_id", "in", self.ids), ("state", "!=", "cancelled")]):
                active[booking.slot_id.id] = booking
        for slot in self:
            booked = slot.is_booked
            slot.agenda_state = "booked" if booked else "free"
            slot.agenda_color = BOOKED_COLOR if booked else FREE_COLOR
            booking = active.get(slot.id)
            slot.booking_id = booking
            slot.booking_code = booking.beneficiary_code if booking else False
            who = (slot.booking_code or _("Booked")) if booked else _("Free")
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
