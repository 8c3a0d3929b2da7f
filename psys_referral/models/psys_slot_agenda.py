from odoo import _, api, fields, models
from odoo.tools import SQL

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
