from odoo import _, api, fields, models

# Colours of the practitioner's agenda (Odoo's colour indexes).
FREE_COLOR = 10  # green
BOOKED_COLOR = 4  # blue


class PsysSlot(models.Model):
    """The practitioner's agenda: her slots, free and booked side by side."""

    _inherit = "psys.slot"

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
