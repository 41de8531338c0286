"""Pagination and sort of the search services (chorus-pro-api.md §1): `{nbResultatsParPage, pageResultatDemandee,
triColonne, triSens}` under the service's own key → `parametresRetour {nbResultatsParPage, pageCourante, pages,
total}`. Every page is reachable (OCA read only the first one for years: PR #650/#651).

A page holds at most PAR_PAGE_MAX rows: clients ask for more (the Odoo connector hard-codes 10 000 for
rechercher/services), and refusing them would leave them with nothing. A larger request is served with PAR_PAGE_MAX
rows; `parametresRetour` says the size used (`nbResultatsParPage`, from which `pages` follows) and the size asked
(`nbResultatsParPageDemande`), so a client that pages reaches every row and one that does not can tell."""

from raccordement.api.schema import PAR_PAGE_MAX
from raccordement.api.vues import ErreurDonnees, champ

PAR_PAGE_DEFAUT = 10
SENS = {"Ascendant": "", "Descendant": "-"}


# far beyond any list (Chorus Pro receives about 80 million invoices a year), far below the databases' integers
DEBUT_MAX = 2**40


def paginer(corps, cle, qs, tris, tri_defaut, *, total=None, lire_page=None):
    """(rows of the requested page, parametresRetour). `tris` maps triColonne values to order_by fields.

    `total`, `pages`: exact, as the contract says, but counted only when the page does not tell. A page that is not
    full ends the list: its rows and the ones before give the total without a COUNT (most filtered searches: one
    query). A caller that can read the total more cheaply than a COUNT (the per-status counters of an unfiltered
    search) passes the function that reads it as `total`: called only when the page is full.

    `lire_page(ordre, debut, fin)`, when given, reads the page instead of slicing `qs` (a union searched branch by
    branch): it returns (rows, total), total None when the rows do not tell it; `qs` is then only counted."""
    parametres = corps.get(cle) or {}
    if not isinstance(parametres, dict):
        raise ErreurDonnees(f"{cle} : un objet est attendu.", champ=cle)
    par_page = champ(parametres, "nbResultatsParPage", type_=int, defaut=PAR_PAGE_DEFAUT)
    if par_page < 1:
        raise ErreurDonnees(
            f"{cle}.nbResultatsParPage : au moins 1 (reçu {par_page}).", champ=f"{cle}.nbResultatsParPage"
        )
    demande, par_page = par_page, min(par_page, PAR_PAGE_MAX)
    page = champ(parametres, "pageResultatDemandee", type_=int, defaut=1)
    colonne = champ(parametres, "triColonne", type_=str, defaut=tri_defaut)
    if colonne not in tris:
        raise ErreurDonnees(
            f"{cle}.triColonne : « {colonne} » n'est pas une colonne de tri ({', '.join(sorted(tris))}).",
            champ=f"{cle}.triColonne",
        )
    sens = champ(parametres, "triSens", type_=str, defaut="Ascendant")
    if sens not in SENS:
        raise ErreurDonnees(f"{cle}.triSens : « Ascendant » ou « Descendant ».", champ=f"{cle}.triSens")
    if page < 1:
        raise ErreurDonnees(
            f"{cle}.pageResultatDemandee : la page {page} n'existe pas (la première est la page 1).",
            champ=f"{cle}.pageResultatDemandee",
        )
    ordre = [f"{SENS[sens]}{c}" for c in tris[colonne]]
    debut = (page - 1) * par_page
    if debut > DEBUT_MAX:
        # no list holds that many rows, and the databases would refuse the OFFSET itself (SQLite reads a literal
        # past 2**63 as a real, « datatype mismatch »): the contract's answer to a page past the end
        raise ErreurDonnees(
            f"{cle}.pageResultatDemandee : la page {page} n'existe pas.", champ=f"{cle}.pageResultatDemandee"
        )
    ordre.append(f"{SENS[sens]}pk")
    connu = None
    if lire_page is None:
        lignes = list(qs.order_by(*ordre)[debut : debut + par_page])
    else:
        lignes, connu = lire_page(ordre, debut, debut + par_page)
    if connu is not None:
        total = connu
    # a page that is not full is the last one: no COUNT (an empty page past the first one says nothing)
    elif len(lignes) < par_page and (lignes or page == 1):
        total = debut + len(lignes)
    else:
        total = total() if total is not None else qs.order_by().count()
    pages = max(1, -(-total // par_page))
    if page > pages:
        raise ErreurDonnees(
            f"{cle}.pageResultatDemandee : la page {page} n'existe pas ({pages} page{'s' if pages > 1 else ''}).",
            champ=f"{cle}.pageResultatDemandee",
        )
    retour = {"nbResultatsParPage": par_page, "pageCourante": page, "pages": pages, "total": total}
    if demande != par_page:
        retour["nbResultatsParPageDemande"] = demande
    return lignes, retour
