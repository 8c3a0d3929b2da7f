from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    psys_partnership_id = fields.Many2one("psys.partnership", string="Partnership", index="btree_not_null", copy=False)


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    psys_booking_id = fields.Many2one("psys.booking", string="Appointment", index="btree_not_null", copy=False)
