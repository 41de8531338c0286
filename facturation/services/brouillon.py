"""Drafts of the web entry (« Enregistrer »): saved as they are, checked for what the database needs only.

A draft may lack its number or repeat one (the unique constraint spares drafts); the deposit checks everything
(facturation.services.depot). The totals are kept up to date so the list of drafts shows them.
"""

from django.db import transaction

from chorus.exceptions import ApplicationError
from facturation.calcul import calculer
from facturation.enums import StatutFacture
from facturation.models import Facture, LigneFacture
from facturation.services.pieces_jointes import piece_jointe_facture_ajouter
from organisation.enums import Application, Niveau
from organisation.habilitations import peut

CHAMPS = (
    "cadre",
    "type_facture",
    "numero",
    "date_facture",
    "devise",
    "fournisseur",
    "destinataire",
    "service_destinataire",
    "service_fournisseur",
    "coordonnee_bancaire",
    "type_tva",
    "motif_exoneration",
    "mode_paiement",
    "numero_facture_origine",
    "numero_engagement",
    "numero_marche",
    "remise_globale",
    "motif_remise_globale",
    "commentaire",
    "valideur_1",
    "service_valideur_1",
)

REFUS = (
    "Vous n'êtes pas habilité à émettre des factures pour la structure {nom} "
    "(profil « Factures émises – modification »)."
)


def _autoriser(par, structure):
    if not peut(par, Application.FACTURES_EMISES, Niveau.MODIFICATION, structure):
        raise ApplicationError(REFUS.format(nom=structure.designation), champ="fournisseur")


def _coherence(donnees):
    fournisseur = donnees["fournisseur"]
    for champ, libelle in (("service_fournisseur", "Le service"), ("coordonnee_bancaire", "Le compte bancaire")):
        objet = donnees.get(champ)
        if objet is not None and objet.structure_id != fournisseur.pk:
            raise ApplicationError(f"{libelle} choisi n'appartient pas à {fournisseur.designation}.", champ=champ)
    coordonnee = donnees.get("coordonnee_bancaire")
    if coordonnee is not None and not coordonnee.actif:
        raise ApplicationError("Le compte bancaire choisi n'est plus actif.", champ="coordonnee_bancaire")
    service = donnees.get("service_destinataire")
    if service is not None and service.structure_id != donnees["destinataire"].pk:
        raise ApplicationError("Le service destinataire n'appartient pas au destinataire.", champ="code_service")


def facture_enregistrer_brouillon(*, par, donnees, lignes, facture=None, pieces_jointes=()):
    """Create or update a draft from `donnees` (the model's header fields) and `lignes` (dicts as for
    facture_deposer); `pieces_jointes`: uploaded files to attach. Returns the draft."""
    with transaction.atomic():
        if facture is not None:
            facture = Facture.objects.select_for_update().get(pk=facture.pk)
            if facture.statut != StatutFacture.BROUILLON:
                raise ApplicationError("Cette facture a déjà été déposée : elle ne se modifie plus.", champ="numero")
            _autoriser(par, facture.fournisseur)
        else:
            facture = Facture(statut=StatutFacture.BROUILLON, cree_par=par)
        _autoriser(par, donnees["fournisseur"])
        _coherence(donnees)
        for champ in CHAMPS:
            if champ in donnees:
                setattr(facture, champ, donnees[champ])
        totaux = calculer(lignes, facture.devise, facture.remise_globale)
        facture.total_ht, facture.total_tva = totaux.total_ht, totaux.total_tva
        facture.total_ttc, facture.net_a_payer = totaux.total_ttc, totaux.net_a_payer
        facture.remise_globale = totaux.remise_globale
        facture.save()
        facture.lignes.all().delete()
        LigneFacture.objects.bulk_create(
            LigneFacture(
                facture=facture,
                numero=rang,
                reference=ligne.get("reference") or "",
                designation=ligne.get("designation") or "",
                quantite=calculee.quantite,
                unite=ligne.get("unite") or "",
                prix_unitaire_ht=calculee.prix_unitaire_ht,
                remise=calculee.remise,
                taux_tva=calculee.taux_tva,
                montant_ht=calculee.montant_ht,
            )
            for rang, (ligne, calculee) in enumerate(zip(lignes, totaux.lignes, strict=True), start=1)
        )
        for fichier in pieces_jointes:
            try:
                piece_jointe_facture_ajouter(facture=facture, par=par, fichier=fichier)
            except ApplicationError as erreur:
                # several files may be sent at once: say which one is refused
                raise ApplicationError(f"« {fichier.name} » : {erreur.message}", champ=erreur.champ) from erreur
    return facture


def brouillon_supprimer(*, par, facture):
    """Delete a draft with its lines and attachments (their files too, once the transaction is committed)."""
    with transaction.atomic():
        facture = Facture.objects.select_for_update().get(pk=facture.pk)
        if facture.statut != StatutFacture.BROUILLON:
            raise ApplicationError("Seul un brouillon peut être supprimé.")
        _autoriser(par, facture.fournisseur)
        fichiers = [piece.fichier for piece in facture.pieces_jointes.all()]
        fichiers += [f for f in (facture.fichier_pdf, facture.fichier_xml) if f]
        facture.delete()
        noms = [(f.storage, f.name) for f in fichiers]
        transaction.on_commit(lambda: [stockage.delete(nom) for stockage, nom in noms])
