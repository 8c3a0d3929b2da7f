import random
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.psys_base.models.base import RECEPTION, THERAPIST

VISIT_STATES = [
    ("arrived", "Waiting"),
    ("in_interview", "In interview"),
    ("done", "Done"),
    ("left", "Left without being seen"),
]


class PsysDeskVisit(models.Model):
    """A walk-in at the reception desk of a session, from arrival to the end
    of the interview. Holds nothing clinical: the encounter does."""

    _name = "psys.desk.visit"
    _inherit = ["psys.workflow.guard", "psys.referral.source.mixin"]
    _description = "Walk-in at the reception desk"
    _order = "arrival desc, id desc"
    _psys_workflow_fields = ("state", "therapist_id", "encounter_id")

    session_id = fields.Many2one("psys.session", required=True, index=True, ondelete="restrict")
    location_id = fields.Many2one(related="session_id.location_id", store=True, string="Antenna")
    beneficiary_id = fields.Many2one("psys.beneficiary", index=True, ondelete="restrict")
    arrival = fields.Datetime(required=True, default=fields.Datetime.now)
    state = fields.Selection(VISIT_STATES, required=True, default="arrived", index=True, group_expand=True)
    queue_position = fields.Integer(compute="_compute_queue_position")
    arrival_note = fields.Char(
        string="Reception remark",
        help="Practical remark only (language, accessibility…), never clinical content.",
    )
    therapist_id = fields.Many2one("res.users", readonly=True)
    encounter_id = fields.Many2one("psys.encounter", readonly=True, ondelete="set null")
    company_id = fields.Many2one(related="session_id.company_id", store=True, index=True)

    @api.depends("beneficiary_id", "arrival")
    def _compute_display_name(self):
        for visit in self:
            who = visit.beneficiary_id.code or _("Anonymous")
            when = (visit.arrival and fields.Datetime.context_timestamp(visit, visit.arrival).strftime("%H:%M")) or ""
            visit.display_name = f"{who} · {when}"

    @api.depends("state", "arrival", "session_id")
    def _compute_queue_position(self):
        waiting = self.search(
            [("session_id", "in", self.session_id.ids), ("state", "=", "arrived")], order="arrival, id"
        )
        positions = {}
        for visit in waiting:
            positions.setdefault(visit.session_id, []).append(visit)
        for visit in self:
            queue = positions.get(visit.session_id, [])
            visit.queue_position = queue.index(visit) + 1 if visit in queue else 0

    @api.model_create_multi
    def create(self, vals_list):
        visits = super().create(vals_list)
        for visit in visits:
            if visit.session_id.state != "planned":
                raise UserError(_("The session %(session)s is cancelled.", session=visit.session_id.display_name))
        return visits

    def action_start_interview(self):
        """The therapist receives the person: opens their encounter."""
        self.ensure_one()
        self._psys_check_action("write", THERAPIST)
        if self.state != "arrived":
            raise UserError(_("Only a waiting person can be received."))
        kind = {"on_site": "permanence"}.get(self.session_id.modality, self.session_id.modality)
        encounter = self.env["psys.encounter"].create(
            {
                "beneficiary_id": self.beneficiary_id.id,
                "session_id": self.session_id.id,
                "kind": kind if kind in ("permanence", "phone", "outdoor", "group") else "individual",
                "date_start": fields.Datetime.now(),
                "location_id": self.location_id.id,
                "practitioner_ids": [fields.Command.set(self.env.user.ids)],
                "company_id": self.company_id.id,
                **self._get_referral_source_values(),
            }
        )
        # sudo: workflow fields, the caller was checked above.
        self.sudo().write({"state": "in_interview", "therapist_id": self.env.user.id, "encounter_id": encounter.id})
        return self.action_open_encounter()

    def action_open_encounter(self):
        self.ensure_one()
        self._psys_check_action("read", RECEPTION)
        if not self.encounter_id:
            raise UserError(_("The interview has not started yet."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "psys.encounter",
            "res_id": self.encounter_id.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_done(self):
        self._psys_check_action("write", RECEPTION)
        for visit in self:
            if visit.state != "in_interview":
                raise UserError(_("Only a person in interview can be marked as seen."))
        self.sudo().write({"state": "done"})  # sudo: workflow field, the caller was checked above

    def action_left(self):
        self._psys_check_action("write", RECEPTION)
        for visit in self:
            if visit.state != "arrived":
                raise UserError(_("Only a waiting person can leave without being seen."))
        self.sudo().write({"state": "left"})  # sudo: workflow field, the caller was checked above

    def action_back_to_queue(self):
        self._psys_check_action("write", RECEPTION)
        # sudo: workflow field, the caller was checked above.
        self.filtered(lambda visit: visit.state == "left").sudo().write({"state": "arrived"})

    # Demo data ----------------------------------------------------------------

    @api.model
    def _create_demo_visits(self, permanence_ids):
        """Demo data only (called from demo/): a month of visits, encounters,
        group sessions and calls in the past sessions of these permanences."""
        rng = random.Random(19)
        now = fields.Datetime.now()
        sessions = self.env["psys.session"].search(
            [("permanence_id", "in", permanence_ids), ("state", "=", "planned"), ("start", "<=", now)]
        )
        themes = self.env["psys.theme"].search([])
        tags = self.env["psys.situation.tag"].search([("is_clinical", "=", False)])
        targets = self.env["psys.orientation.target"].search([])
        structures = self.env["res.partner"].search([("psys_structure_type", "not in", (False, "funder", "mutuelle"))])
        fallback = self.env.ref("psys_base.user_therapist")
        returning = list(self.env["psys.beneficiary"].search([("state", "=", "active")]))
        brackets = ["18_25", "18_25", "26_39", "26_39", "40_59", "40_59", "60_74", "75_plus", "unknown"]
        genders = ["female", "female", "male", "male", "other", "undisclosed"]
        for session in sessions:
            therapists = session.shift_ids.filtered(lambda shift: shift.role == "interview").user_id or fallback
            base = {
                "session_id": session.id,
                "location_id": session.location_id.id,
                "company_id": session.company_id.id,
            }
            if session.modality == "group":
                self.env["psys.encounter"].create(
                    dict(
                        base,
                        kind="group",
                        date_start=session.start,
                        duration=session.duration,
                        practitioner_ids=[fields.Command.set(therapists.ids)],
                        theme_ids=[fields.Command.set(rng.sample(themes.ids, 2))],
                        audience_ids=[
                            fields.Command.create({"audience": "women", "count": rng.randint(4, 9)}),
                            fields.Command.create({"audience": "residents", "count": rng.randint(0, 3) or 1}),
                        ],
                    )
                )
                continue
            for index in range(rng.randint(2, 3) if session.modality == "phone" else rng.randint(3, 6)):
                arrival = min(session.start + timedelta(minutes=45 * index + rng.randint(0, 20)), now)
                if returning and rng.random() < 0.3:
                    beneficiary = rng.choice(returning)
                else:
                    beneficiary = self.env["psys.beneficiary"].create(
                        {
                            "age_bracket": rng.choice(brackets),
                            "gender": rng.choice(genders),
                            "territory_id": session.location_id.territory_id.id,
                            "situation_tag_ids": [fields.Command.set(rng.sample(tags.ids, rng.randint(0, 2)))],
                            "first_contact_date": session.date,
                            "company_id": session.company_id.id,
                        }
                    )
                    returning.append(beneficiary)
                # Two people out of three come through a partner structure.
                by_partner = rng.random() < 0.66 and structures
                referral = {
                    "referral_source": "structure" if by_partner else rng.choice(["self", "word_of_mouth", "health"]),
                    "referral_partner_id": by_partner and rng.choice(structures).id,
                }
                left = session.modality == "on_site" and rng.random() < 0.12
                therapist = rng.choice(therapists)
                encounter = self.env["psys.encounter"]
                if not left:
                    encounter = self.env["psys.encounter"].create(
                        dict(
                            base,
                            **referral,
                            beneficiary_id=beneficiary.id,
                            kind={"phone": "phone", "outdoor": "outdoor"}.get(session.modality, "permanence"),
                            date_start=min(arrival + timedelta(minutes=10), now),
                            duration=rng.choice([0.5, 0.75, 0.75, 1.0]),
                            practitioner_ids=[fields.Command.set(therapist.ids)],
                            theme_ids=[fields.Command.set(rng.sample(themes.ids, rng.randint(1, 3)))],
                            contribution_amount=rng.choice([0, 0, 2, 5, 5, 10, 20]),
                        )
                    )
                    if rng.random() < 0.2:
                        self.env["psys.orientation"].create(
                            {
                                "encounter_id": encounter.id,
                                "beneficiary_id": beneficiary.id,
                                "target_id": rng.choice(targets).id,
                                "date": session.date,
                            }
                        )
                    if rng.random() < 0.4:
                        self.env["psys.note"].create(
                            {
                                "beneficiary_id": beneficiary.id,
                                "encounter_id": encounter.id,
                                "author_id": therapist.id,
                                "body": rng.choice(DEMO_NOTES),
                            }
                        )
                if session.modality == "on_site":
                    self.create(
                        dict(
                            referral,
                            session_id=session.id,
                            beneficiary_id=beneficiary.id,
                            arrival=arrival,
                            state="left" if left else "done",
                            therapist_id=not left and therapist.id,
                            encounter_id=encounter.id,
                        )
                    )


DEMO_NOTES = [
    "Première venue, adressée par l'assistante sociale. Beaucoup d'angoisse autour du logement.",
    "Revient après trois semaines ; dort mieux. Propose de repasser dans quinze jours.",
    "Deuil récent de sa mère, très isolée. Évoquer le groupe du jeudi la prochaine fois.",
    "Étudiant en difficulté, pression des examens. Orientation vers le BAPU évoquée.",
    "Reviviscences ; a accepté l'orientation vers le CMP. Vérifier la suite à la prochaine venue.",
    "Conflit au travail, épuisement. A pu poser des mots, repart plus apaisé.",
]
