"""Named contacts belong to their association; clinical situation tags move to
the clinicians' field."""

from openupgradelib import openupgrade

CLINICAL_TAGS = ("psys_situation_tag_heavy_pathology", "psys_situation_tag_post_trauma")


def migrate(cr, version):
    # The contact of a person gets the person's association...
    openupgrade.logged_query(
        cr,
        """
        UPDATE res_partner partner
           SET company_id = beneficiary.company_id
          FROM psys_beneficiary beneficiary
         WHERE beneficiary.partner_id = partner.id
           AND partner.psys_private_contact
           AND partner.company_id IS DISTINCT FROM beneficiary.company_id
        """,
    )
    # ... and a contact no person links any more (consent withdrawn) the
    # association of the user who recorded it.
    openupgrade.logged_query(
        cr,
        """
        UPDATE res_partner partner
           SET company_id = creator.company_id
          FROM res_users creator
         WHERE creator.id = partner.create_uid
           AND partner.psys_private_contact
           AND partner.company_id IS NULL
        """,
    )
    # Clinical tags: flagged (their data is noupdate), then moved.
    cr.execute(
        "SELECT res_id FROM ir_model_data WHERE module = 'psys_base' AND model = 'psys.situation.tag' AND name IN %s",
        (CLINICAL_TAGS,),
    )
    tag_ids = tuple(row[0] for row in cr.fetchall())
    if tag_ids:
        openupgrade.logged_query(cr, "UPDATE psys_situation_tag SET is_clinical = TRUE WHERE id IN %s", (tag_ids,))
    openupgrade.logged_query(
        cr,
        """
        INSERT INTO psys_beneficiary_clinical_tag_rel (beneficiary_id, tag_id)
        SELECT rel.psys_beneficiary_id, rel.psys_situation_tag_id
          FROM psys_beneficiary_psys_situation_tag_rel rel
          JOIN psys_situation_tag tag ON tag.id = rel.psys_situation_tag_id
         WHERE tag.is_clinical
        ON CONFLICT DO NOTHING
        """,
    )
    openupgrade.logged_query(
        cr,
        """
        DELETE FROM psys_beneficiary_psys_situation_tag_rel rel
         USING psys_situation_tag tag
         WHERE tag.id = rel.psys_situation_tag_id
           AND tag.is_clinical
        """,
    )
