from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.sql import create_index

from odoo.addons.psys_base.tools.policy import Policy


class PsysSlot(models.Model):
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
