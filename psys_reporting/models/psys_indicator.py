from odoo import api, fields, models

from odoo.addons.psys_base.tools.groups import COORDINATOR
from odoo.addons.psys_base.tools.policy import REFERENCE, Policy

FAMILIES = [
    ("psys_du_coeur", "Psys du cœur"),
    ("lille", "Espaces écoute santé (Lille)"),
    ("brive", "Workshop cycles (Brive)"),
    ("practitioner", "Independent practitioner"),
    ("rota", "Rota"),
    ("other", "Other"),
]
UNITS = [
    ("count", "Count"),
    ("people", "People"),
    ("hours", "Hours"),
    ("eur", "Euros"),
    ("ratio", "Ratio"),
    ("rate", "Rate (%)"),
    ("score5", "Out of 5"),
]


class PsysIndicator(models.Model):
    """The documented list of the indicators the bilan can show.

    Spine indicators (computed by psys_reporting from psys_base) are data
    records; the doors' indicators are the definitions of
    ``psys.report.hook``, added or updated by :meth:`action_refresh` (which
    computes no figure).
    """

    _name = "psys.indicator"
    _inherit = ["psys.secured"]
    _description = "Indicator"
    _psys_policy = Policy(company=None, shared=REFERENCE)
    _order = "family, sequence, code"

    code = fields.Char(required=True)
    name = fields.Char(required=True, translate=True)
    family = fields.Selection(FAMILIES, required=True, default="other")
    definition = fields.Text(required=True, translate=True)
    source = fields.Char(string="Source fields", help="The models and fields the indicator is computed from.")
    unit = fields.Selection(UNITS, required=True, default="count")
    origin = fields.Selection(
        [("spine", "Computed by the reporting module"), ("hook", "Contributed by an installed module")],
        required=True,
        default="spine",
        readonly=True,
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [("code_uniq", "unique(code)", "An indicator with this code already exists.")]

    @api.model
    def _hook_definitions(self, lang):
        """The indicator definitions of the installed doors, in ``lang``."""
        return self.env["psys.report.hook"].with_context(lang=lang)._get_indicator_definitions()

    def action_refresh(self):
        """Add or update the indicators the installed modules define."""
        self._psys_check_action("write", COORDINATOR)
        families = dict(FAMILIES)
        source_lang = "en_US"
        installed = [code for code, _name in self.env["res.lang"].get_installed()]
        translations = {
            lang: {item["code"]: item for item in self._hook_definitions(lang)}
            for lang in installed
            if lang != source_lang
        }
        existing = {indicator.code: indicator for indicator in self.with_context(active_test=False).search([])}
        definitions = self._hook_definitions(source_lang)
        # Indicators of a module since uninstalled, or lines of an older
        # catalogue (one per volunteer or neighbourhood): archived.
        codes = {item["code"] for item in definitions}
        self.browse(
            [indicator.id for code, indicator in existing.items() if indicator.origin == "hook" and code not in codes]
        ).write({"active": False})
        for item in definitions:
            values = {
                "name": item["name"],
                "family": item.get("family") if item.get("family") in families else "other",
                "definition": item.get("definition") or item["name"],
                "source": item.get("source") or "",
                "unit": item.get("unit") if item.get("unit") in dict(UNITS) else "count",
                "origin": "hook",
                "active": True,
            }
            indicator = existing.get(item["code"])
            if indicator:
                indicator.with_context(lang=source_lang).write(values)
            else:
                indicator = self.with_context(lang=source_lang).create(dict(values, code=item["code"]))
            for lang, items in translations.items():
                translated = items.get(item["code"])
                if translated:
                    indicator.with_context(lang=lang).write(
                        {"name": translated["name"], "definition": translated.get("definition") or translated["name"]}
                    )
        return True
