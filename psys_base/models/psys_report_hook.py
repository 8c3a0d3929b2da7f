from odoo import api, models


class PsysReportHook(models.AbstractModel):
    """Where each door contributes its indicators to the reports.

    psys_reporting depends on psys_base only: it calls ``_get_indicators``
    and shows whatever the installed doors return. A door extends it::

        class PsysReportHook(models.AbstractModel):
            _inherit = "psys.report.hook"

            @api.model
            def _get_indicators(self, date_from, date_to, companies):
                return super()._get_indicators(date_from, date_to, companies) + [...]
    """

    _name = "psys.report.hook"
    _description = "Indicators contributed by the psys addons"

    @api.model
    def _get_indicators(self, date_from, date_to, companies):
        """Indicators over [date_from, date_to] (dates) for ``companies``.

        Each one is a dict with the keys:

        - ``family``: the programme it serves (``psys_du_coeur``, ``lille``,
          ``brive``, ``practitioner``, ``rota``…);
        - ``code``: unique technical name; ``name``: translated label;
        - ``value``: the number; ``unit``: ``count``, ``people``, ``hours``,
          ``eur`` or ``ratio``;
        - ``people``: how many distinct people the value is computed from, or
          None when it counts no people (statistical secrecy masks small ones);
        - ``definition``: translated definition; ``source``: the fields read;
        - ``internal`` (optional): True when the indicator names someone (a
          volunteer): it never appears in a published bilan.
        """
        return []
