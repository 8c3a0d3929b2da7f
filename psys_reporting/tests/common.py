from datetime import datetime

from odoo.addons.psys_base.tests.common import PsysCase


class ReportingCase(PsysCase):
    """A fixed data set whose bilan for 2020 is computed by hand in the tests.

    Villeneuve (town) has two neighbourhoods, Nord (QPV) and Sud; Bourg is a
    rural town without neighbourhoods.

    ====  =======  ======  ==========  ============================  ===============
    who   age      gender  territory   encounters in 2020            how they came
    ====  =======  ======  ==========  ============================  ===============
    b1    26_39    female  Nord        10/01, 10/02, 10/03 (indiv.)  structure (CCAS)
    b2    18_25    male    Sud         15/01 phone, 01/06 indiv.     self
    b3    60_74    female  Villeneuve  20/02 indiv.                  word of mouth
    b4    40_59    other   Bourg       05/04 group                   structure (no partner)
    b5    26_39    female  -           05/05 indiv. (first 2019)     not recorded
    anon                               07/07 outdoor
    ====  =======  ======  ==========  ============================  ===============

    Orientations: b1 to the CMP on 10/03 (health pathway), b2 to an
    association on 01/06. Outside the bilan: b1 in January 2021, and one
    encounter of the other association.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The data set is tiny: the administrator lowers the secrecy floor.
        cls.env["ir.config_parameter"].set_param("psys_reporting.secrecy_threshold_floor", "2")
        Territory = cls.env["psys.territory"]
        cls.town = Territory.create({"name": "Villeneuve", "kind": "town"})
        cls.nord = Territory.create({"name": "Nord", "parent_id": cls.town.id, "is_qpv": True})
        cls.sud = Territory.create({"name": "Sud", "parent_id": cls.town.id})
        cls.bourg = Territory.create({"name": "Bourg", "kind": "town", "is_rural": True})
        cls.target_association = cls.env.ref("psys_base.psys_orientation_target_association")
        cls.theme_anxiety = cls.env.ref("psys_base.psys_theme_anxiety")
        cls.theme_grief = cls.env.ref("psys_base.psys_theme_grief")
        isolated = cls.env.ref("psys_base.psys_situation_tag_isolated")
        cls.b1 = cls._beneficiary(
            age_bracket="26_39",
            gender="female",
            territory_id=cls.nord.id,
            first_referrer_id=cls.structure.id,
            situation_tag_ids=[(6, 0, isolated.ids)],
        )
        cls.b2 = cls._beneficiary(age_bracket="18_25", gender="male", territory_id=cls.sud.id)
        cls.b3 = cls._beneficiary(age_bracket="60_74", gender="female", territory_id=cls.town.id)
        cls.b4 = cls._beneficiary(age_bracket="40_59", gender="other", territory_id=cls.bourg.id)
        cls.b5 = cls._beneficiary(age_bracket="26_39", gender="female")
        cls.beneficiaries = cls.b1 | cls.b2 | cls.b3 | cls.b4 | cls.b5
        enc = cls._encounter
        enc(
            cls.b1,
            date_start=datetime(2020, 1, 10, 10),
            referral_source="structure",
            referral_partner_id=cls.structure.id,
            theme_ids=[(6, 0, cls.theme_anxiety.ids)],
        )
        enc(cls.b1, date_start=datetime(2020, 2, 10, 10))
        b1_third = enc(cls.b1, date_start=datetime(2020, 3, 10, 10))
        enc(
            cls.b2,
            date_start=datetime(2020, 1, 15, 10),
            kind="phone",
            referral_source="self",
            theme_ids=[(6, 0, (cls.theme_anxiety | cls.theme_grief).ids)],
        )
        b2_second = enc(cls.b2, date_start=datetime(2020, 6, 1, 10))
        enc(cls.b3, date_start=datetime(2020, 2, 20, 10), referral_source="word_of_mouth")
        enc(cls.b4, date_start=datetime(2020, 4, 5, 10), kind="group", referral_source="structure")
        enc(cls.b5, date_start=datetime(2019, 12, 1, 10))
        enc(cls.b5, date_start=datetime(2020, 5, 5, 10))
        enc(False, date_start=datetime(2020, 7, 7, 10), kind="outdoor")
        enc(cls.b1, date_start=datetime(2021, 1, 5, 10))
        Orientation = cls.env["psys.orientation"]
        Orientation.create({"encounter_id": b1_third.id, "target_id": cls.target_cmp.id, "date": "2020-03-10"})
        Orientation.create({"encounter_id": b2_second.id, "target_id": cls.target_association.id, "date": "2020-06-01"})
        other = cls.env["psys.beneficiary"].create({"company_id": cls.company_b.id})
        cls.env["psys.encounter"].create(
            {"beneficiary_id": other.id, "company_id": cls.company_b.id, "date_start": datetime(2020, 3, 3, 10)}
        )

    @classmethod
    def _wizard(cls, user=None, **values):
        env = cls.env(user=user) if user else cls.env
        return env["psys.bilan.wizard"].create(
            dict({"date_from": "2020-01-01", "date_to": "2020-12-31", "edition": "internal"}, **values)
        )

    @staticmethod
    def _table(data, code):
        return next(table for table in data["tables"] if table["code"] == code)

    @classmethod
    def _figures(cls, data, code):
        """label -> list of displayed cells of a table."""
        return {row["label"]: [cell["display"] for cell in row["cells"]] for row in cls._table(data, code)["rows"]}
