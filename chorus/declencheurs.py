"""The SQLite triggers a migration declares (its SQLITE_NOMS and SQLITE_CREER), put back after a migrate that lost
them: Django alters most columns on SQLite by rebuilding the table, and the old table's triggers go with it. The
counters (facturation.services.compteurs) and the works keys (travaux.services.cles) call it from their post_migrate
handlers, then rebuild what the copy ran without."""


def remettre_les_declencheurs(curseur, migration):
    """Put back the triggers of `migration` when any is missing (those still there are dropped and created again, so
    all come from the one definition); True when it did."""
    curseur.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    presents = {nom for (nom,) in curseur.fetchall()}
    if presents >= set(migration.SQLITE_NOMS):
        return False
    for nom in presents & set(migration.SQLITE_NOMS):
        curseur.execute(f"DROP TRIGGER {nom}")
    for sql in migration.SQLITE_CREER:
        curseur.execute(sql)
    return True
