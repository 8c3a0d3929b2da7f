"""Funded sessions carry their price: the partnership's funded rate, which
the funder's monthly statement and the bilan add up. The demo's city-funded
partnership gets its rate; the funded sessions seen before the rate existed
(priced 0) and on no statement yet take their partnership's rate."""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    demo = env.ref("psys_referral.partnership_mairie_fives", raise_if_not_found=False)
    if demo and not demo.funded_rate:
        demo.funded_rate = 25.0
    env.flush_all()
    openupgrade.logged_query(
        env.cr,
        """
        UPDATE psys_booking b
           SET price = p.funded_rate
          FROM psys_partnership p
         WHERE b.partnership_id = p.id
           AND p.tariff_policy = 'funded'
           AND p.funded_rate > 0
           AND b.state = 'seen'
           AND b.tariff = 'funded'
           AND COALESCE(b.price, 0) = 0
           AND b.statement_id IS NULL
        """,
    )
