from datetime import datetime, time, timedelta

import pytz

from odoo import api, models

# Roles an indicator definition can hold, besides being listed: what the
# reports do with it. ``volunteer_hours``: the total of the volunteer hours,
# which the bilan values at the association's hourly rate (a breakdown of
# the same hours never holds it, or they would be counted twice).
ROLE_VOLUNTEER_HOURS = "volunteer_hours"
INDICATOR_ROLES = (ROLE_VOLUNTEER_HOURS,)


class PsysReportHook(models.AbstractModel):
    """Where each door contributes its indicators to the reports.

    psys_reporting depends on psys_base only: it knows no door and shows
    whatever the installed doors declare. An indicator has two halves:

    - its **definition** (:meth:`_get_indicator_definitions`): static, no
      figure, no query, translated by the environment's language; the
      indicator catalogue is refreshed from the definitions alone;
    - its **values** (:meth:`_get_indicator_values`): the numbers over a
      period for some associations; only the bilan asks for them.

    A door extends both::

        class PsysReportHook(models.AbstractModel):
            _inherit = "psys.report.hook"

            @api.model
            def _get_indicator_definitions(self):
                return super()._get_indicator_definitions() + [
                    {"code": "door_sessions", "family": "psys_du_coeur", "unit": "count",
                     "name": _("Sessions"), "definition": _("Sessions held in the period."),
                     "source": "door.session: date, state"},
                ]

            @api.model
            def _get_indicator_values(self, date_from, date_to, companies):
                values = super()._get_indicator_values(date_from, date_to, companies)
                if not runs_the_programme:
                    return values
                return values + [{"indicator": "door_sessions", "value": 12, "people": None}]
    """

    _name = "psys.report.hook"
    _description = "Indicators contributed by the psys addons"

    @api.model
    def _get_indicator_definitions(self):
        """What each indicator is, in the environment's language. Each one is
        a dict with the keys:

        - ``code``: unique technical name;
        - ``family``: the programme it serves (``psys_du_coeur``, ``lille``,
          ``brive``, ``practitioner``, ``rota``…);
        - ``unit``: ``count``, ``people``, ``hours``, ``eur``, ``ratio`` (a
          mean or a quotient), ``rate`` (a share between 0 and 1, printed as
          a percentage) or ``score5`` (out of 5);
        - ``name``: translated label; ``definition``: translated definition;
          ``source``: the models and fields it is computed from;
        - ``internal`` (optional): True when its lines name someone (a
          volunteer): they never appear in a published bilan;
        - ``role`` (optional): one of :data:`INDICATOR_ROLES`, what the reports
          do with it besides listing it.

        Static: no figure is computed here (the catalogue calls it once per
        installed language).
        """
        return []

    @api.model
    def _get_indicator_values(self, date_from, date_to, companies):
        """The figures over [date_from, date_to] (dates) for ``companies``.

        A list of lines, each a dict with the keys:

        - ``indicator``: the code of its definition;
        - ``value``: the number (between 0 and 1 for a ``rate``);
        - ``people``: how many distinct people the value is computed from, or
          None when it counts no people (statistical secrecy masks small ones);
        - ``code`` and ``label`` (optional): for an indicator broken down by
          something (a role, a volunteer, a neighbourhood), the line's own
          unique code and translated label; by default the definition's.

        A door returns no line for a programme the companies do not run in
        the period (no workshop cycle, no permanence…): the bilan then shows
        no section for it.
        """
        return []

    @api.model
    def _get_indicator_lines(self, date_from, date_to, companies):
        """The values joined with their definitions, as the reports print
        them: one dict per value line with the keys of its definition
        (``name`` being the line's label) and ``value``, ``people``,
        ``indicator``."""
        definitions = {item["code"]: item for item in self._get_indicator_definitions()}
        lines = []
        for item in self._get_indicator_values(date_from, date_to, companies):
            definition = definitions.get(item["indicator"])
            if definition is None:
                raise ValueError(f"Indicator value without a definition: {item['indicator']}")
            lines.append(
                dict(
                    definition,
                    indicator=item["indicator"],
                    code=item.get("code") or item["indicator"],
                    name=item.get("label") or definition["name"],
                    value=item["value"],
                    people=item.get("people"),
                )
            )
        return lines

    @api.model
    def _get_period_bounds(self, date_from, date_to, companies):
        """The period [date_from, date_to] (local dates) as naive UTC datetimes
        ``(start, stop)``, stop excluded: from local midnight of the first day
        to local midnight after the last, in the association's time zone (an
        encounter at 00:30 on 1 January belongs to January, not to December).
        For the doors' datetime fields; date fields are local already."""
        tz = pytz.timezone(companies[:1].partner_id.tz or self.env.user.tz or "Europe/Paris")

        def utc(day):
            return tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc).replace(tzinfo=None)

        return utc(date_from), utc(date_to + timedelta(days=1))
