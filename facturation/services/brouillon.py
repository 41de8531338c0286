"""Drafts of the web entry (« Enregistrer »): saved as they are, checked for what the database needs only.

A draft may lack its number or repeat one (the unique constraint spares drafts); the deposit checks everything
(facturation.services.depot). The totals are kept up to date so the list of drafts shows them.
"""

from django.core.files import File
from django.db import transaction

from chorus.exceptions import ApplicationError
from facturation import acheminement, adresses, regles_depot
from facturation.calcul import calculer
from facturation.enums import FormatDepot, ModeDepot, StatutFacture, TypeTva
from facturation.formats.depuis_facture import facturx_de_facture
from facturation.models import Facture
from facturation.services.depot import DepotRefuse, facture_deposer, lignes_remplacer
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
    # the supplier's own service and bank account: the entry form's rule (facturation.regles_depot)
    for erreur in regles_depot.fournisseur_coherent(
        fournisseur=donnees["fournisseur"],
        service_fournisseur=donnees.get("service_fournisseur"),
        coordonnee_bancaire=donnees.get("coordonnee_bancaire"),
    ):
        raise ApplicationError(erreur.message, champ=erreur.champ)
    coordonnee = donnees.get("coordonnee_bancaire")
    if coordonnee is not None and not coordonnee.actif:
        raise ApplicationError("Le compte bancaire choisi n'est plus actif.", champ="coordonnee_bancaire")
    service = donnees.get("service_destinataire")
    if service is not None and service.structure_id != donnees["destinataire"].pk:
        raise ApplicationError("Le service destinataire n'appartient pas au destinataire.", champ="code_service")


def facture_enregistrer_brouillon(*, par, donnees, lignes, facture=None, pieces_jointes=(), pieces_structure=()):
    """Create or update a draft from `donnees` (the model's header fields) and `lignes` (dicts as for
    facture_deposer); `pieces_jointes`: uploaded files to attach; `pieces_structure`: documents of the supplier's
    structure (PieceJointeStructure) copied to the invoice. Returns the draft."""
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
        lignes_remplacer(facture, lignes, totaux)
        for fichier in pieces_jointes:
            try:
                piece_jointe_facture_ajouter(facture=facture, par=par, fichier=fichier)
            except ApplicationError as erreur:
                # several files may be sent at once: say which one is refused
                raise ApplicationError(f"« {fichier.name} » : {erreur.message}", champ=erreur.champ) from erreur
        _joindre_pieces_structure(facture, par, pieces_structure)
    return facture


def _joindre_pieces_structure(facture, par, pieces):
    deja = set(facture.pieces_jointes.values_list("nom", flat=True))
    for piece in pieces:
        if piece.structure_id != facture.fournisseur_id:
            raise ApplicationError(
                f"« {piece.nom} » est un document d'une autre structure que le fournisseur.", champ="pieces_structure"
            )
        if piece.nom in deja:
            continue  # chosen again when the draft is saved again
        with piece.fichier.open("rb") as contenu:
            piece_jointe_facture_ajouter(
                facture=facture, par=par, fichier=File(contenu, name=piece.nom), champ="pieces_structure"
            )


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


PDF_DU_FOURNISSEUR = (ModeDepot.DEPOT_PDF_PORTAIL, ModeDepot.DEPOT_PDF_SIGNE_PORTAIL)


def nom_de_fichier(numero, extension):
    """The invoice number may hold « / », which a file name may not."""
    sur = "".join(c if c.isalnum() or c in "-_+" else "_" for c in numero) or "facture"
    return f"{sur}.{extension}"


def brouillon_envoyer(*, facture, par, mode_depot=ModeDepot.SAISIE_PORTAIL):
    """« Valider et envoyer » a saved draft: the routing is checked first (no PDF is rendered for an invoice that
    would be refused), then the Factur-X is built from the saved invoice and deposited. Raises DepotRefuse.
    `mode_depot`: SAISIE_API when the entry came through the API (soumettreFacture), the same path otherwise."""
    brouillon = facture
    if brouillon.mode_depot in PDF_DU_FOURNISSEUR and brouillon.fichier_pdf:
        # the supplier's own PDF (upload page): it is the invoice, nothing is generated
        return facture_deposer(
            facture=brouillon, par=par, mode_depot=brouillon.mode_depot, format_depot=brouillon.format_depot
        )
    resultat = acheminement.controler(
        fournisseur=brouillon.fournisseur,
        numero=brouillon.numero,
        destinataire=brouillon.destinataire,
        service=brouillon.service_destinataire,
        numero_engagement=brouillon.numero_engagement,
        exclure=brouillon,
    )
    erreurs = resultat.erreurs + _exigences_facturx(brouillon) + _exigences_montants(brouillon)
    if erreurs:
        raise DepotRefuse(erreurs)
    # the addresses printed on the PDF are the ones the invoice keeps (facturation.adresses)
    adresses.figer(brouillon, remplacer=True)
    pdf, xml = facturx_de_facture(brouillon)
    return facture_deposer(
        facture=brouillon,
        par=par,
        mode_depot=mode_depot,
        format_depot=FormatDepot.FACTURX,
        pdf=pdf,
        nom_pdf=nom_de_fichier(brouillon.numero, "pdf"),
        xml=xml,
        nom_xml=nom_de_fichier(brouillon.numero, "xml"),
    )


def _exigences_facturx(brouillon):
    """What the generated Factur-X needs from the supplier's record: the seller's VAT number on an invoice with VAT
    (EN 16931 BR-S-02), exempt from it (BR-E-02) or at the zero rate (BR-Z-02); the form cannot fix it, the structure's
    page can."""
    fournisseur = brouillon.fournisseur
    if fournisseur.numero_tva:
        return []
    if brouillon.lignes.filter(taux_tva__gt=0).exists():
        quelle, regle = "soumise à la TVA", "BR-S-02"
    elif not brouillon.lignes.exists():
        return []
    elif brouillon.type_tva == TypeTva.EXONERATION:
        quelle, regle = "exonérée de TVA", "BR-E-02"
    else:
        quelle, regle = "au taux de TVA de 0 %", "BR-Z-02"
    return [
        acheminement.ErreurAcheminement(
            "fournisseur",
            f"Structure du fournisseur : {fournisseur.designation} n'a pas de numéro de TVA intracommunautaire ; il "
            f"doit figurer sur une facture {quelle} (règle EN 16931 {regle}). Renseignez-le dans la fiche de la "
            "structure (Organisation), puis validez à nouveau.",
        )
    ]


def _exigences_montants(brouillon):
    """A global discount larger than the invoice cannot be spread over its VAT bases: said before any PDF is made."""
    totaux = calculer(brouillon.lignes.all(), brouillon.devise, brouillon.remise_globale)
    return regles_depot.montants(totaux, brouillon.devise)
