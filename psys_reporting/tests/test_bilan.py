from datetime import datetime
from unittest.mock import patch

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.psys_reporting.tools.bilan_tables import BilanBuilder
from odoo.addons.psys_reporting.tools.secrecy import apply_secrecy

from .common import ReportingCase


@tagged("psys", "psys_reporting", "post_install", "-at_install")
class TestBilanFigures(ReportingCase):
    """The figures of the docstring of ReportingCase, counted by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.data = cls._wizard()._get_bilan_data()

    def test_key_figures(self):
        figures = self._figures(self.data, "key_figures")
        expected = {
            "People reached": "5",
            "New people (first visit in the period)": "4",
            "Encounters": "9",
            "First visits": "4",
            "Repeat visits": "4",
            "Anonymous encounters": "1",
            "Mean visits per person": "1.6",
            "People who came through a partner structure": "2",
            "Share of people who came through a partner structure": "40.0 %",
            "People living in a priority neighbourhood (QPV)": "1",
            "People living in a rural area": "1",
            "People oriented to another structure": "2",
            "Mean appointments before a relay": "2.5",
            "People who re-engaged a health pathway": "1",
            "Share of people who re-engaged a health pathway": "20.0 %",
        }
        self.assertEqual({label: figures[label][0] for label in expected}, expected)
        self.assertNotIn("Volunteer hours", figures)

    def test_age_gender(self):
        figures = self._figures(self.data, "age_gender")
        table = self._table(self.data, "age_gender")
        self.assertEqual(table["header"][1:], ["Woman", "Man", "Other or non-binary", "Not disclosed", "Total"])
        self.assertEqual(figures["26 to 39"], ["2", "0", "0", "0", "2"])
        self.assertEqual(figures["18 to 25"], ["0", "1", "0", "0", "1"])
        self.assertEqual(figures["40 to 59"], ["0", "0", "1", "0", "1"])
        self.assertEqual(figures["60 to 74"], ["1", "0", "0", "0", "1"])
        self.assertEqual(figures["Under 12"], ["0"] * 5)
        self.assertEqual(figures["Total"], ["3", "1", "1", "0", "5"])

    def test_territories_two_levels(self):
        towns = self._figures(self.data, "towns")
        self.assertEqual(towns, {"Bourg": ["1"], "Villeneuve": ["3"], "Territory not recorded": ["1"], "Total": ["5"]})
        rows = [(row["label"], row["cells"][0]["display"]) for row in self._table(self.data, "neighbourhoods")["rows"]]
        self.assertEqual(
            rows,
            [
                ("Bourg", "1"),
                ("Bourg", "1"),
                ("Villeneuve", "3"),
                ("Nord", "1"),
                ("Sud", "1"),
                ("Villeneuve (no neighbourhood recorded)", "1"),
            ],
        )

    def test_encounters_by_month_and_kind(self):
        table = self._table(self.data, "months")
        self.assertEqual(
            table["header"], ["Month", "Individual interview", "Phone call", "Outdoor talk", "Group session", "Total"]
        )
        figures = self._figures(self.data, "months")
        self.assertEqual(len(figures), 13)
        self.assertEqual(figures["January 2020"], ["1", "1", "0", "0", "2"])
        self.assertEqual(figures["February 2020"], ["2", "0", "0", "0", "2"])
        self.assertEqual(figures["April 2020"], ["0", "0", "0", "1", "1"])
        self.assertEqual(figures["July 2020"], ["0", "0", "1", "0", "1"])
        self.assertEqual(figures["December 2020"], ["0"] * 5)
        self.assertEqual(figures["Total"], ["6", "1", "1", "1", "9"])

    def test_themes_situations_recurrence(self):
        self.assertEqual(
            self._figures(self.data, "themes"),
            {self.theme_anxiety.name: ["2"], self.theme_grief.name: ["1"]},
        )
        isolated = self.env.ref("psys_base.psys_situation_tag_isolated")
        self.assertEqual(self._figures(self.data, "situations"), {isolated.name: ["1"]})
        self.assertEqual(
            self._figures(self.data, "recurrence"),
            {"1 visit": ["3"], "2 visits": ["1"], "3 to 5 visits": ["1"], "6 visits or more": ["0"], "Total": ["5"]},
        )

    def test_how_people_came(self):
        self.assertEqual(
            self._figures(self.data, "channels"),
            {
                "Came on their own": ["1"],
                "Referred by a structure": ["2"],
                "Word of mouth": ["1"],
                "Not recorded": ["1"],
                "Total": ["5"],
            },
        )
        self.assertEqual(
            self._figures(self.data, "structures"),
            {
                "CCAS": ["1"],
                "Structure not recorded": ["1"],
                "Through a partner structure": ["2"],
                "Not through a structure": ["3"],
                "Total": ["5"],
            },
        )

    def test_orientations_and_relays(self):
        self.assertEqual(
            self._figures(self.data, "orientations"),
            {self.target_cmp.name: ["1"], self.target_association.name: ["1"], "Total": ["2"]},
        )
        relays = self._figures(self.data, "relays")
        self.assertEqual(relays["Nord"], ["1", "1", "1"])
        self.assertEqual(relays["Sud"], ["1", "1", "0"])
        self.assertEqual(relays["Bourg"], ["1", "0", "0"])

    def test_filters_location_and_territory(self):
        other_place = self.env["psys.location"].create({"name": "Antenne Bourg"})
        self.env["psys.encounter"].search([("beneficiary_id", "=", self.b4.id)]).location_id = other_place
        data = self._wizard(location_id=other_place.id)._get_bilan_data()
        self.assertEqual(self._figures(data, "key_figures")["People reached"], ["1"])
        data = self._wizard(territory_id=self.town.id)._get_bilan_data()
        figures = self._figures(data, "key_figures")
        self.assertEqual(figures["People reached"], ["3"])
        self.assertEqual(figures["Encounters"], ["6"])
        self.assertEqual(self._figures(data, "towns")["Villeneuve"], ["3"])

    def _hooked(self, definitions, values):
        """Patches of the doors' hook: these definitions and values only."""
        hook_class = type(self.env["psys.report.hook"])
        return (
            patch.object(hook_class, "_get_indicator_definitions", lambda hook: definitions),
            patch.object(hook_class, "_get_indicator_values", lambda hook, date_from, date_to, companies: values),
        )

    def test_door_indicators_come_from_the_hook(self):
        def definition(family, code, name, unit, **extra):
            return dict(
                {"family": family, "code": code, "name": name, "unit": unit, "definition": "D.", "source": "S"},
                **extra,
            )

        definitions = [
            definition(
                "rota", "permanence_volunteer_hours", "Volunteer hours on shifts", "hours", role="volunteer_hours"
            ),
            definition("rota", "hours_role", "Volunteer hours per role", "hours"),
            definition("rota", "hours_user", "Volunteer hours per volunteer", "hours", internal=True),
            definition("practitioner", "referral_no_show_rate", "No-show rate", "rate"),
            definition("brive", "brive.workshops_people", "People reached by workshops", "people"),
        ]
        values = [
            {"indicator": "permanence_volunteer_hours", "value": 120.0, "people": None},
            {
                "indicator": "hours_role",
                "code": "hours_reception",
                "label": "Volunteer hours at reception",
                "value": 60.0,
                "people": None,
            },
            {
                "indicator": "hours_user",
                "code": "hours_reception_user_7",
                "label": "Volunteer hours of Jeanne Bénévole",
                "value": 12.0,
                "people": None,
            },
            {"indicator": "referral_no_show_rate", "value": 0.4, "people": 16},
            {"indicator": "brive.workshops_people", "value": 3, "people": 3},
        ]
        patch_definitions, patch_values = self._hooked(definitions, values)
        with patch_definitions, patch_values:
            internal = self._wizard()._get_bilan_data()
            published = self._wizard(edition="published")._get_bilan_data()
        figures = self._figures(internal, "key_figures")
        # only the line whose definition holds the volunteer-hours role is valued
        self.assertEqual(figures["Volunteer hours"], ["120.0"])
        self.assertEqual(figures["Valorisation of volunteer work (35 €/h)"], ["4200.00 €"])
        doors = self._figures(internal, "doors")
        # a rate is printed as a percentage
        self.assertEqual(doors["Independent practitioner - No-show rate"], ["40.0 %"])
        self.assertEqual(doors["Rota - Volunteer hours at reception"], ["60.0"])
        # details a door marks internal stay out of the published edition
        self.assertEqual(doors["Rota - Volunteer hours of Jeanne Bénévole"], ["12.0"])
        self.assertNotIn("Rota - Volunteer hours of Jeanne Bénévole", self._figures(published, "doors"))
        self.assertEqual(doors["Workshop cycles (Brive) - People reached by workshops"], ["3"])
        published_doors = self._figures(published, "doors")
        self.assertEqual(published_doors["Workshop cycles (Brive) - People reached by workshops"], ["s"])
        # hours count no people: published as they are
        self.assertEqual(self._figures(published, "key_figures")["Volunteer hours"], ["120.0"])

    def test_catalogue_reads_the_definitions_only(self):
        definitions = [
            {
                "family": "brive",
                "code": "brive.workshops_people",
                "name": "People reached by workshops",
                "unit": "people",
                "definition": "People.",
                "source": "events",
            }
        ]

        def no_values(hook, date_from, date_to, companies):
            raise AssertionError("the catalogue computes no figure")

        hook_class = type(self.env["psys.report.hook"])
        with (
            patch.object(hook_class, "_get_indicator_definitions", lambda hook: definitions),
            patch.object(hook_class, "_get_indicator_values", no_values),
        ):
            self.env["psys.indicator"].action_refresh()
        indicator = self.env["psys.indicator"].search([("code", "=", "brive.workshops_people")])
        self.assertEqual((indicator.family, indicator.origin, indicator.unit), ("brive", "hook", "people"))
        # the real doors too: their definitions, not a year of their figures
        with patch.object(hook_class, "_get_indicator_values", no_values):
            self.env["psys.indicator"].action_refresh()
        # a code no door defines any more (an older catalogue's line per volunteer) is archived
        self.assertFalse(indicator.active)
        self.assertEqual(
            self.env["psys.indicator"].search([("code", "=", "brive.workshops_people")]),
            self.env["psys.indicator"],
        )

    def test_volunteer_rate_is_configurable(self):
        self.company.psys_volunteer_hourly_rate = 20.0
        definitions = [
            {
                "family": "psys_du_coeur",
                "code": "h",
                "name": "Hours",
                "unit": "hours",
                "definition": "",
                "source": "",
                "role": "volunteer_hours",
            }
        ]
        values = [{"indicator": "h", "value": 10.0, "people": None}]
        patch_definitions, patch_values = self._hooked(definitions, values)
        with patch_definitions, patch_values:
            figures = self._figures(self._wizard()._get_bilan_data(), "key_figures")
        self.assertEqual(figures["Valorisation of volunteer work (20 €/h)"], ["200.00 €"])

    def test_published_masks_small_figures(self):
        data = self._wizard(edition="published", secrecy_threshold=2)._get_bilan_data()
        towns = self._figures(data, "towns")
        # Bourg (1) and not recorded (1) are secret; Villeneuve (3) and the total stay.
        self.assertEqual(towns, {"Bourg": ["s"], "Villeneuve": ["3"], "Territory not recorded": ["s"], "Total": ["5"]})
        neighbourhoods = self._figures(data, "neighbourhoods")
        self.assertEqual(neighbourhoods["Nord"], ["s"])
        self.assertEqual(neighbourhoods["Sud"], ["s"])
        # with the default threshold (11) every non-zero figure of this small set is secret
        data = self._wizard(edition="published")._get_bilan_data()
        self.assertEqual(data["threshold"], 11)
        for table in data["tables"]:
            for row in table["rows"]:
                for cell in row["cells"]:
                    self.assertTrue(cell["masked"] or cell["value"] == 0, f"{table['code']} / {row['label']}")
                    self.assertEqual(cell["display"] == "s", cell["masked"])

    def test_published_leaves_no_single_masked_cell_in_an_equation(self):
        wizard = self._wizard(edition="published", secrecy_threshold=2)
        builder = BilanBuilder(wizard, wizard._get_bilan_raw())
        builder.build()

        masked = apply_secrecy(builder.cells, builder.groups, 2)
        self.assertTrue(masked)
        for total, members in builder.groups:
            hidden = [key for key in (*members, total) if key in masked]
            self.assertNotEqual(len(hidden), 1, f"{total}: {hidden}")
        # the equations of the bilan hold on the unmasked figures
        for total, members in builder.groups:
            self.assertEqual(builder.cells[total][0], sum(builder.cells[key][0] for key in members), total)

    def test_bad_period_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "must start before it ends"):
            self._wizard(date_from="2020-12-31", date_to="2020-01-01")
        with self.assertRaisesRegex(ValidationError, "at least 1"):
            self._wizard(secrecy_threshold=0)

    def test_head_counts_are_a_line_of_their_own(self):
        # A group session whose 14 participants were counted, not recorded.
        self._encounter(False, date_start=datetime(2020, 9, 8, 14), kind="group", participant_count=14)
        data = self._wizard()._get_bilan_data()
        figures = self._figures(data, "key_figures")
        self.assertEqual(figures["Participants counted by head count in group sessions"], ["14"])
        # not mixed with the identified people; the session is one anonymous encounter
        self.assertEqual(figures["People reached"], ["5"])
        self.assertEqual(figures["Anonymous encounters"], ["2"])
        self.assertIn("not among the people reached", self._table(data, "key_figures")["note"])
        # a published edition masks a small head count like any count of people
        published = self._wizard(edition="published", secrecy_threshold=15)._get_bilan_data()
        self.assertEqual(
            self._figures(published, "key_figures")["Participants counted by head count in group sessions"], ["s"]
        )

    def test_no_head_count_line_without_counted_group_sessions(self):
        self.assertNotIn(
            "Participants counted by head count in group sessions", self._figures(self.data, "key_figures")
        )

    def test_masked_bars_stay_in_the_charts(self):
        data = self._wizard(edition="published", secrecy_threshold=2)._get_bilan_data()
        bars = {bar["label"]: bar for bar in self._table(data, "towns")["chart"]}
        # Bourg (1 person) is secret: its bar is there, labelled and marked, without a length
        self.assertEqual(bars["Bourg"]["display"], "s")
        self.assertTrue(bars["Bourg"]["masked"])
        self.assertEqual(bars["Bourg"]["width"], 0)
        self.assertFalse(bars["Villeneuve"]["masked"])
        self.assertEqual((bars["Villeneuve"]["display"], bars["Villeneuve"]["width"]), ("3", 100))
