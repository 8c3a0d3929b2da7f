from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# A session costs tens of euros: above this, a price is a typing error.
MAX_SESSION_PRICE = 1000


class PsysPartnership(models.Model):
    _inherit = "psys.partnership"

    tariff_policy = fields.Selection(
        [
            ("standard", "Standard price for everyone"),
            ("preferential", "Preferential price for people this structure refers"),
            ("funded", "Free: a funder pays"),
        ],
        required=True,
        default="preferential",
        tracking=True,
    )
    funder_id = fields.Many2one("res.partner", help="Who funds the sessions when they are free.")
    funded_rate = fields.Monetary(
        string="Funded rate",
        help="What the funder pays for one session: the amount of its monthly statement and of the bilan.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    payer = fields.Selection(
        [("person", "The person"), ("structure", "The structure, invoiced")],
        string="Who pays",
        required=True,
        default="person",
        tracking=True,
    )
    product_id = fields.Many2one(
        "product.product",
        string="Session product",
        help="The service invoiced for a paid session.",
    )
    standard_pricelist_id = fields.Many2one("product.pricelist", string="Standard pricelist")
    preferential_pricelist_id = fields.Many2one("product.pricelist", string="Preferential pricelist")

    @api.constrains("funded_rate")
    def _check_funded_rate(self):
        for partnership in self:
            if not 0 <= partnership.funded_rate <= MAX_SESSION_PRICE:  # NaN too
                raise ValidationError(
                    _("The funded rate of a session is between 0 and %(max)s.", max=MAX_SESSION_PRICE)
                )

    def _get_session_price(self, referred_by_structure):
        """Price of one session: the funded rate when a funder pays, the
        preferential pricelist for people this structure referred, the
        standard one otherwise."""
        self.ensure_one()
        if self.tariff_policy == "funded":
            return self.funded_rate
        if not self.product_id:
            return 0.0
        pricelist = self.standard_pricelist_id
        if self.tariff_policy == "preferential" and referred_by_structure:
            pricelist = self.preferential_pricelist_id or pricelist
        if not pricelist:
            return self.product_id.lst_price
        return pricelist._get_product_price(self.product_id, 1.0)
