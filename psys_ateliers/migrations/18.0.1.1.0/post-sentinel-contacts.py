"""A sentinel's named contact belongs to the sentinel's association."""

from openupgradelib import openupgrade


def migrate(cr, version):
    openupgrade.logged_query(
        cr,
        """
        UPDATE res_partner partner
           SET company_id = sentinel.company_id
          FROM psys_sentinel sentinel
         WHERE sentinel.partner_id = partner.id
           AND partner.psys_private_contact
           AND partner.company_id IS DISTINCT FROM sentinel.company_id
        """,
    )
