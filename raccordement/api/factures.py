"""`factures/v1/…` (chorus-pro-api.md §2.1): search, consult, history and processing of invoices, through the
portal's selectors and services as the account's technical user — the supplier's side sees what « Factures
émises » shows, the recipient's side what « Factures reçues » shows."""

from datetime import date
from decimal import Decimal

from django.db.models import Prefetch
from django.http import Http404

from facturation.certificat import fichier_depose
from facturation.models import FactureAction, FactureHistorique
from facturation.selectors import emises, recues
from facturation.selectors.consultables import factures_consultables
from facturation.selectors.consultation import ventilation_tva
from facturation.services.traitement import facture_traiter
from organisation.enums import Niveau
from organisation.habilitations import objet_visible_ou_404
from organisation.models import Utilisateur
from raccordement.api import enveloppe
from raccordement.api.pagination import paginer
from raccordement.api.schema import PARAMETRES_RETOUR, liste, objet, pagination
from raccordement.api.valeurs import (
    CADRE_API,
    cadre_demande,
    date_api,
    identifiant_demande,
    montant_api,
    statuts_demandes,
)
from raccordement.api.vues import ErreurDonnees, ServiceCpro, ServiceLecture, champ, est_identifiant
from raccordement.models import FluxFacture
from travaux.regles import CADRES_TRAVAUX

TRIS = {
    "NumeroFacture": ("numero",),
    "DateDepot": ("deposee_le",),
    "DateFacture": ("date_facture",),
    "MontantTtc": ("total_ttc",),
    "Statut": ("statut",),
    "DateHeureEtatCourant": ("statut_depuis",),
}


def _periodes(corps, qs, bornes):
    for cle, filtre in bornes.items():
        if (valeur := champ(corps, cle, type_=str)) is not None:
            try:
                jour = date.fromisoformat(valeur[:10])
            except ValueError:
                raise ErreurDonnees(f"{cle} : date AAAA-MM-JJ attendue, pas « {valeur} ».", champ=cle) from None
            qs = qs.filter(**{filtre: jour})
    return qs


PERIODES = {
    "periodeDateDepotDu": "deposee_le__depuis_le",
    "periodeDateDepotAu": "deposee_le__jusqu_au",
    "periodeDateFactureDu": "date_facture__gte",
    "periodeDateFactureAu": "date_facture__lte",
    "periodeDateHeureEtatCourantDu": "statut_depuis__depuis_le",
    "periodeDateHeureEtatCourantAu": "statut_depuis__jusqu_au",
}


CRITERES = {
    "numeroFacture": {"type": "string"},
    "statutCourant": {"type": "array", "items": {"type": "string"}},
    "typeFacture": {"type": "string", "enum": ["FACTURE", "AVOIR"]},
    "cadreFacturation": {"type": "string"},
    "modeDepot": {"type": "string"},
    "montantTtcMin": {"type": "number"},
    "montantTtcMax": {"type": "number"},
    **{cle: {"type": "string", "format": "date"} for cle in PERIODES},
}
FACTURE_LISTEE = {
    "numeroFacture": {"type": "string"},
    "statut": {"type": "string"},
    # a timestamp in every search (deposerFluxFacture's dateDepot is a date: the day of the flux)
    "dateDepot": {"type": "string", "format": "date-time", "nullable": True},
    "montantTTC": {"type": "number"},
    "devise": {"type": "string"},
}
ID_FACTURE = objet({"identifiantFactureCPP": {"type": "integer"}, "idFacture": {"type": "integer"}})
FACTURE_COMPLETE = {
    "identifiantFactureCPP": {"type": "integer"},
    "numeroFacture": {"type": "string"},
    "statutCourant": {"type": "string"},
    "lignePoste": {"type": "array"},
    "ligneTva": {"type": "array"},
    "montantTotal": objet(),
}


def _filtres_communs(corps, qs):
    if numero := champ(corps, "numeroFacture", type_=str):
        # The whole number, exactly: a client looks up the invoice it deposited and takes what comes back, where a
        # prefix would also hand it F-10 and F-100 for F-1. The portal's lists search the number's beginning
        # (FactureQuerySet.numero_commence_par); both are read on an index led by the party (issue #16).
        qs = qs.filter(numero=numero)
    if statuts := statuts_demandes(corps):
        qs = qs.filter(statut__in=statuts)
    if type_facture := champ(corps, "typeFacture", type_=str):
        qs = qs.filter(type_facture=type_facture)
    if cadre := cadre_demande(corps):
        qs = qs.filter(cadre=cadre)
    if mode := champ(corps, "modeDepot", type_=str):
        qs = qs.filter(mode_depot=mode)
    for cle, filtre in (("montantTtcMin", "total_ttc__gte"), ("montantTtcMax", "total_ttc__lte")):
        if (valeur := corps.get(cle)) not in (None, ""):
            try:
                qs = qs.filter(**{filtre: Decimal(str(valeur))})
            except ArithmeticError:
                raise ErreurDonnees(f"{cle} : un montant est attendu.", champ=cle) from None
    return _periodes(corps, qs, PERIODES)


def sans_critere(corps, requete, cle_pagination):
    """Does the request ask for every row, no criterion of its schema (`requete`) set beyond the pagination? Its
    `total` is then read from the invoices' counters instead of counted."""
    return all(corps.get(cle) in (None, "", [], {}) for cle in requete["properties"] if cle != cle_pagination) and all(
        cle in requete["properties"] for cle in corps
    )


def _entiers(valeurs):
    """The identifiers of a list that can be identifiers (64-bit integers): others match nothing."""
    return [v for v in valeurs if est_identifiant(v)]


def _resultat(cle, lignes, parametres, en_ligne):
    reponse = {cle: [en_ligne(f) for f in lignes], "parametresRetour": parametres}
    if not lignes:
        reponse.update(codeRetour=enveloppe.AUCUN_RESULTAT, libelle=enveloppe.LIBELLE_AUCUN_RESULTAT)
    return reponse


def type_demande_paiement(facture):
    return "FACTURE_TRAVAUX" if facture.cadre in CADRES_TRAVAUX else "FACTURE"


def taille_fichier(facture):
    """taille: the size in bytes of the deposited file (the PDF, or else the XML); None when there is none."""
    fichier = fichier_depose(facture)
    if not fichier:
        return None
    try:
        return fichier.size
    except OSError:
        return None


def nom_createur(facture, flux_facture=None):
    """Who created the invoice: its author on the portal, else who deposited its flux (a person on the portal,
    a technical account over the API or EDI)."""
    if facture.cree_par_id:
        return facture.cree_par.nom_complet
    flux = flux_facture.flux if flux_facture is not None else None
    if flux is None:
        return ""
    if flux.depose_par_id:
        return flux.depose_par.nom_complet
    if flux.compte_technique_id:
        return f"Compte technique {flux.compte_technique.login}"
    return ""


# The columns the search rows below read, and no others. select_related of every party made a row of about 300
# columns (an invoice has ~80, a structure ~40), and Django's compiler pays for each selected column on every call
# (the sort alone hashes each one): a third of a search's time at demo size went there (bench/api.py). A column left
# out would be read row by row: tests/raccordement/test_api_factures.py counts the queries with every party filled.
COLONNES_PARTIE = ("identifiant", "type_identifiant", "raison_sociale", "prenom", "nom")
COLONNES_LIGNE = (
    "numero",
    "cadre",
    "statut",
    "type_facture",
    "deposee_le",
    "date_facture",
    "statut_depuis",
    "commentaire_statut",
    "total_ht",
    "total_ttc",
    "net_a_payer",
    "devise",
    "telechargee",
    *(f"fournisseur__{c}" for c in COLONNES_PARTIE),
    "destinataire__identifiant",
    "destinataire__raison_sociale",
    "service_destinataire__code",
)
COLONNES_FOURNISSEUR = (
    *COLONNES_LIGNE,
    "mode_depot",
    "date_validation_1",
    "date_validation_2",
    "rejet_traite_le",
    "fichier_pdf",
    "fichier_xml",
    "valideur_1__identifiant",
    "valideur_2__identifiant",
    "cree_par",
)
LIENS_FOURNISSEUR = ("fournisseur", "destinataire", "service_destinataire", "valideur_1", "valideur_2")


def _auteurs():
    """Who created each row, read by two small queries on the page's ids rather than five more joins: with twelve
    relations in one query PostgreSQL spent 50–130 ms planning it (EXPLAIN: Planning Time 130 ms for 0.2 ms of
    execution at 1 M invoices), whatever the page. Even the one join of the portal author costs more than its
    query: at 200 000 invoices the page's query takes 6 ms to plan with it (7 relations), 2 ms without (6)."""
    flux = FluxFacture.objects.select_related("flux__depose_par", "flux__compte_technique").only(
        "facture_id",
        "flux__numero",
        "flux__depose_par__prenom",
        "flux__depose_par__nom",
        "flux__compte_technique__login",
    )
    return (
        Prefetch("cree_par", queryset=Utilisateur.objects.only("prenom", "nom")),
        Prefetch("flux_facture", queryset=flux),
    )


LIENS_RECIPIENDAIRE = ("fournisseur", "destinataire", "service_destinataire")


def _ligne_fournisseur(f):
    flux = getattr(f, "flux_facture", None)
    return {
        "identifiantFactureCPP": f.pk,
        "typeDemandePaiement": type_demande_paiement(f),
        "numeroFacture": f.numero,
        "statut": f.statut,
        "codeFournisseur": f.fournisseur.identifiant,
        "typeIdentifiantFournisseur": f.fournisseur.type_identifiant,
        "designationFournisseur": f.fournisseur.designation,
        "idDestinataire": f.destinataire_id,
        "dateDepot": date_api(f.deposee_le),
        "dateFacture": date_api(f.date_facture),
        "dateHeureEtatCourant": date_api(f.statut_depuis),
        "commentaireEtatCourant": f.commentaire_statut or "",
        "codeDestinataire": f.destinataire.identifiant,
        "designationDestinataire": f.destinataire.raison_sociale,
        "codeServiceExecutant": f.service_destinataire.code if f.service_destinataire else "",
        "montantHT": montant_api(f.total_ht, f.devise),
        "montantTTC": montant_api(f.total_ttc, f.devise),
        "montantAPayer": montant_api(f.net_a_payer, f.devise),
        "devise": f.devise,
        "typeFacture": f.type_facture,
        "cadreFacturation": CADRE_API.get(f.cadre, f.cadre),
        "modeDepot": f.mode_depot,
        "numeroFluxDepot": flux.flux.numero if flux is not None else "",
        "codeValideur1": f.valideur_1.identifiant if f.valideur_1_id else "",
        "dateValidation1": date_api(f.date_validation_1),
        "codeValideur2": f.valideur_2.identifiant if f.valideur_2_id else "",
        "dateValidation2": date_api(f.date_validation_2),
        "rejetTraite": f.rejet_traite_le is not None,
        "nomPrenomUtilisateurCreateur": nom_createur(f, flux),
        "taille": taille_fichier(f),
    }


class RechercherFactureParFournisseur(ServiceCpro):
    """Les factures émises par les structures du compte technique."""

    lecture_seule = True

    requete = objet(
        {
            **CRITERES,
            "numeroFluxDepot": {"type": "string"},
            "listeDestinataire": {"type": "array", "items": objet({"idDestinataire": {"type": "integer"}})},
            "rejetTraite": {"type": "boolean"},
            **pagination("rechercheFactureParFournisseur"),
        }
    )
    reponse = {
        "listeFactures": liste(
            {
                **FACTURE_LISTEE,
                "identifiantFactureCPP": {"type": "integer"},
                "typeDemandePaiement": {"type": "string", "enum": ["FACTURE", "FACTURE_TRAVAUX"]},
                "codeFournisseur": {"type": "string"},
                "typeIdentifiantFournisseur": {"type": "string"},
                "designationFournisseur": {"type": "string"},
                "idDestinataire": {"type": "integer"},
                "nomPrenomUtilisateurCreateur": {"type": "string"},
                "taille": {"type": "integer", "nullable": True, "description": "Taille du fichier déposé (octets)."},
            }
        ),
        **PARAMETRES_RETOUR,
    }

    def traiter(self, request, corps):
        qs = emises.rechercher(request.user).select_related(None).select_related(*LIENS_FOURNISSEUR)
        qs = qs.only(*COLONNES_FOURNISSEUR).prefetch_related(*_auteurs())
        qs = _filtres_communs(corps, qs)
        if numero_flux := champ(corps, "numeroFluxDepot", type_=str):
            qs = qs.filter(flux_facture__flux__numero=numero_flux)
        if destinataires := corps.get("listeDestinataire"):
            if not isinstance(destinataires, list):
                raise ErreurDonnees("listeDestinataire : une liste est attendue.", champ="listeDestinataire")
            ids = [d.get("idDestinataire") for d in destinataires if isinstance(d, dict)]
            qs = qs.filter(destinataire_id__in=_entiers(ids))
        if (rejet_traite := corps.get("rejetTraite")) is not None:
            qs = qs.filter(rejet_traite_le__isnull=not rejet_traite)
        cle = "rechercheFactureParFournisseur"
        total = (lambda: emises.nombre(request.user)) if sans_critere(corps, self.requete, cle) else None
        lignes, parametres = paginer(corps, cle, qs, TRIS, "DateDepot", total=total)
        return _resultat("listeFactures", lignes, parametres, _ligne_fournisseur)


def _ligne_recipiendaire(f):
    return {
        "idFacture": f.pk,
        "numeroFacture": f.numero,
        "codeFournisseur": f.fournisseur.identifiant,
        "designationFournisseur": f.fournisseur.raison_sociale,
        "codeDestinataire": f.destinataire.identifiant,
        "codeServiceExecutant": f.service_destinataire.code if f.service_destinataire else "",
        "dateDepot": date_api(f.deposee_le),
        "dateFacture": date_api(f.date_facture),
        "dateHeureEtatCourant": date_api(f.statut_depuis),
        "statut": f.statut,
        "montantHT": montant_api(f.total_ht, f.devise),
        "montantTTC": montant_api(f.total_ttc, f.devise),
        "montantAPayer": montant_api(f.net_a_payer, f.devise),
        "devise": f.devise,
        "cadreFacturation": CADRE_API.get(f.cadre, f.cadre),
        "factureTelechargeeParDestinataire": f.telechargee,
    }


class RechercherFactureParRecipiendaire(ServiceCpro):
    """Les factures reçues par les structures du compte technique."""

    lecture_seule = True

    requete = objet(
        {
            **CRITERES,
            "idDestinataire": {"type": "integer"},
            "idServiceExecutant": {"type": "integer"},
            "factureTelechargeeParDestinataire": {"type": "boolean"},
            "listeFournisseurs": {"type": "array", "items": objet({"idFournisseur": {"type": "integer"}})},
            **pagination("paramRecherche"),
        }
    )
    reponse = {"listeFactures": liste({**FACTURE_LISTEE, "idFacture": {"type": "integer"}}), **PARAMETRES_RETOUR}

    def traiter(self, request, corps):
        qs = recues.rechercher(request.user).select_related(None).select_related(*LIENS_RECIPIENDAIRE)
        qs = _filtres_communs(corps, qs.only(*COLONNES_LIGNE))
        if (destinataire := champ(corps, "idDestinataire", type_=int)) is not None:
            qs = qs.filter(destinataire_id=destinataire)
        if (service := champ(corps, "idServiceExecutant", type_=int)) is not None:
            qs = qs.filter(service_destinataire_id=service)
        if (telechargee := corps.get("factureTelechargeeParDestinataire")) is not None:
            qs = qs.filter(telechargee=bool(telechargee))
        if fournisseurs := corps.get("listeFournisseurs"):
            ids = [d.get("idFournisseur") for d in fournisseurs if isinstance(d, dict)]
            qs = qs.filter(fournisseur_id__in=_entiers(ids))
        total = (lambda: recues.nombre(request.user)) if sans_critere(corps, self.requete, "paramRecherche") else None
        lignes, parametres = paginer(corps, "paramRecherche", qs, TRIS, "DateDepot", total=total)
        return _resultat("listeFactures", lignes, parametres, _ligne_recipiendaire)


def _partie(structure, service=None):
    if structure is None:
        return None
    return {
        "idStructure": structure.pk,
        "identifiant": structure.identifiant,
        "typeIdentifiant": structure.type_identifiant,
        "raisonSociale": structure.raison_sociale,
        "codeService": service.code if service else "",
    }


def facture_complete(f):
    """The blocks of consulterFacture (chorus-pro-api.md §2.1)."""
    devise = f.devise
    return {
        "identifiantFactureCPP": f.pk,
        "numeroFacture": f.numero,
        "statutCourant": f.statut,
        "cadreDeFacturation": {
            "codeCadreFacturation": CADRE_API.get(f.cadre, f.cadre),
            "valideur1": _partie(f.valideur_1, f.service_valideur_1),
            "dateValidation1": date_api(f.date_validation_1),
            "valideur2": _partie(f.valideur_2, f.service_valideur_2),
            "dateValidation2": date_api(f.date_validation_2),
        },
        "fournisseur": _partie(f.fournisseur, f.service_fournisseur),
        "destinataire": _partie(f.destinataire, f.service_destinataire),
        "references": {
            "codeDeviseFacture": devise,
            "dateDepot": date_api(f.deposee_le),
            "dateFacture": date_api(f.date_facture),
            "modePaiement": f.mode_paiement,
            "motifExonerationTva": f.motif_exoneration,
            "numeroBonCommande": f.numero_engagement,
            "numeroDpMandat": f.numero_mandat,
            "numeroFactureOrigine": f.numero_facture_origine,
            "numeroMarche": f.numero_marche,
            "typeFacture": f.type_facture,
            "typeTva": f.type_tva,
            "modeDepot": f.mode_depot,
        },
        "lignePoste": [
            {
                "lignePosteNumero": ligne.numero,
                "lignePosteReference": ligne.reference,
                "lignePosteDenomination": ligne.designation,
                "lignePosteQuantite": float(ligne.quantite),
                "lignePosteUnite": ligne.unite,
                "lignePosteMontantUnitaireHT": float(ligne.prix_unitaire_ht),
                "lignePosteMontantRemiseHT": float(ligne.remise),
                "lignePosteTauxTva": float(ligne.taux_tva),
                "lignePosteMontantHT": montant_api(ligne.montant_ht, devise),
            }
            for ligne in f.lignes.all()
        ],
        "ligneTva": [
            {
                "ligneTvaTaux": float(v.taux or 0),
                "ligneTvaMontantBaseHtParTaux": montant_api(v.base_ht, devise),
                "ligneTvaMontantTvaParTaux": montant_api(v.montant_tva, devise),
            }
            for v in ventilation_tva(f)
        ],
        "montantTotal": {
            "montantHtTotal": montant_api(f.total_ht, devise),
            "montantTVA": montant_api(f.total_tva, devise),
            "montantTtcTotal": montant_api(f.total_ttc, devise),
            "montantRemiseGlobaleTTC": montant_api(f.remise_globale, devise),
            "motifRemiseGlobaleTTC": f.motif_remise_globale,
            "montantAPayer": montant_api(f.net_a_payer, devise),
        },
        "listePiecesJointes": [{"pieceJointeId": pj.pk, "pieceJointeNom": pj.nom} for pj in f.pieces_jointes.all()],
    }


# What `facture_complete` shows, and no more: the portal's consult page (consultation.facture_detail_ou_404) also reads
# the history, the actions, the bank details, the delegation and the author, and every column of eleven rows (two
# queries and about 400 columns the ORM builds on every call, that this answer never shows).
PARTIES_CONSULTEES = (
    ("fournisseur", "service_fournisseur"),
    ("destinataire", "service_destinataire"),
    ("valideur_1", "service_valideur_1"),
    ("valideur_2", "service_valideur_2"),
)
COLONNES_CONSULTEES = (
    "numero",
    "statut",
    "cadre",
    "date_validation_1",
    "date_validation_2",
    "devise",
    "deposee_le",
    "date_facture",
    "mode_paiement",
    "motif_exoneration",
    "numero_engagement",
    "numero_mandat",
    "numero_facture_origine",
    "numero_marche",
    "type_facture",
    "type_tva",
    "mode_depot",
    "total_ht",
    "total_tva",
    "total_ttc",
    "remise_globale",
    "motif_remise_globale",
    "net_a_payer",
    # `_partie`: a structure's id, identifiant, its type and raison sociale; its service's code
    *(
        f"{structure}__{c}"
        for structure, _ in PARTIES_CONSULTEES
        for c in ("identifiant", "type_identifiant", "raison_sociale")
    ),
    *(f"{service}__code" for _, service in PARTIES_CONSULTEES),
)


def _a_consulter(qs, pk):
    """The invoice `pk` of `qs` (already scoped by the policy) with what consulterFacture answers, else 404."""
    qs = qs.select_related(*(lien for partie in PARTIES_CONSULTEES for lien in partie)).only(*COLONNES_CONSULTEES)
    return objet_visible_ou_404(qs.prefetch_related("lignes", "ventilations", "pieces_jointes"), pk=pk)


def _historique_a_consulter(qs, pk):
    """The invoice `pk` of `qs` with its status history (and who made each change) and its actions, else 404."""
    historique = FactureHistorique.objects.select_related("par").only(
        "facture_id", "vers_statut", "le", "motif", "commentaire", "par__nom", "par__prenom"
    )
    qs = qs.only("numero", "statut", "mode_depot").prefetch_related(
        Prefetch("historique", queryset=historique.order_by("le", "pk")),
        Prefetch("actions", queryset=FactureAction.objects.only("facture_id", "code", "le").order_by("le", "pk")),
    )
    return objet_visible_ou_404(qs, pk=pk)


class ConsulterFactureParFournisseur(ServiceLecture):
    """Une facture émise, complète : cadre, parties, références, lignes, TVA, montants, pièces jointes."""

    requete = ID_FACTURE
    reponse = FACTURE_COMPLETE

    def traiter(self, request, corps):
        pk = identifiant_demande(corps, "identifiantFactureCPP", "idFacture")
        return facture_complete(_a_consulter(emises.factures_emises(request.user), pk))


class ConsulterFactureParRecipiendaire(ServiceLecture):
    """Une facture reçue, complète."""

    requete = ID_FACTURE
    reponse = FACTURE_COMPLETE

    def traiter(self, request, corps):
        pk = identifiant_demande(corps, "identifiantFactureCPP", "idFacture")
        return facture_complete(_a_consulter(recues.factures_recues(request.user), pk))


class ConsulterHistoriqueFacture(ServiceLecture):
    """L'historique des statuts et des actions d'une facture émise ou reçue."""

    requete = ID_FACTURE
    reponse = {"statutCourantCode": {"type": "string"}, "historiquesDesStatuts": objet()}

    def traiter(self, request, corps):
        pk = identifiant_demande(corps, "idFacture", "identifiantFactureCPP")
        f = _historique_a_consulter(factures_consultables(request.user), pk)
        return {
            "idFacture": f.pk,
            "numeroFacture": f.numero,
            "statutCourantCode": f.statut,
            "modeDepot": f.mode_depot,
            "historiquesDesStatuts": {
                "histoStatut": [
                    {
                        "histoStatutCode": h.vers_statut,
                        "histoStatutDatePassage": date_api(h.le),
                        "histoStatutCommentaire": " — ".join(x for x in (h.motif, h.commentaire) if x),
                        "histoStatutUtilisateurNom": h.par.nom if h.par else "",
                        "histoStatutUtilisateurPrenom": h.par.prenom if h.par else "",
                    }
                    for h in f.historique.all()
                ]
            },
            "historiquesDesActionsUtilisateurs": {
                "histoAction": [
                    {"histoActionCode": a.code, "histoActionDate": date_api(a.le)} for a in f.actions.all()
                ]
            },
        }


class TraiterFactureRecue(ServiceCpro):
    """Le destinataire change le statut d'une facture reçue (motif obligatoire pour REJETEE et SUSPENDUE)."""

    requete = objet(
        {
            "idFacture": {"type": "integer"},
            "nouveauStatut": {"type": "string"},
            "motif": {"type": "string"},
            "commentaire": {"type": "string"},
            "numeroDPMandat": {"type": "string"},
        },
        ["idFacture", "nouveauStatut"],
    )
    reponse = {
        "idFacture": {"type": "integer"},
        "numeroFacture": {"type": "string"},
        "nouveauStatut": {"type": "string"},
        "dateTraitement": {"type": "string"},
    }

    def traiter(self, request, corps):
        pk = identifiant_demande(corps, "idFacture")
        nouveau = champ(corps, "nouveauStatut", type_=str, obligatoire=True)
        facture = recues.factures_recues(request.user, Niveau.MODIFICATION).filter(pk=pk).first()
        if facture is None:
            raise Http404("idFacture")
        historique = facture_traiter(
            facture=facture,
            par=request.user,
            statut_cible=nouveau,
            motif=champ(corps, "motif", type_=str, defaut=""),
            commentaire=champ(corps, "commentaire", type_=str, defaut=""),
            numero_mandat=champ(corps, "numeroDPMandat", type_=str, defaut=""),
        )
        return {
            "idFacture": facture.pk,
            "numeroFacture": facture.numero,
            "nouveauStatut": facture.statut,
            "dateTraitement": date_api(historique.le),
        }
