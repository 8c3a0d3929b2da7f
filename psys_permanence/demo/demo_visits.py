"""The permanences' demo activity: a month of walk-ins, encounters, group
sessions and calls (demo/psys_permanence_demo.xml calls it through
``psys.permanence.demo``)."""

import random
from datetime import timedelta

from odoo import fields

DEMO_NOTES = [
    "Première venue, adressée par l'assistante sociale. Beaucoup d'angoisse autour du logement.",
    "Revient après trois semaines ; dort mieux. Propose de repasser dans quinze jours.",
    "Deuil récent de sa mère, très isolée. Évoquer le groupe du jeudi la prochaine fois.",
    "Étudiant en difficulté, pression des examens. Orientation vers le BAPU évoquée.",
    "Reviviscences ; a accepté l'orientation vers le CMP. Vérifier la suite à la prochaine venue.",
    "Conflit au travail, épuisement. A pu poser des mots, repart plus apaisé.",
]


def create_demo_visits(env, permanence_ids):
    """Demo data only (called from demo/): a month of visits, encounters,
    group sessions and calls in the past sessions of these permanences."""
    rng = random.Random(19)
    now = fields.Datetime.now()
    sessions = env["psys.session"].search(
        [("permanence_id", "in", permanence_ids), ("state", "=", "planned"), ("start", "<=", now)]
    )
    themes = env["psys.theme"].search([])
    tags = env["psys.situation.tag"].search([("is_clinical", "=", False)])
    targets = env["psys.orientation.target"].search([])
    structures = env["res.partner"].search([("psys_structure_type", "not in", (False, "funder", "mutuelle"))])
    fallback = env.ref("psys_base.user_therapist")
    returning = list(env["psys.beneficiary"].search([("state", "=", "active")]))
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
            env["psys.encounter"].create(
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
                beneficiary = env["psys.beneficiary"].create(
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
            encounter = env["psys.encounter"]
            if not left:
                encounter = env["psys.encounter"].create(
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
                    env["psys.orientation"].create(
                        {
                            "encounter_id": encounter.id,
                            "beneficiary_id": beneficiary.id,
                            "target_id": rng.choice(targets).id,
                            "date": session.date,
                        }
                    )
                if rng.random() < 0.4:
                    env["psys.note"].create(
                        {
                            "beneficiary_id": beneficiary.id,
                            "encounter_id": encounter.id,
                            "author_id": therapist.id,
                            "body": rng.choice(DEMO_NOTES),
                            # Written after the interview, not at the install's minute.
                            "date": min(encounter.date_start + timedelta(hours=encounter.duration), now),
                        }
                    )
            if session.modality == "on_site":
                env["psys.desk.visit"].create(
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
