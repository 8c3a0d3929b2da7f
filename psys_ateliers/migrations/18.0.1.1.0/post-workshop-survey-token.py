"""Each workshop gets its own token for the public link of its questionnaire
(the new column was filled with one default value for every row)."""

import secrets

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    env.cr.execute("SELECT id FROM event_event")
    for (event_id,) in env.cr.fetchall():
        env.cr.execute(
            "UPDATE event_event SET psys_survey_token = %s WHERE id = %s", (secrets.token_urlsafe(16), event_id)
        )
