"""Load corrected French terms again over an upgraded database."""

import io

import polib

from odoo.tools import file_path
from odoo.tools.translate import TranslationImporter


def reload_french_terms(env, module, msgids):
    """Write the French of these source terms of ``module`` (its
    ``i18n/fr.po``) over what the database holds. An upgrade loads an
    addon's translations without overwriting them: a term whose French was
    corrected keeps the old words until a migration calls this."""
    if not env["res.lang"]._lang_get("fr_FR"):
        return 0
    path = file_path(f"{module}/i18n/fr.po")
    catalogue = polib.pofile(path)
    subset = polib.POFile()
    subset.metadata = catalogue.metadata
    for entry in catalogue:
        if entry.msgid in msgids and entry.msgstr:
            subset.append(entry)
    importer = TranslationImporter(env.cr, verbose=False)
    buffer = io.BytesIO(str(subset).encode())
    buffer.name = path  # the reader finds the addon's .pot beside it
    importer.load(buffer, "po", "fr_FR")
    importer.save(overwrite=True)
    env.invalidate_all()
    return len(subset)
