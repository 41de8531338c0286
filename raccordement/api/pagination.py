"""Pagination and sort of the search services (chorus-pro-api.md §1): `{nbResultatsParPage, pageResultatDemandee,
triColonne, triSens}` under the service's own key → `parametresRetour {nbResultatsParPage, pageCourante, pages,
total}`. Every page is reachable (OCA read only the first one for years: PR #650/#651)."""

from raccordement.api.vues import ErreurDonnees, champ

PAR_PAGE_DEFAUT = 10
PAR_PAGE_MAX = 500
SENS = {"Ascendant": "", "Descendant": "-"}


def paginer(corps, cle, qs, tris, tri_defaut):
    """(rows of the requested page, parametresRetour). `tris` maps triColonne values to order_by fields."""
    parametres = corps.get(cle) or {}
    if not isinstance(parametres, dict):
        raise ErreurDonnees(f"{cle} : un objet est attendu.", champ=cle)
    par_page = champ(parametres, "nbResultatsParPage", type_=int, defaut=PAR_PAGE_DEFAUT)
    if not 1 <= par_page <= PAR_PAGE_MAX:
        raise ErreurDonnees(
            f"{cle}.nbResultatsParPage : entre 1 et {PAR_PAGE_MAX} (reçu {par_page}).",
            champ=f"{cle}.nbResultatsParPage",
        )
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
    total = qs.count()
    pages = max(1, -(-total // par_page))
    if not 1 <= page <= pages:
        raise ErreurDonnees(
            f"{cle}.pageResultatDemandee : la page {page} n'existe pas ({pages} page{'s' if pages > 1 else ''}).",
            champ=f"{cle}.pageResultatDemandee",
        )
    ordre = [f"{SENS[sens]}{c}" for c in tris[colonne]]
    lignes = list(qs.order_by(*ordre, f"{SENS[sens]}pk")[(page - 1) * par_page : page * par_page])
    return lignes, {"nbResultatsParPage": par_page, "pageCourante": page, "pages": pages, "total": total}
