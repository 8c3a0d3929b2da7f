from datetime import datetime, time

from odoo import _, api, models


class PsysReportHook(models.AbstractModel):
    _inherit = "psys.report.hook"

    @api.model
    def _get_indicators(self, date_from, date_to, companies):
        indicators = super()._get_indicators(date_from, date_to, companies)
        Booking = self.env["psys.booking"].sudo()  # sudo: aggregate figures only, no record leaves this method
        domain = [
            ("company_id", "in", companies.ids),
            ("start", ">=", datetime.combine(date_from, time.min)),
            ("start", "<=", datetime.combine(date_to, time.max)),
        ]
        bookings = Booking.search(domain)
        seen = bookings.filtered(lambda booking: booking.state == "seen")
        missed = bookings.filtered(lambda booking: booking.state == "no_show")
        due = bookings.filtered(lambda booking: booking.state in ("seen", "no_show", "excused"))
        referred = seen.filtered("structure_id")
        self_referred = seen - referred

        def indicator(code, name, value, unit, people, definition, source):
            return {
                "family": "practitioner",
                "code": code,
                "name": name,
                "value": value,
                "unit": unit,
                "people": people,
                "definition": definition,
                "source": source,
            }

        indicators += [
            indicator(
                "referral_sessions",
                _("Appointments held"),
                len(seen),
                "count",
                len(seen.beneficiary_id),
                _("Booked appointments marked as seen in the period."),
                "psys.booking.state",
            ),
            indicator(
                "referral_no_show_rate",
                _("No-show rate"),
                round(len(missed) / len(due), 3) if due else 0.0,
                "ratio",
                len(due.beneficiary_id),
                _("No-shows divided by appointments seen, excused or missed."),
                "psys.booking.state",
            ),
            indicator(
                "referral_referred_sessions",
                _("Appointments of people referred by a structure"),
                len(referred),
                "count",
                len(referred.beneficiary_id),
                _("Seen appointments booked through a partner structure."),
                "psys.booking.structure_id",
            ),
            indicator(
                "referral_self_referred_sessions",
                _("Appointments of self-referred people"),
                len(self_referred),
                "count",
                len(self_referred.beneficiary_id),
                _("Seen appointments without a referring structure."),
                "psys.booking.structure_id",
            ),
        ]
        labels = {
            "standard": _("Revenue at the standard tariff"),
            "preferential": _("Revenue at the preferential tariff"),
            "funded": _("Funded sessions (revenue)"),
        }
        for tariff, label in labels.items():
            sessions = seen.filtered(lambda booking, tariff=tariff: booking.tariff == tariff)
            indicators.append(
                indicator(
                    f"referral_revenue_{tariff}",
                    label,
                    sum(sessions.mapped("price")),
                    "eur",
                    len(sessions.beneficiary_id),
                    _("Sum of the prices of the seen sessions at this tariff."),
                    "psys.booking.price, psys.booking.tariff",
                )
            )
        relays = (
            self.env["psys.orientation"]
            .sudo()
            .search(  # sudo: aggregate only
                [
                    ("company_id", "in", companies.ids),
                    ("referral_id", "!=", False),
                    ("date", ">=", date_from),
                    ("date", "<=", date_to),
                ]
            )
        )
        counts = [
            len(relay.referral_id.booking_ids.filtered(lambda booking: booking.state == "seen")) for relay in relays
        ]
        indicators.append(
            indicator(
                "referral_mean_sessions_before_relay",
                _("Mean appointments before a relay"),
                round(sum(counts) / len(counts), 2) if counts else 0.0,
                "count",
                len(relays.beneficiary_id),
                _("Seen appointments of a referral before its outbound orientation, on average."),
                "psys.orientation.referral_id, psys.booking.state",
            )
        )
        return indicators
