"""Who referred a person is a fact of the referral, not of the channel: before
this release, a practitioner's or a coordinator's booking invitation opened,
when the person booked, a request carrying the partnership's structure, even
for a person who came on her own. Those requests, the appointments booked
through those links and the encounters of these appointments lose the
structure the person was never referred by (not her first referring
structure, no request nor appointment of a worker of the structure), as
psys.waiting.entry's _psys_referring_structure decides now. Invoices already
issued are left as they are: a posted invoice is corrected by a credit note,
by the practitioner."""

from openupgradelib import openupgrade

# The requests opened by the booking of an internal user's invitation, at the
# name of a structure that never referred the person otherwise.
WRONG_REFERRALS = """
    SELECT DISTINCT referral.id
      FROM psys_referral referral
      JOIN psys_partnership partnership ON partnership.id = referral.partnership_id
      JOIN psys_beneficiary person ON person.id = referral.beneficiary_id
      JOIN res_users inviter ON inviter.id = referral.referred_by_id AND NOT inviter.share
      JOIN psys_booking booking ON booking.referral_id = referral.id
      JOIN psys_invitation invitation ON invitation.booking_id = booking.id AND invitation.invited_by_id = inviter.id
     WHERE referral.structure_id = partnership.structure_id
       AND person.first_referrer_id IS DISTINCT FROM referral.structure_id
       AND NOT EXISTS (
               SELECT 1
                 FROM psys_referral other
                 LEFT JOIN res_users worker ON worker.id = other.referred_by_id
                WHERE other.beneficiary_id = person.id
                  AND other.structure_id = referral.structure_id
                  AND other.id != referral.id
                  AND (worker.id IS NULL OR worker.share))
       AND NOT EXISTS (
               SELECT 1
                 FROM psys_booking other
                 LEFT JOIN res_users worker ON worker.id = other.booked_by_id
                WHERE other.beneficiary_id = person.id
                  AND other.structure_id = referral.structure_id
                  AND (worker.id IS NULL OR worker.share))
"""


@openupgrade.migrate()
def migrate(env, version):
    cr = env.cr
    cr.execute(WRONG_REFERRALS)
    referral_ids = tuple(row[0] for row in cr.fetchall())
    if not referral_ids:
        return
    # Their appointments booked from the back office or through a link (a
    # structure's worker books as a portal user: those keep their structure).
    cr.execute(
        """SELECT booking.id
             FROM psys_booking booking
             JOIN psys_referral referral ON referral.id = booking.referral_id
             JOIN res_users booker ON booker.id = booking.booked_by_id AND NOT booker.share
            WHERE booking.referral_id IN %s AND booking.structure_id = referral.structure_id""",
        (referral_ids,),
    )
    booking_ids = tuple(row[0] for row in cr.fetchall())
    if booking_ids:
        openupgrade.logged_query(
            cr,
            """UPDATE psys_encounter encounter
                  SET referral_source = 'self', referral_partner_id = NULL
                 FROM psys_booking booking
                WHERE booking.encounter_id = encounter.id
                  AND booking.id IN %s
                  AND encounter.referral_partner_id = booking.structure_id""",
            (booking_ids,),
        )
        openupgrade.logged_query(cr, "UPDATE psys_booking SET structure_id = NULL WHERE id IN %s", (booking_ids,))
    openupgrade.logged_query(cr, "UPDATE psys_referral SET structure_id = NULL WHERE id IN %s", (referral_ids,))
