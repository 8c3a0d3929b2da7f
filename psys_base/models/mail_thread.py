from odoo import models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _creation_message(self):
        """Without a language in the context (data loading, scheduled jobs),
        mail writes "created" in the user's language but the document's name
        in English ("Beneficiary (pseudonymous) créé"): write both in the
        user's language."""
        if not self.env.lang and self.env.user.lang:
            return super(MailThread, self.with_context(lang=self.env.user.lang))._creation_message()
        return super()._creation_message()
