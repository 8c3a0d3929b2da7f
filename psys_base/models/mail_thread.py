from odoo import models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _creation_message(self):
        """Without a language in the context (data loading, scheduled jobs),
        mail writes "created" in the user's language but the document's name
        in English ("Beneficiary (pseudonymous) créé"): write both in the
        user's language."""
        thread = self.with_context(lang=self.env.user.lang) if not self.env.lang and self.env.user.lang else self
        if thread._name.startswith("psys."):
            # mail's "%s created" reads "Rencontre créé" in French: psys
            # documents say "Rencontre : fiche créée", right whatever their gender.
            thread.ensure_one()
            return thread.env._("%(document)s: record created", document=thread.env["ir.model"]._get(thread._name).name)
        return super(MailThread, thread)._creation_message()
