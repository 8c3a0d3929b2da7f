from odoo import _, api, models
from odoo.tools import SQL


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
        """Aggregates in SQL (a network's year holds tens of thousands of
        appointments: no record is loaded, issue 24); no row leaves this
        method, only counts and sums."""
        values = super()._get_indicator_values(date_from, date_to, companies)
        start, stop = self._get_period_bounds(date_from, date_to, companies)
        for model in ("psys.booking", "psys.orientation", "psys.partnership"):
            self.env[model].flush_model()
        cr = self.env.cr
        due_states = ("seen", "no_show", "excused")
        cr.execute(
            SQL(
                """SELECT count(*) AS bookings,
                          count(*) FILTER (WHERE state = 'seen') AS seen,
                          count(DISTINCT beneficiary_id) FILTER (WHERE state = 'seen') AS seen_people,
                          count(*) FILTER (WHERE state = 'no_show') AS missed,
                          count(*) FILTER (WHERE state IN %(due)s) AS due,
                          count(DISTINCT beneficiary_id) FILTER (WHERE state IN %(due)s) AS due_people,
                          count(*) FILTER (WHERE state = 'seen' AND structure_id IS NOT NULL) AS referred,
                          count(DISTINCT beneficiary_id)
                              FILTER (WHERE state = 'seen' AND structure_id IS NOT NULL) AS referred_people,
                          count(DISTINCT beneficiary_id)
                              FILTER (WHERE state = 'seen' AND structure_id IS NULL) AS self_people
                     FROM psys_booking
                    WHERE company_id IN %(companies)s AND start >= %(start)s AND start < %(stop)s""",
                due=due_states,
                companies=tuple(companies.ids),
                start=start,
                stop=stop,
            )
        )
        bookings = cr.dictfetchone()
        # each relay (an orientation answering an inbound referral) with the
        # seen appointments of its referral
        cr.execute(
            SQL(
                """SELECT count(*) AS relays, count(DISTINCT o.beneficiary_id) AS people,
                          COALESCE(sum((SELECT count(*) FROM psys_booking b
                                         WHERE b.referral_id = o.referral_id AND b.state = 'seen')), 0) AS seen
                     FROM psys_orientation o
                    WHERE o.company_id IN %s AND o.referral_id IS NOT NULL AND o.date >= %s AND o.date <= %s""",
                tuple(companies.ids),
                date_from,
                date_to,
            )
        )
        relays = cr.dictfetchone()
        if not (bookings["bookings"] or relays["relays"]):
            cr.execute(
                SQL(
                    """SELECT 1 FROM psys_partnership
                        WHERE company_id IN %s AND date_start <= %s AND (date_end IS NULL OR date_end >= %s)
                        LIMIT 1""",
                    tuple(companies.ids),
                    date_to,
                    date_from,
                )
            )
            if not cr.fetchone():
                return values  # no practitioner's partnership in the period
        values += [
            {"indicator": "referral_sessions", "value": bookings["seen"], "people": bookings["seen_people"]},
            {
                "indicator": "referral_no_show_rate",
                "value": round(bookings["missed"] / bookings["due"], 3) if bookings["due"] else 0.0,
                "people": bookings["due_people"],
            },
            {
                "indicator": "referral_referred_sessions",
                "value": bookings["referred"],
                "people": bookings["referred_people"],
            },
            {
                "indicator": "referral_self_referred_sessions",
                "value": bookings["seen"] - bookings["referred"],
                "people": bookings["self_people"],
            },
        ]
        values.append(
            {
                "indicator": "referral_mean_sessions_before_relay",
                "value": round(relays["seen"] / relays["relays"], 2) if relays["relays"] else 0.0,
                "people": relays["people"],
            }
        )
        return values
