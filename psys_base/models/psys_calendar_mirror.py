from odoo import api, fields, models
from odoo.fields import Command

from ..tools.calendar import QUIET_MIRROR_CONTEXT


def _differs(event, name, value):
    """Whether ``event``'s field ``name`` holds something else than ``value``
    (as a create or a write takes it)."""
    current = event[name]
    if isinstance(current, models.BaseModel):
        return current.id != (value or False)
    if name == "description":
        return str(current or "") != str(value or "")
    return current != value


class PsysCalendarMirror(models.AbstractModel):
    """A record shown as one event of the Odoo calendar: an appointment in
    the practitioner's, a permanence session in its volunteers'.

    The event names its record (``res_model``, ``res_id``: the stored link,
    one event per record by a unique index, ``calendar.event`` in psys_base;
    the record reads it as ``calendar_event_id``), and the record says what it
    should be (``_psys_event_values``: name, start, stop, organiser,
    attendees, place, description; nothing for no event). The mirror alone
    creates, moves and removes the event, in ``sudo``, from the record's own
    changes:

    - ``create``, ``write`` (of ``_psys_mirror_fields``) or, for a model
      that lists no such field (the booking), its own steps only, call
      ``_psys_mirror_later``: the events of every record so marked
      in a transaction are brought in step once, in one batch, before it
      commits (Odoo's ``precommit``, also run by a savepoint), however many
      writes marked them. The record's row is never written for it: a booking
      written again in its transaction would wait on a concurrent booking of
      the same practitioner instead of failing cleanly;
    - ``unlink`` removes the events at once.

    The event tells others nothing: private (its name, place and description
    for its attendees only; a search on them finds it for its attendees only),
    its attendees accepted (a shift held or an appointment booked is a
    commitment: it takes the practitioner's free slots). Nobody creates,
    moves or deletes an event of a psys record but the mirror.
    """

    _name = "psys.calendar.mirror"
    _description = "Record mirrored in the calendar"

    # The fields whose change moves, re-attends or drops the event; none: the
    # model's own steps bring its events in step, never its create or write.
    _psys_mirror_fields = ()

    calendar_event_id = fields.Many2one(
        "calendar.event", string="Calendar event", compute="_compute_calendar_event_id", compute_sudo=True
    )

    def _compute_calendar_event_id(self):
        events = self._psys_events()
        for record in self:
            record.calendar_event_id = events.get(record.id, False)

    def _psys_events(self):
        """{record id: its event}: one indexed search."""
        if not self.ids:
            return {}
        events = self.env["calendar.event"].search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids), ("psys_mirror", "=", True)]
        )
        return {event.res_id: event for event in events}

    def _psys_event_values(self):
        """The values of this record's event (``name``, ``start``, ``stop``,
        ``user_id``, ``partner_ids`` as a list of partner ids, ``location``,
        ``description``), or ``None`` when it has no event."""
        raise NotImplementedError(f"{self._name} is mirrored in the calendar: it must say its event.")

    def _psys_events_values(self):
        """{record id: its ``_psys_event_values()``} for these records (a
        model may read them for many records at once)."""
        return {record.id: record._psys_event_values() for record in self}

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        if self._psys_mirror_fields:
            records._psys_mirror_later()
        return records

    def write(self, vals):
        result = super().write(vals)
        if set(self._psys_mirror_fields) & set(vals):
            self._psys_mirror_later()
        return result

    def unlink(self):
        self.check_access("unlink")
        events = self.sudo()._psys_events()  # sudo: the records' own events, removed with them
        result = super().unlink()
        self.env["calendar.event"].union(*events.values()).with_context(**QUIET_MIRROR_CONTEXT).unlink()
        return result

    def _psys_mirror_later(self):
        """Bring these records' events in step before the transaction
        commits (``_psys_mirror_now`` once, for every record so marked)."""
        if not self.ids:
            return
        precommit = self.env.cr.precommit
        key = f"psys.mirror.{self._name}"
        if key not in precommit.data:
            model = self.browse()

            @precommit.add
            def mirror():
                ids = precommit.data.pop(key, set())
                model.browse(ids)._psys_mirror_now()

        precommit.data.setdefault(key, set()).update(self.ids)

    def _psys_mirror_now(self):
        """Create, move or remove the events of these records now, in one
        batch, as their ``_psys_events_values`` say."""
        # sudo: the mirror's own step, see the class.
        records = self.sudo().with_context(**QUIET_MIRROR_CONTEXT).exists()
        Event = records.env["calendar.event"]
        model_id = self.env["ir.model"]._get_id(self._name)
        events = records._psys_events()
        to_create, to_drop, kept = [], Event, Event
        all_values = records._psys_events_values()
        for record in records:
            values, event = all_values.get(record.id), events.get(record.id)
            if not values:
                to_drop |= event or Event
                continue
            partners = values.pop("partner_ids", [])
            values.update(privacy="private", show_as="busy")
            if not event:
                accepted = [Command.create({"partner_id": partner, "state": "accepted"}) for partner in partners]
                to_create.append(
                    dict(
                        values,
                        partner_ids=[Command.set(partners)],
                        attendee_ids=accepted,
                        psys_mirror=True,
                        res_model_id=model_id,
                        res_id=record.id,
                    )
                )
                continue
            changed = {name: value for name, value in values.items() if _differs(event, name, value)}
            if set(partners) != set(event.partner_ids.ids):
                changed["partner_ids"] = [Command.set(partners)]
            if changed:
                event.write(changed)
                kept |= event
        to_drop.unlink()
        Event.create(to_create)
        kept.attendee_ids.filtered(lambda attendee: attendee.state != "accepted").state = "accepted"
        records.invalidate_recordset(["calendar_event_id"])
