"""A web-entered invoice (Facture and its lines, from the database) as the neutral EN 16931 model, then as Factur-X.

The amounts are the ones facturation.calcul stored, rounded to the currency, so the PDF, the CII and the portal
agree to the cent (to the unit in XPF).
"""

from decimal import Decimal

from facturation.enums import TypeFacture, TypeTva, arrondir
from facturation.formats.ecriture_cii import ecrire_cii
from facturation.formats.facturx import generer_facturx
from facturation.formats.modele import FactureNeutre, LigneNeutre, Partie, Totaux, VentilationTva
from organisation.enums import TypeIdentifiant

TYPE_FACTURE = "380"  # UNTDID 1001: commercial invoice
TYPE_AVOIR = "381"  # credit note
UNITES_CII = {"C62", "H87", "LS", "HUR", "DAY", "MON", "ANN", "KGM", "TNE", "MTR", "MTK", "MTQ", "LTR", "KWH"}


def _partie(structure):
    return Partie(
        nom=structure.raison_sociale or structure.designation,
        siret=structure.identifiant if structure.type_identifiant == TypeIdentifiant.SIRET else None,
        tva=structure.numero_tva or None,
        pays=structure.pays or "FR",
    )


def _categorie(facture, taux):
    # UNTDID 5305: E exempt (with its motif), Z zero rate, S standard
    if facture.type_tva == TypeTva.EXONERATION:
        return "E"
    return "Z" if taux == 0 else "S"


def _sans_zeros(valeur):
    valeur = Decimal(valeur).normalize()
    return valeur.quantize(Decimal(1)) if valeur == valeur.to_integral_value() else valeur


def _note(facture):
    morceaux = [facture.commentaire.strip()] if facture.commentaire.strip() else []
    if facture.type_tva == TypeTva.EXONERATION and facture.motif_exoneration:
        morceaux.append(f"Exonération de TVA : {facture.motif_exoneration}")
    if facture.remise_globale:
        motif = f" ({facture.motif_remise_globale})" if facture.motif_remise_globale else ""
        morceaux.append(f"Remise globale TTC : {facture.remise_globale.normalize():f} {facture.devise}{motif}")
    if facture.coordonnee_bancaire_id:
        cb = facture.coordonnee_bancaire
        affactureur = " (affactureur)" if cb.affactureur else ""
        morceaux.append(
            f"Paiement sur le compte {cb.titulaire}{affactureur} : IBAN {cb.iban_lisible} {cb.bic}".strip()
        )
    return "\n".join(morceaux) or None


def facture_neutre(facture) -> FactureNeutre:
    """`facture` with its lines saved (a draft about to be deposited, or a deposited invoice)."""
    devise = facture.devise
    lignes = tuple(
        LigneNeutre(
            id=str(ligne.numero),
            designation=f"{ligne.reference} – {ligne.designation}" if ligne.reference else ligne.designation,
            quantite=_sans_zeros(ligne.quantite),
            unite=ligne.unite if ligne.unite in UNITES_CII else "C62",
            prix_unitaire_ht=_sans_zeros(
                # BT-146 is the net price: the line's discount spread over the quantity keeps BT-131 = qty × price
                (ligne.montant_ht / ligne.quantite).quantize(Decimal("0.000001"))
                if ligne.remise and ligne.quantite
                else ligne.prix_unitaire_ht
            ),
            montant_ht=arrondir(ligne.montant_ht, devise),
            taux_tva=_sans_zeros(ligne.taux_tva),
            categorie_tva=_categorie(facture, ligne.taux_tva),
        )
        for ligne in facture.lignes.all()
    )
    bases = {}
    for ligne in lignes:
        cle = (ligne.categorie_tva, ligne.taux_tva)
        bases[cle] = bases.get(cle, Decimal(0)) + ligne.montant_ht
    ventilation = tuple(
        VentilationTva(categorie=categorie, taux=taux, base=base, montant=arrondir(base * taux / 100, devise))
        for (categorie, taux), base in sorted(bases.items(), key=lambda item: item[0][1], reverse=True)
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
        vendeur=_partie(facture.fournisseur),
        acheteur=_partie(facture.destinataire),
        lignes=lignes,
        ventilation_tva=ventilation,
        totaux=Totaux(
            total_ht=arrondir(facture.total_ht, devise),
            total_tva=arrondir(facture.total_tva, devise),
            total_ttc=arrondir(facture.total_ttc, devise),
            net_a_payer=arrondir(facture.net_a_payer, devise),
        ),
        note=_note(facture),
        facture_origine=facture.numero_facture_origine or None,
    )


def facturx_de_facture(facture) -> tuple[bytes, bytes]:
    """(the Factur-X PDF/A-3b, the CII EN 16931 it embeds) of `facture`."""
    neutre = facture_neutre(facture)
    return generer_facturx(neutre), ecrire_cii(neutre)
