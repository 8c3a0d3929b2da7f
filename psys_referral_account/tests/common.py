from odoo.addons.psys_referral.tests.common import PsysReferralCase


class PsysReferralAccountCase(PsysReferralCase):
    """The referral test world with paid partnerships: a session product,
    a standard and a preferential pricelist, the company's VAT exemption,
    and an accounting ready to invoice (``_setup_accounting``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.psys_vat_exemption = "art_293b"

    @classmethod
    def _setup_tariffs(cls):
        cls.product = cls.env["product.product"].create(
            {"name": "Séance", "type": "service", "list_price": 70.0, "taxes_id": [(6, 0, [])]}
        )
        cls.pricelist_standard = cls._pricelist("Standard", 50.0)
        cls.pricelist_preferential = cls._pricelist("Préférentiel", 30.0)

    @classmethod
    def _partnership_values(cls):
        return {
            "tariff_policy": "preferential",
            "payer": "person",
            "product_id": cls.product.id,
            "standard_pricelist_id": cls.pricelist_standard.id,
            "preferential_pricelist_id": cls.pricelist_preferential.id,
        }

    @classmethod
    def _pricelist(cls, name, price):
        return cls.env["product.pricelist"].create(
            {
                "name": name,
                "currency_id": cls.env.company.currency_id.id,
                "item_ids": [
                    (
                        0,
                        0,
                        {
                            "applied_on": "0_product_variant",
                            "product_id": cls.product.id,
                            "compute_price": "fixed",
                            "fixed_price": price,
                        },
                    )
                ],
            }
        )

    @classmethod
    def _setup_accounting(cls):
        company = cls.env.company
        if not company.chart_template:
            cls.env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)
        cls.cash_journal = cls.env["account.journal"].search(
            [("type", "=", "cash"), ("company_id", "=", company.id)], limit=1
        ) or cls.env["account.journal"].create({"name": "Espèces", "type": "cash", "code": "CSHP"})
