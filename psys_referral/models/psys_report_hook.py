from odoo import _, api, models


class PsysReportHook(models.AbstractModel):
    _inherit = "psys.report.hook"

    @api.model
    def _get_indicator_definitions(self):
        booking_state = "psys.booking.state"
        booking_structure = "psys.booking.structure_id"

        def definition(code, name, unit, text, source):
            return {
                "family": "practitioner",
                "code": code,
                "name": name,
                "unit": unit,
                "definition": text,
                "source": source,
            }

        definitions = [
            definition(
                "referral_sessions",
                _("Appointments held"),
                "count",
                _("Booked appointments marked as seen in the period."),
                booking_state,
            ),
            definition(
                "referral_no_show_rate",
                _("No-show rate"),
                "rate",
                _("No-shows divided by appointments seen, excused or missed."),
                booking_state,
            ),
            definition(
                "referral_referred_sessions",
                _("Appointments of people referred by a structure"),
                "count",
                _("Seen appointments booked through a partner structure."),
                booking_structure,
            ),
            definition(
                "referral_self_referred_sessions",
                _("Appointments of self-referred people"),
                "count",
                _("Seen appointments without a referring structure."),
                booking_structure,
            ),
        ]
        definitions.append(
            definition(
                "referral_mean_sessions_before_relay",
                _("Mean appointments before a relay"),
                "count",
                _("Seen appointments of a referral before its outbound orientation, on average."),
                "psys.orientation.referral_id, psys.booking.state",
            )
        )
        return super()._get_indicator_definitions() + definitions

    @api.model
    def _get_indicator_values(self, date_from, date_to, companies):
        values = super()._get_indicator_values(date_from, date_to, companies)
        Booking = self.env["psys.booking"].sudo()  # sudo: aggregate figures only, no record leaves this method
        start, stop = self._get_period_bounds(date_from, date_to, companies)
        domain = [("company_id", "in", companies.ids), ("start", ">=", start), ("start", "<", stop)]
        bookings = Booking.search(domain)
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
        # sudo: whether a partnership runs in the period, nothing else leaves
        partnerships = (
            self.env["psys.partnership"]
            .sudo()
            .with_context(active_test=False)
            .search_count(
                [
                    ("company_id", "in", companies.ids),
                    ("date_start", "<=", date_to),
                    "|",
                    ("date_end", "=", False),
                    ("date_end", ">=", date_from),
                ],
                limit=1,
            )
        )
        if not (bookings or relays or partnerships):
            return values  # no practitioner's partnership in the period
        seen = bookings.filtered(lambda booking: booking.state == "seen")
        missed = bookings.filtered(lambda booking: booking.state == "no_show")
        due = bookings.filtered(lambda booking: booking.state in ("seen", "no_show", "excused"))
        referred = seen.filtered("structure_id")
        self_referred = seen - referred
        values += [
            {"indicator": "referral_sessions", "value": len(seen), "people": len(seen.beneficiary_id)},
            {
                "indicator": "referral_no_show_rate",
                "value": round(len(missed) / len(due), 3) if due else 0.0,
                "people": len(due.beneficiary_id),
            },
            {
                "indicator": "referral_referred_sessions",
                "value": len(referred),
                "people": len(referred.beneficiary_id),
            },
            {
                "indicator": "referral_self_referred_sessions",
                "value": len(self_referred),
                "people": len(self_referred.beneficiary_id),
            },
        ]
        counts = [
            len(relay.referral_id.booking_ids.filtered(lambda booking: booking.state == "seen")) for relay in relays
        ]
        values.append(
            {
                "indicator": "referral_mean_sessions_before_relay",
                "value": round(sum(counts) / len(counts), 2) if counts else 0.0,
                "people": len(relays.beneficiary_id),
            }
        )
        return values
