"""The users of a structure ("Afficher un utilisateur"): list, exports, one user's profiles, end of an attachment,
and a user's own request for an extra profile."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from chorus.chiffres import que_des_chiffres
from chorus.exceptions import ApplicationError, erreur_dans_le_formulaire
from exports.colonnes import Colonne
from exports.genres import Genre
from exports.views import exporter
from organisation.enums import Application, Niveau
from organisation.forms_utilisateurs import DemandeProfilForm, FiltreUtilisateursForm, ProfilsForm, libelle_profil
from organisation.habilitations import objet_visible_ou_404, peut
from organisation.models import Rattachement
from organisation.selectors import utilisateurs as selecteurs
from organisation.services import rattachements
from organisation.views.utilisateurs.commun import REFUS_CONSULTATION, effective_le

PAR_PAGE = 20
COLONNES_EXPORT = [
    "Nom",
    "Prénom",
    "Adresse électronique",
    "Gestionnaire principal",
    "Profils",
    "Date de rattachement",
]


@require_http_methods(["GET"])
def structures(request):
    """« Organisation » → « Utilisateurs »: the structures whose users the user may list; with only one, its list."""
    consultables = list(selecteurs.structures_consultables(request.user).order_by("raison_sociale", "pk"))
    if len(consultables) == 1:
        return redirect("organisation:utilisateurs", consultables[0].pk)
    return render(request, "organisation/utilisateurs/structures.html", {"structures": consultables})


def _structure(request, pk):
    """The structure, for a user with "Organisation – consultation" on it; 404 for anyone else."""
    return objet_visible_ou_404(selecteurs.structures_consultables(request.user), pk=pk)


def _liste(request, structure):
    filtre = FiltreUtilisateursForm(request.GET or None, services=structure.services.order_by("code"))
    criteres = filtre.criteres() if filtre.is_bound else {}
    return filtre, filtre.filtrer(selecteurs.utilisateurs_de_structure(structure, **criteres))


@require_http_methods(["GET"])
def utilisateurs(request, pk):
    structure = _structure(request, pk)
    filtre, qs = _liste(request, structure)
    page = Paginator(qs, PAR_PAGE).get_page(request.GET.get("page"))
    for rattachement in page:
        rattachement.profils = selecteurs.profils_resume(rattachement)
    parametres = request.GET.copy()
    parametres.pop("page", None)
    contexte = {
        "structure": structure,
        "filtre": filtre,
        "page_obj": page,
        "peut_modifier": peut(request.user, Application.ORGANISATION, Niveau.MODIFICATION, structure),
        "mon_rattachement": selecteurs.mon_rattachement(request.user, structure),
        "modifications": selecteurs.modifications_de_profils(structure),
        "parametres_export": parametres.urlencode(),
    }
    return render(request, "organisation/utilisateurs/liste.html", contexte)


def _lignes_export(qs):
    """The cells of each attachment; the profiles are prefetched with each chunk of rows (a constant number of
    queries per 500 users), so the file streams whatever the structure's size."""
    for rattachement in qs.iterator(chunk_size=500):
        u = rattachement.utilisateur
        yield [
            u.nom,
            u.prenom,
            u.email,
            "Oui" if rattachement.est_gestionnaire_principal else "Non",
            selecteurs.profils_resume(rattachement),
            timezone.localtime(rattachement.date_rattachement).date(),
        ]


def requete_export(user, parametres, structure):
    """The structure's users as its list shows them, for a user who may list them (read again when the task runs)."""
    if structure is None or not selecteurs.structures_consultables(user).filter(pk=structure.pk).exists():
        return Rattachement.objects.none()
    filtre = FiltreUtilisateursForm(parametres or None, services=structure.services.order_by("code"))
    criteres = filtre.criteres() if filtre.is_bound else {}
    return filtre.filtrer(selecteurs.utilisateurs_de_structure(structure, **criteres))


def structure_export(user, pk):
    return objet_visible_ou_404(selecteurs.structures_consultables(user), pk=pk if que_des_chiffres(pk) else None)


GENRE = Genre(
    cle="utilisateurs_structure",
    libelle="Utilisateurs de la structure",
    prefixe_fichier="utilisateurs",
    colonnes=[Colonne(libelle) for libelle in COLONNES_EXPORT],
    requete=requete_export,
    page="organisation:utilisateurs",
    lignes=_lignes_export,
    structure=structure_export,
)


@require_http_methods(["GET"])
def export_csv(request, pk):
    """Streamed (exports.views.exporter); the Excel file is built by « Mes exports »."""
    return exporter(request, GENRE.cle, "csv", structure=_structure(request, pk))


@require_http_methods(["GET"])
def export_xlsx(request, pk):
    return exporter(request, GENRE.cle, "xlsx", structure=_structure(request, pk))


def _services_de_la_grille(structure, rattachement):
    """The active services, plus any inactive one the user still has a profile on (so it can be taken away)."""
    avec_profil = {h.service_id for h in rattachement.habilitations.all() if h.service_id}
    return [s for s in structure.services.order_by("code") if s.actif or s.pk in avec_profil]


@require_http_methods(["GET", "POST"])
def utilisateur(request, pk, rattachement_pk):
    structure = _structure(request, pk)
    rattachement = objet_visible_ou_404(selecteurs.rattachement_de_structure(structure, rattachement_pk))
    peut_modifier = peut(request.user, Application.ORGANISATION, Niveau.MODIFICATION, structure)
    form = ProfilsForm(
        request.POST if request.method == "POST" else None,
        rattachement=rattachement,
        services=_services_de_la_grille(structure, rattachement),
    )
    if request.method == "POST":
        if not peut_modifier:
            messages.error(request, REFUS_CONSULTATION)
            return redirect(request.path)
        if form.is_valid():
            try:
                modification = rattachements.habilitations_modifier(
                    rattachement=rattachement, par=request.user, habilitations=form.habilitations()
                )
            except ApplicationError as erreur:
                erreur_dans_le_formulaire(form, erreur)
            else:
                messages.success(
                    request,
                    f"La modification des profils de {rattachement.utilisateur.nom_complet} est enregistrée. Elle "
                    f"prendra effet le {effective_le(modification)} : d'ici là, elle apparaît comme « Modification "
                    "en attente ».",
                )
                return redirect(request.path)
    contexte = {
        "structure": structure,
        "rattachement": rattachement,
        "form": form,
        "lignes": form.lignes_rendues(),
        "peut_modifier": peut_modifier,
        "peut_terminer": not rattachement.est_gestionnaire_principal
        and (peut_modifier or rattachement.utilisateur_id == request.user.pk),
        "modifications": selecteurs.modifications_du_rattachement(rattachement),
        "est_moi": rattachement.utilisateur_id == request.user.pk,
    }
    return render(request, "organisation/utilisateurs/utilisateur.html", contexte)


@require_http_methods(["GET", "POST"])
def utilisateur_terminer(request, pk, rattachement_pk):
    structure = _structure(request, pk)
    rattachement = objet_visible_ou_404(selecteurs.rattachement_de_structure(structure, rattachement_pk))
    est_moi = rattachement.utilisateur_id == request.user.pk
    fiche = reverse("organisation:utilisateur", args=[structure.pk, rattachement.pk])
    if not est_moi and not peut(request.user, Application.ORGANISATION, Niveau.MODIFICATION, structure):
        messages.error(request, REFUS_CONSULTATION)
        return redirect(fiche)
    if request.method == "POST":
        try:
            rattachements.rattachement_terminer(rattachement=rattachement, par=request.user)
        except ApplicationError as erreur:
            messages.error(request, erreur.message)
            return redirect(fiche)
        if est_moi:
            messages.success(request, f"Votre rattachement à la structure {structure.raison_sociale} a pris fin.")
            return redirect("organisation:mon_compte")
        messages.success(
            request,
            f"Le rattachement de {rattachement.utilisateur.nom_complet} à la structure {structure.raison_sociale} a "
            "pris fin. Un courriel l'en informe.",
        )
        return redirect("organisation:utilisateurs", pk=structure.pk)
    contexte = {"structure": structure, "rattachement": rattachement, "est_moi": est_moi, "retour": fiche}
    return render(request, "organisation/utilisateurs/terminer.html", contexte)


def _profils_demandables(rattachement):
    """What the user may still ask for, at structure level: consultation and modification where they have nothing,
    modification where they only consult."""
    niveaux = {h.application: h.niveau for h in rattachement.habilitations.all() if h.service_id is None}
    profils = []
    for application in Application:
        if niveaux.get(application) == Niveau.MODIFICATION:
            continue
        if application not in niveaux:
            profils.append((application.value, Niveau.CONSULTATION.value))
        profils.append((application.value, Niveau.MODIFICATION.value))
    return profils


@require_http_methods(["GET", "POST"])
def demander_profil(request, pk):
    """An attached user asks a gestionnaire for an extra profile, e.g. "Organisation – modification"."""
    rattachement = objet_visible_ou_404(selecteurs.mon_rattachement_actif(request.user, pk))
    structure = rattachement.structure
    profils = _profils_demandables(rattachement)
    initial = {"profil": request.GET.get("profil", "")}
    form = DemandeProfilForm(request.POST or None, profils=profils, initial=initial)
    if request.method == "POST" and form.is_valid():
        application, niveau = form.cleaned_data["profil"]
        try:
            rattachements.habilitation_demander(
                rattachement=rattachement, par=request.user, application=application, niveau=niveau
            )
        except ApplicationError as erreur:
            erreur_dans_le_formulaire(form, erreur, sinon="profil")
        else:
            messages.success(
                request,
                f"Votre demande du profil « {libelle_profil(application, niveau)} » est envoyée aux gestionnaires "
                f"de la structure {structure.raison_sociale} : un courriel vous informera de leur décision.",
            )
            return redirect("organisation:demander_profil", pk=structure.pk)
    contexte = {
        "structure": structure,
        "form": form,
        "profils": profils,
        "demandes": selecteurs.demandes_habilitation_de(rattachement),
    }
    return render(request, "organisation/utilisateurs/demander_profil.html", contexte)
