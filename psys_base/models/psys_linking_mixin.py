import hashlib
import hmac
import logging
import os
import secrets
import unicodedata

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, config
from odoo.tools.sql import column_exists, create_column, create_index

from ..tools.age import age_bracket_for

_logger = logging.getLogger(__name__)

LINK_SEXES = [("f", "F"), ("m", "M"), ("x", "X")]
LINK_INPUTS = ("link_initials", "link_birth_year", "link_sex")

# The key derivation: HMAC-SHA256 with the pepper (a secret outside the
# database), then scrypt (memory-hard) with the database's salt. 2**15 x 8
# blocks of 128 bytes = 32 MiB and about 0.1 s per derivation on one core: the
# ~250,000 possible inputs cost an attacker who holds the pepper and a dump
# about 7 core-hours and 32 MiB per parallel guess; without the pepper, a dump
# allows no guess at all.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
SCRYPT_MAXMEM = 64 * 1024 * 1024
# The 18.0.1.0.0 derivation, kept only to recognise keys stored before 18.0.1.1.0.
LEGACY_ITERATIONS = 50_000

PEPPER_OPTION = "psys_linking_pepper"
PEPPER_FILE = "psys_linking.key"
_pepper_cache = {}


def normalise_initials(initials):
    """'é-m' -> 'EM': letters only, accents dropped, upper case."""
    decomposed = unicodedata.normalize("NFKD", initials or "")
    return "".join(char for char in decomposed if char.isalpha() and char.isascii()).upper()


def linking_pepper_path():
    return os.path.join(config["data_dir"], PEPPER_FILE)


def get_linking_pepper():
    """The secret of the linking keys, kept outside the database.

    The server option ``psys_linking_pepper`` wins; otherwise the key file
    ``<data_dir>/psys_linking.key`` (beside the filestore), created with 32
    random bytes and mode 0600 on first use. Losing it makes every stored key
    unrecognisable: back it up with the filestore, never with the database.
    """
    configured = config.get(PEPPER_OPTION)
    if configured:
        return str(configured).encode()
    path = linking_pepper_path()
    if path in _pepper_cache:
        return _pepper_cache[path]
    try:
        with open(path, "rb") as key_file:
            pepper = key_file.read().strip()
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            # Another worker created it in between: use theirs.
            with open(path, "rb") as key_file:
                pepper = key_file.read().strip()
        else:
            pepper = secrets.token_hex(32).encode()
            with os.fdopen(descriptor, "wb") as key_file:
                key_file.write(pepper + b"\n")
            _logger.warning(
                "Created the linking-key secret %s: back it up with the filestore (not with the database); "
                "without it no returning person can be recognised.",
                path,
            )
    if not pepper:
        raise UserError(_("The linking-key secret %(path)s is empty: restore it from the backup.", path=path))
    _pepper_cache[path] = pepper
    return pepper


class PsysLinkingMixin(models.AbstractModel):
    """Recognise a returning person without storing who they are.

    The initials, birth year and sex are typed, turned into a peppered,
    salted, memory-hard one-way key, and never stored: the three fields are
    computed empty and their inverse writes the key.

    The key is not a field: it lives in the columns ``linking_hash`` (and
    ``linking_hash_legacy``, keys of 18.0.1.0.0) written and compared by SQL
    only, so no user reads, searches, groups, orders or exports it through any
    path. A comparison is a lookup: one at a time, rate-limited per user and
    audited (``psys.linking.audit``).
    """

    _name = "psys.linking.mixin"
    _description = "Pseudonymous linking key"

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

    def _auto_init(self):
        result = super()._auto_init()
        if self._auto and not self._abstract:
            cr = self.env.cr
            for column in ("linking_hash", "linking_hash_legacy"):
                if not column_exists(cr, self._table, column):
                    create_column(cr, self._table, column, "varchar")
                create_index(cr, f"{self._table}__{column}_index", self._table, [column])
        return result

    @api.model_create_multi
    def create(self, vals_list):
        typed = [vals for vals in vals_list if any(vals.get(name) for name in LINK_INPUTS)]
        if len(typed) > 1 and not self.env.su:
            raise UserError(_("Linking keys are computed for one person at a time."))
        return super().create(vals_list)

    def _compute_link_inputs(self):
        self.link_initials = False
        self.link_birth_year = False
        self.link_sex = False

    def _inverse_link_inputs(self):
        typed = self.filtered(lambda record: any((record.link_initials, record.link_birth_year, record.link_sex)))
        if len(typed) > 1 and not self.env.su:
            raise UserError(_("Linking keys are computed for one person at a time."))
        typed._psys_check_key_change()
        for record in typed:
            keys = self._make_linking_keys(record.link_initials, record.link_birth_year, record.link_sex)
            record._on_linking_inputs(self._parse_birth_year(record.link_birth_year))
            record._psys_on_linking_keys(keys)

    def _psys_check_key_change(self):
        """A person's key, once stored, is changed by a coordinator only, and
        the change is written in the person's history: retyped at the desk,
        it would make her a stranger, or another person, without a trace."""
        keyed = self.filtered(
            lambda record: not record._transient and record.id and record._psys_read_linking_keys()[0]
        )
        if not keyed:
            return
        if not self.env.su and not self.env.user.has_group("psys_base.group_psys_coordinator"):
            raise AccessError(_("Only a coordinator may change the linking key of a person who has one."))
        for record in keyed.filtered(lambda record: hasattr(record, "message_post")):
            # sudo: the history line is the server's, whoever made the change.
            record.sudo().message_post(
                body=_("Linking key changed by %(user)s.", user=self.env.user.name), message_type="notification"
            )

    def _on_linking_inputs(self, birth_year):
        """What a model derives from the inputs before they are forgotten: the
        age bracket, where the model has one that is not known yet."""
        if "age_bracket" in self._fields and self.age_bracket in (False, "unknown"):
            self.age_bracket = age_bracket_for(fields.Date.context_today(self).year - birth_year)

    def _psys_on_linking_keys(self, keys):
        """What to do with the keys of freshly typed inputs: keep them."""
        self._psys_write_linking_keys(keys)

    # The key columns (SQL only) ----------------------------------------

    def _psys_write_linking_keys(self, keys):
        """Store ``keys`` = (key, legacy key or None) on these records."""
        if not self.ids:
            return
        key, legacy = keys or (None, None)
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET linking_hash = %s, linking_hash_legacy = %s WHERE id IN %s",
                SQL.identifier(self._table),
                key,
                legacy,
                tuple(self.ids),
            )
        )

    def _psys_check_own_form(self):
        """A form holding typed keys (a wizard) is its author's alone."""
        if self.env.su or not self._transient:
            return
        self.check_access("write")
        if any(record.create_uid != self.env.user for record in self):
            raise AccessError(_("This form was filled in by another user."))

    def _psys_read_linking_keys(self):
        """The (key, legacy key) stored on this record, for server-side comparison only."""
        self.ensure_one()
        if not self.id:
            return (None, None)
        self.env.cr.execute(
            SQL(
                "SELECT linking_hash, linking_hash_legacy FROM %s WHERE id = %s",
                SQL.identifier(self._table),
                self.id,
            )
        )
        row = self.env.cr.fetchone()
        return tuple(row) if row else (None, None)

    def _psys_has_linking_key(self):
        """The ids of these records that hold a key (no key is revealed)."""
        ids = [record_id for record_id in self.ids if isinstance(record_id, int)]
        if not ids:
            return set()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id IN %s AND (linking_hash IS NOT NULL OR linking_hash_legacy IS NOT NULL)",
                SQL.identifier(self._table),
                tuple(ids),
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    # Derivation --------------------------------------------------------

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
    def _linking_payload(self, initials, birth_year, sex):
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
        return f"{letters}|{birth_year}|{sex}".encode()

    @api.model
    def _psys_derive(self, payload):
        secret = hmac.new(get_linking_pepper(), payload, hashlib.sha256).digest()
        return hashlib.scrypt(
            secret,
            salt=self._get_linking_salt().encode(),
            n=SCRYPT_N,
            r=SCRYPT_R,
            p=SCRYPT_P,
            maxmem=SCRYPT_MAXMEM,
            dklen=32,
        ).hex()

    @api.model
    def _make_linking_key(self, initials, birth_year, sex):
        return self._psys_derive(self._linking_payload(initials, birth_year, sex))

    @api.model
    def _psys_wrap_legacy_key(self, legacy_key):
        """A key of 18.0.1.0.0 (PBKDF2 with the database's salt only) as it
        is kept since: peppered and stretched like a new key."""
        return self._psys_derive(b"legacy|" + legacy_key.encode())

    @api.model
    def _make_legacy_linking_key(self, payload):
        digest = hashlib.pbkdf2_hmac("sha256", payload, self._get_linking_salt().encode(), LEGACY_ITERATIONS)
        return self._psys_wrap_legacy_key(digest.hex())

    @api.model
    def _make_linking_keys(self, initials, birth_year, sex):
        """(key, legacy key): the legacy one only while some person still has
        a key of 18.0.1.0.0 (it is replaced at their next recognition)."""
        payload = self._linking_payload(initials, birth_year, sex)
        legacy = None
        if self.env["psys.beneficiary"]._psys_has_legacy_keys():
            legacy = self._make_legacy_linking_key(payload)
        return (self._psys_derive(payload), legacy)
