from odoo import _, fields, models


class PsysEncounterMirror(models.AbstractModel):
    """A door's record that mirrors an encounter: a booking seen, a walk-in
    received, an attendance, a head count, an interview held.

    The door says what its encounter is (``_psys_encounter_values``); the
    mixin creates the encounters of a recordset in one ``create``, as the
    caller (who must be allowed to record encounters), links them, and
    removes those of a withdrawn record. Both are private: the door's action
    checks the caller before calling them.
    """

    _name = "psys.encounter.mirror"
    _description = "Record that mirrors an encounter"

    encounter_id = fields.Many2one("psys.encounter", readonly=True, copy=False, index=True)

    def _psys_encounter_values(self):
        """The values of this record's encounter (one record)."""
        raise NotImplementedError(f"{self._name} mirrors an encounter: it must say its values.")

    def _psys_create_encounters(self, values=None):
        """Create the encounters of these records in one ``create``, link
        each record to its own and write ``values`` on them all (the workflow
        fields that change with it). Returns the encounters."""
        encounters = self.env["psys.encounter"].create([record._psys_encounter_values() for record in self])
        # sudo: the link (and ``values``) are workflow fields, which only the
        # door's action writes once it has checked the caller on these records.
        mirrors = self.sudo()
        if values:
            mirrors.write(values)
        for mirror, encounter in zip(mirrors, encounters, strict=True):
            mirror.encounter_id = encounter
        return encounters

    def _psys_remove_encounters(self):
        """Unlink and delete the encounters of these withdrawn records."""
        # sudo: these encounters were created by the records that mirror them
        # and nothing else points to them; whoever may withdraw the record (the
        # door checked it) may not delete encounters in general.
        mirrors = self.sudo().filtered("encounter_id")
        encounters = mirrors.encounter_id
        mirrors.encounter_id = False
        encounters.unlink()

    def _psys_action_orient(self, defaults):
        """The form of a new orientation from this record (one record): its
        encounter, and the door's own ``defaults`` (the person, the links)."""
        self.ensure_one()
        self.env["psys.orientation"].check_access("create")
        context = {
            f"default_{name}": value for name, value in dict(defaults, encounter_id=self.encounter_id.id).items()
        }
        return {
            "type": "ir.actions.act_window",
            "name": _("Orientation"),
            "res_model": "psys.orientation",
            "view_mode": "form",
            "target": "new",
            "context": context,
        }
