# Run by setup/psys (stage "upgrade") in `odoo shell` on the database of the
# last release, with that release's code: what its demo data lacks and its
# migrations must carry over. Three people get a linking key, typed as the
# desk would (tests/test_upgrade.py finds them again after the upgrade).
SEEDED = [("UA", "1961", "f"), ("UB", "1972", "m"), ("UC", "1983", "f")]

people = env["psys.beneficiary"].search([("state", "=", "active")], order="id", limit=len(SEEDED))  # noqa: F821
for person, (initials, year, sex) in zip(people, SEEDED, strict=True):
    person.write({"link_initials": initials, "link_birth_year": year, "link_sex": sex})
    env["ir.config_parameter"].set_param(f"psys_upgrade_seed.{initials}", person.code)  # noqa: F821
env.cr.commit()  # noqa: F821  # pylint: disable=invalid-commit

# A closure of every antenna (18.0.1.0.0 has psys.closure): the migration
# makes it a company-wide leave (tests/test_upgrade.py finds it).
if "psys.closure" in env:  # noqa: F821
    env["psys.closure"].create(  # noqa: F821
        {"name": "Fermeture estivale (seed)", "date_from": "2027-08-02", "date_to": "2027-08-15"}
    )
    env.cr.commit()  # noqa: F821  # pylint: disable=invalid-commit
