"""A web-entered invoice (Facture and its lines, from the database) as the neutral EN 16931 model, then as Factur-X.

The amounts are the ones facturation.calcul computes, rounded to the currency, so the PDF, the CII and the portal
agree to the cent (to the unit in XPF): the VAT breakdown and the document-level allowances (the global discount
spread over the rates) come from calculer() itself.
"""

from decimal import Decimal

from facturation.adresses import adresse
from facturation.calcul import calculer
from facturation.delai_paiement import echeance_annoncee, mentions_paiement
from facturation.enums import ModePaiement, TypeFacture, TypeTva, arrondir
from facturation.formats.ecriture_cii import ecrire_cii
from facturation.formats.facturx import generer_facturx
from facturation.formats.modele import (
    FactureNeutre,
    LigneNeutre,
    Paiement,
    Partie,
    RemiseDocument,
    Totaux,
    VentilationTva,
)
from facturation.unites import unites
from organisation.enums import TypeIdentifiant

TYPE_FACTURE = "380"  # UNTDID 1001: commercial invoice
TYPE_AVOIR = "381"  # credit note
# UNTDID 4461 (BT-81). A credit transfer (30) needs the account (BR-61): without one, no BG-16 is written.
CODES_PAIEMENT = {
    ModePaiement.CHEQUE: "20",
    ModePaiement.PRELEVEMENT: "49",
    ModePaiement.VIREMENT: "30",
    ModePaiement.ESPECE: "10",
    ModePaiement.AUTRE: "ZZZ",
    ModePaiement.REPORT: "97",
}
CODE_VIREMENT_SEPA = "58"
REMISE_MOTIF_DEFAUT = "Remise globale"
# Countries of the SEPA scheme (EPC list): a transfer to an IBAN of these is a SEPA credit transfer.
_SEPA = "AD AT BE BG CH CY CZ DE DK EE ES FI FR GB GG GI GR HR HU IE IM IS IT JE LI LT LU LV MC MT NL NO PL PT RO SE"
_SEPA += " SI SK SM VA"
PAYS_SEPA = frozenset(_SEPA.split())


def _partie(facture, role):
    structure = getattr(facture, role)
    postale = adresse(facture, role)
    return Partie(
        nom=structure.raison_sociale or structure.designation,
        siret=structure.identifiant if structure.type_identifiant == TypeIdentifiant.SIRET else None,
        tva=structure.numero_tva or None,
        pays=postale.pays,
        adresse=postale.adresse or None,
        complement_1=postale.complement_1 or None,
        complement_2=postale.complement_2 or None,
        code_postal=postale.code_postal or None,
        ville=postale.ville or None,
    )


def categorie_tva(facture, taux):
    # UNTDID 5305: E exempt (with its motif, BR-E-10), Z zero rate, S standard. An exempt invoice may still carry
    # taxed lines: only its lines at 0 % are exempt (BR-E-05: an exempt line has a rate of 0).
    if taux != 0:
        return "S"
    return "E" if facture.type_tva == TypeTva.EXONERATION else "Z"


def _sans_zeros(valeur):
    valeur = Decimal(valeur).normalize()
    return valeur.quantize(Decimal(1)) if valeur == valeur.to_integral_value() else valeur


def _virement(facture):
    return facture.mode_paiement == ModePaiement.VIREMENT and facture.coordonnee_bancaire_id is not None


def _paiement(facture):
    """BG-16, and BG-17 (IBAN, BIC) for a transfer to the chosen account; SEPA countries get code 58."""
    if not facture.mode_paiement or (facture.mode_paiement == ModePaiement.VIREMENT and not _virement(facture)):
        return None
    if not _virement(facture):
        return Paiement(code=CODES_PAIEMENT[facture.mode_paiement])
    cb = facture.coordonnee_bancaire
    iban = cb.iban.replace(" ", "").upper()
    return Paiement(
        code=CODE_VIREMENT_SEPA if iban[:2] in PAYS_SEPA else CODES_PAIEMENT[ModePaiement.VIREMENT],
        iban=iban,
        titulaire=cb.titulaire or None,
        bic=cb.bic.strip().upper() or None,
    )


def _note(facture):
    morceaux = [facture.commentaire.strip()] if facture.commentaire.strip() else []
    if facture.coordonnee_bancaire_id:
        cb = facture.coordonnee_bancaire
        if cb.affactureur:
            morceaux.append(f"Paiement à l'affactureur {cb.titulaire}.")
        if not _virement(facture):
            # BG-17 only goes with a transfer: the account chosen for another means stays readable in the note
            morceaux.append(f"Compte bancaire {cb.titulaire} : IBAN {cb.iban_lisible} {cb.bic}".strip())
    return "\n".join(morceaux) or None


def conditions_paiement(facture):
    """BT-20: the payment term, the late-payment penalties and indemnity (facturation.delai_paiement), and the means
    of payment when there is one; one sentence a line."""
    phrases = mentions_paiement(facture)
    if facture.mode_paiement:
        phrases.append(f"Mode de paiement : {facture.get_mode_paiement_display().lower()}.")
    return "\n".join(phrases) or None


def facture_neutre(facture) -> FactureNeutre:
    """`facture` with its lines saved (a draft about to be deposited, or a deposited invoice)."""
    devise = facture.devise
    lignes_facture = list(facture.lignes.all())
    lignes = tuple(
        LigneNeutre(
            id=str(ligne.numero),
            designation=ligne.designation,
            reference_vendeur=ligne.reference or None,
            quantite=_sans_zeros(ligne.quantite),
            unite=ligne.unite if ligne.unite in unites() else "C62",
            prix_unitaire_ht=_sans_zeros(
                # BT-146 is the net price: the line's discount spread over the quantity keeps BT-131 = qty × price
                (ligne.montant_ht / ligne.quantite).quantize(Decimal("0.000001"))
                if ligne.remise and ligne.quantite
                else ligne.prix_unitaire_ht
            ),
            montant_ht=arrondir(ligne.montant_ht, devise),
            taux_tva=_sans_zeros(ligne.taux_tva),
            categorie_tva=categorie_tva(facture, ligne.taux_tva),
        )
        for ligne in lignes_facture
    )
    calcul = calculer(lignes_facture, devise, facture.remise_globale, facture.montant_paye_avance)
    motif = (facture.motif_exoneration or "").strip() or None
    ventilation = tuple(
        VentilationTva(
            categorie=categorie_tva(facture, v.taux),
            taux=_sans_zeros(v.taux),
            base=v.base_ht,
            montant=v.montant_tva,
            motif_exoneration=motif if categorie_tva(facture, v.taux) == "E" else None,
        )
        for v in reversed(calcul.ventilation)
    )
    remises = tuple(
        RemiseDocument(
            montant=v.remise_ht,
            categorie_tva=categorie_tva(facture, v.taux),
            taux_tva=_sans_zeros(v.taux),
            motif=(facture.motif_remise_globale or "").strip() or REMISE_MOTIF_DEFAUT,
        )
        for v in reversed(calcul.ventilation)
        if v.remise_ht
    )
    return FactureNeutre(
        numero=facture.numero,
        date=facture.date_facture,
        type_code=TYPE_AVOIR if facture.type_facture == TypeFacture.AVOIR else TYPE_FACTURE,
        devise=devise,
        cadre=facture.cadre,
        reference_acheteur=facture.service_destinataire.code if facture.service_destinataire_id else None,
        engagement=facture.numero_engagement or None,
        marche=facture.numero_marche or None,
        vendeur=_partie(facture, "fournisseur"),
        acheteur=_partie(facture, "destinataire"),
        lignes=lignes,
        ventilation_tva=ventilation,
        remises=remises,
        totaux=Totaux(
            total_ht=calcul.total_ht,
            total_tva=calcul.total_tva,
            total_ttc=calcul.total_ttc,
            net_a_payer=calcul.net_a_payer,
            total_lignes_ht=calcul.total_lignes_ht,
            total_remises=calcul.total_remises_ht if remises else None,
            paye_avance=calcul.montant_paye_avance or None,
        ),
        note=_note(facture),
        facture_origine=facture.numero_facture_origine or None,
        conditions_paiement=conditions_paiement(facture),
        echeance=echeance_annoncee(facture),
        paiement=_paiement(facture),
    )


def facturx_de_facture(facture) -> tuple[bytes, bytes]:
    """(the Factur-X PDF/A-3b, the CII EN 16931 it embeds) of `facture`."""
    neutre = facture_neutre(facture)
    return generer_facturx(neutre, neutre.conditions_paiement), ecrire_cii(neutre, neutre.conditions_paiement)
