from odoo import _, api, models


class PsysReportHook(models.AbstractModel):
    _inherit = "psys.report.hook"

    @api.model
    def _get_indicator_definitions(self):
        texts = {
            "funded": _(
                "Seen funded sessions at their partnership's funded rate: what the funders owe "
                "(their monthly statements add up the same sessions)."
            ),
        }
        definitions = [
            {
                "family": "practitioner",
                "code": f"referral_revenue_{tariff}",
                "name": label,
                "unit": "eur",
                "definition": texts.get(tariff, _("Sum of the prices of the seen sessions at this tariff.")),
                "source": "psys.booking.price, psys.booking.tariff",
            }
            for tariff, label in self._referral_revenue_labels().items()
        ]
        return super()._get_indicator_definitions() + definitions

    @api.model
    def _referral_revenue_labels(self):
        return {
            "standard": _("Revenue at the standard tariff"),
            "preferential": _("Revenue at the preferential tariff"),
            "funded": _("Funded sessions (amount due by the funders)"),
        }

    @api.model
    def _get_indicator_values(self, date_from, date_to, companies):
        """The revenue of the seen sessions per tariff, beside the sessions'
        figures of psys_referral (when the period has any partnership)."""
        values = super()._get_indicator_values(date_from, date_to, companies)
        if not any(value["indicator"] == "referral_sessions" for value in values):
            return values
        start, stop = self._get_period_bounds(date_from, date_to, companies)
        # sudo: aggregate figures only, no record leaves this method
        groups = {
            tariff: (total, people)
            for tariff, total, people in self.env["psys.booking"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "in", companies.ids),
                    ("start", ">=", start),
                    ("start", "<", stop),
                    ("state", "=", "seen"),
                ],
                ["tariff"],
                ["price:sum", "beneficiary_id:count_distinct"],
            )
        }
        for tariff in self._referral_revenue_labels():
            total, people = groups.get(tariff, (0.0, 0))
            values.append({"indicator": f"referral_revenue_{tariff}", "value": total, "people": people})
        return values
