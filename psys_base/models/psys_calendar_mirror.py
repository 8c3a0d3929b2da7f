from odoo import _, api, fields, models
from odoo.exceptions import AccessError

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

    The record holds its event (``calendar_event_id``, stored, one record per
    event by a unique index) and says what it should be
    (``_psys_event_values``: name, start, stop, organiser, attendees, place,
    description; nothing for no event). The mirror alone creates, moves and
    removes the event, in ``sudo``, from the record's own changes:

    - ``create``, ``write`` (``_psys_mirror_fields``) and the record's own
      steps call ``_psys_mirror_later``: the events of every record so marked
      in a transaction are brought in step once, in one batch, just before it
      commits (Odoo's ``precommit``), however many writes marked them;
    - ``unlink`` removes the events at once.

    The event tells others nothing: private (its name, place and description
    for its attendees only; a search on them finds it for its attendees only,
    ``calendar.event`` in psys_base), its attendees accepted (a shift held or
    an appointment booked is a commitment: it takes the practitioner's free
    slots). Nobody moves or deletes it but the mirror; the link is an
    ownership field of every model that mirrors (``psys.secured``).
    """

    _name = "psys.calendar.mirror"
    _description = "Record mirrored in the calendar"

    # The fields whose change moves, re-attends or drops the event.
    _psys_mirror_fields = ()

    calendar_event_id = fields.Many2one(
        "calendar.event",
        string="Calendar event",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )

    _sql_constraints = [
        ("calendar_event_unique", "UNIQUE(calendar_event_id)", "A calendar event mirrors one record only."),
    ]

    def _psys_event_values(self):
        """The values of this record's event (``name``, ``start``, ``stop``,
        ``user_id``, ``partner_ids`` as a list of partner ids, ``location``,
        ``description``), or ``None`` when it has no event."""
        raise NotImplementedError(f"{self._name} is mirrored in the calendar: it must say its event.")

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("calendar_event_id") for vals in vals_list):
            raise AccessError(_("The calendar event of %(model)s is its own.", model=self._description))
        records = super().create(vals_list)
        records._psys_mirror_later()
        return records

    def write(self, vals):
        result = super().write(vals)
        if set(self._psys_mirror_fields) & set(vals):
            self._psys_mirror_later()
        return result

    def unlink(self):
        events = self.sudo().calendar_event_id  # sudo: the records' own events, removed with them
        result = super().unlink()
        events.with_context(**QUIET_MIRROR_CONTEXT).unlink()
        return result

    def _psys_mirror_later(self):
        """Bring these records' events in step before the transaction
        commits (``_psys_mirror_now`` once, for every record so marked)."""
        if not self.ids:
            return
        precommit = self.env.cr.precommit
        key = f"psys.mirror.{self._name}"
        if key not in precommit.data:
            model = self.sudo().browse()  # sudo: the mirror's own step, see the class

            @precommit.add
            def mirror():
                ids = precommit.data.pop(key, set())
                model.browse(ids).exists()._psys_mirror_now()

        precommit.data.setdefault(key, set()).update(self.ids)

    def _psys_mirror_now(self):
        """Create, move or remove the events of these records now, in one
        batch, as their ``_psys_event_values`` say."""
        records = self.sudo().with_context(**QUIET_MIRROR_CONTEXT)  # sudo: the mirror's own step, see the class
        Event = records.env["calendar.event"]
        model_id = self.env["ir.model"]._get_id(self._name)
        to_create, owners, to_drop = [], [], Event
        for record in records:
            values, event = record._psys_event_values(), record.calendar_event_id
            if not values:
                to_drop |= event
                continue
            partners = values.pop("partner_ids", [])
            values.update(privacy="private", show_as="busy")
            if not event:
                values.update(partner_ids=[fields.Command.set(partners)])
                to_create.append(dict(values, res_model_id=model_id, res_id=record.id))
                owners.append(record)
                continue
            changed = {name: value for name, value in values.items() if _differs(event, name, value)}
            if set(partners) != set(event.partner_ids.ids):
                changed["partner_ids"] = [fields.Command.set(partners)]
            if changed:
                event.write(changed)
                event.attendee_ids.filtered(lambda attendee: attendee.state != "accepted").state = "accepted"
        records.filtered(lambda record: record.calendar_event_id in to_drop).calendar_event_id = False
        to_drop.unlink()
        events = Event.create(to_create)
        for record, event in zip(owners, events, strict=True):
            record.calendar_event_id = event
        events.attendee_ids.filtered(lambda attendee: attendee.state != "accepted").state = "accepted"
