"""psys invoice lines carry the 0 % tax of the company's VAT exemption (a VAT
category on every line, as Factur-X requires). The lines of psys invoices
still in draft get it; posted invoices stay as they were issued."""

from openupgradelib import openupgrade

from odoo import fields


@openupgrade.migrate()
def migrate(env, version):
    lines = env["account.move.line"].search(
        [
            ("psys_booking_id", "!=", False),
            ("move_id.state", "=", "draft"),
            ("display_type", "=", "product"),
            ("tax_ids", "=", False),
        ]
    )
    for move in lines.move_id:
        taxes = move.company_id._psys_exempt_tax()
        if not taxes:
            continue
        move_lines = lines.filtered(lambda line, move=move: line.move_id == move)
        move.write(
            {
                "invoice_line_ids": [
                    fields.Command.update(line.id, {"tax_ids": [fields.Command.set(taxes.ids)]}) for line in move_lines
                ]
            }
        )
