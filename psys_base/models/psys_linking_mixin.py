import hashlib
import secrets
import unicodedata

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools.age import age_bracket_for

LINK_SEXES = [("f", "F"), ("m", "M"), ("x", "X")]
# Key stretching: the inputs have few combinations, so each guess must cost.
LINK_ITERATIONS = 50_000


def normalise_initials(initials):
    """'é-m' -> 'EM': letters only, accents dropped, upper case."""
    decomposed = unicodedata.normalize("NFKD", initials or "")
    return "".join(char for char in decomposed if char.isalpha() and char.isascii()).upper()


class PsysLinkingMixin(models.AbstractModel):
    """Recognise a returning person without storing who they are.

    The initials, birth year and sex are typed, turned into a salted one-way
    key, and never stored: the three fields are computed empty and only their
    inverse writes ``linking_key``.
    """

    _name = "psys.linking.mixin"
    _description = "Pseudonymous linking key"

    linking_key = fields.Char(copy=False, index=True, readonly=True)
    link_initials = fields.Char(
        string="Initials",
        compute="_compute_link_inputs",
        inverse="_inverse_link_inputs",
        help="Initials of first and last names, e.g. JD. Used to compute the linking key, never stored.",
    )
    link_birth_year = fields.Char(
        string="Birth year",
        size=4,
        compute="_compute_link_inputs",
        inverse="_inverse_link_inputs",
        help="Used to compute the linking key and the age bracket, never stored.",
    )
    link_sex = fields.Selection(
        LINK_SEXES,
        string="Sex (linking)",
        compute="_compute_link_inputs",
        inverse="_inverse_link_inputs",
        help="Used to compute the linking key, never stored.",
    )

    def _compute_link_inputs(self):
        self.link_initials = False
        self.link_birth_year = False
        self.link_sex = False

    def _inverse_link_inputs(self):
        for record in self:
            inputs = (record.link_initials, record.link_birth_year, record.link_sex)
            if not any(inputs):
                continue
            record.linking_key = self._make_linking_key(*inputs)
            record._on_linking_inputs(self._parse_birth_year(record.link_birth_year))

    def _on_linking_inputs(self, birth_year):
        """What a model derives from the inputs before they are forgotten: the
        age bracket, where the model has one that is not known yet."""
        if "age_bracket" in self._fields and self.age_bracket in (False, "unknown"):
            self.age_bracket = age_bracket_for(fields.Date.context_today(self).year - birth_year)

    @api.model
    def _get_linking_salt(self):
        params = self.env["ir.config_parameter"].sudo()  # technical parameter, never shown
        salt = params.get_param("psys_base.linking_salt")
        if not salt:
            salt = secrets.token_hex(32)
            params.set_param("psys_base.linking_salt", salt)
        return salt

    @api.model
    def _parse_birth_year(self, birth_year):
        """The year as a number, from what was typed (a text or a number)."""
        text = str(birth_year or "").strip()
        if not (text.isdigit() and len(text) == 4):
            raise ValidationError(_("The birth year is four digits, for instance 1980, not %(year)s.", year=text))
        year = int(text)
        this_year = fields.Date.context_today(self).year
        if not 1900 <= year <= this_year:
            raise ValidationError(
                _(
                    "The birth year %(year)s is not possible: give a year between 1900 and %(this_year)s.",
                    year=year,
                    this_year=this_year,
                )
            )
        return year

    @api.model
    def _make_linking_key(self, initials, birth_year, sex):
        letters = normalise_initials(initials)
        if not (letters and birth_year and sex):
            raise ValidationError(_("To recognise a person, give their initials, birth year and sex together."))
        if len(letters) > 4:
            raise ValidationError(
                _("Initials are 1 to 4 letters (for instance JD), not %(initials)s.", initials=initials)
            )
        birth_year = self._parse_birth_year(birth_year)
        if sex not in dict(LINK_SEXES):
            raise ValidationError(_("The sex for the linking key must be F, M or X."))
        payload = f"{letters}|{birth_year}|{sex}".encode()
        digest = hashlib.pbkdf2_hmac("sha256", payload, self._get_linking_salt().encode(), LINK_ITERATIONS)
        return digest.hex()
