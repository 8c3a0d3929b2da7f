from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

from ..tools.booking import parse_id


class PsysSlipController(http.Controller):
    @http.route("/my/psys/bookings/<int:booking_id>/slip", type="http", auth="user", methods=["GET"])
    def psys_booking_slip(self, booking_id, **kw):
        """The printable slip of a booking of the worker's structure: found
        through the record rules as the user, rendered once found."""
        booking_id = parse_id(booking_id)
        booking = booking_id and request.env["psys.booking"].search([("id", "=", booking_id)])
        if not booking or booking.state != "booked":
            raise NotFound()
        # The name this structure may see, decided as the user: the report
        # itself runs in sudo and shows no name of its own.
        names = {booking.id: booking._psys_slip_name()}
        # sudo: the booking was found as the user (record rules), the report
        # reads its place and the company's contact.
        pdf, _type = (
            request.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf("psys_referral.action_report_booking_slip", [booking.id], data={"psys_slip_names": names})
        )
        headers = [
            ("Content-Type", "application/pdf"),
            ("Content-Length", len(pdf)),
            ("Content-Disposition", 'inline; filename="rendez-vous.pdf"'),
        ]
        return request.make_response(pdf, headers=headers)
