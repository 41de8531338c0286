"""The supplier's services of the API as the open-source clients call them (BIMP's ajouter/fichier then soumettre,
OCA's soumettre, Pastell's telecharger/groupe): exact JSON in, exact fields out, every refusal naming the field with
Chorus Pro's JSON path, and another structure's invoice answering exactly like a missing one."""

import base64
import hashlib
import io
import zipfile

import pytest
from django.core.files.base import ContentFile

from facturation.certificat import html_certificat
from facturation.models import Facture, FactureAction
from facturation.services import telechargement
from facturation.services.suivi import MESSAGE_TRAITER_REJET_NON_ELIGIBLE
from organisation.enums import StatutStructure
from organisation.models import PieceJointeStructure, Service, Structure
from tests.factories import facture_deposee
from tests.raccordement.test_api_socle import Integrateur, publique

pytestmark = pytest.mark.django_db


def _pdf(*lignes):
    """A small text PDF (as an invoicing tool prints one), with the given lines of text."""
    texte = "".join(f"BT /F1 11 Tf 40 {780 - 16 * i} Td ({ligne}) Tj ET\n" for i, ligne in enumerate(lignes))
    flux = texte.encode("latin-1")
    objets = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(flux) + flux + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    sortie = io.BytesIO()
    sortie.write(b"%PDF-1.4\n")
    positions = []
    for numero, corps in enumerate(objets, start=1):
        positions.append(sortie.tell())
        sortie.write(b"%d 0 obj\n" % numero + corps + b"\nendobj\n")
    xref = sortie.tell()
    sortie.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objets) + 1))
    for position in positions:
        sortie.write(b"%010d 00000 n \n" % position)
    sortie.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objets) + 1, xref))
    return sortie.getvalue()


def _b64(contenu):
    return base64.b64encode(contenu).decode()


@pytest.fixture
def monde(db):
    class Monde:
        fournisseur = Integrateur()
        commune = publique(raison_sociale="Commune de Valbourg")
        autre = Integrateur()

    Structure.objects.filter(pk__in=[Monde.fournisseur.structure.pk, Monde.autre.structure.pk]).update(
        statut=StatutStructure.ACTIVE, numero_tva="FR32123456789"
    )
    Monde.fournisseur.structure.refresh_from_db()
    Monde.service = Service.objects.create(structure=Monde.commune, code="SERV-FIN", libelle="Finances")
    return Monde


def _soumission(monde, **remplace):
    corps = {
        "idUtilisateurCourant": 0,
        "numeroFactureSaisi": "API-0001",
        "dateFacture": "2025-03-14",
        "modeDepot": "SAISIE_API",
        "commentaire": "Livraison de mars",
        "cadreDeFacturation": {"codeCadreFacturation": "A1_FACTURE_FOURNISSEUR"},
        "destinataire": {"codeDestinataire": monde.commune.identifiant, "codeServiceExecutant": "SERV-FIN"},
        "fournisseur": {"idFournisseur": monde.fournisseur.structure.pk},
        "references": {
            "deviseFacture": "EUR",
            "typeFacture": "FACTURE",
            "typeTva": "TVA_SUR_DEBIT",
            "modePaiement": "VIREMENT",
            "numeroBonCommande": "EJ-42",
        },
        "lignePoste": [
            {
                "lignePosteNumero": 1,
                "lignePosteReference": "REF-1",
                "lignePosteDenomination": "Ramettes de papier",
                "lignePosteQuantite": 10,
                "lignePosteUnite": "C62",
                "lignePosteMontantUnitaireHT": 25.5,
                "lignePosteTauxTva": 20,
            },
            {
                "lignePosteNumero": 2,
                "lignePosteDenomination": "Livraison",
                "lignePosteQuantite": 1,
                "lignePosteMontantUnitaireHT": 45,
                "lignePosteTauxTva": 5.5,
            },
        ],
        "ligneTva": [
            {"ligneTvaTaux": 20, "ligneTvaMontantBaseHtParTaux": 255.0, "ligneTvaMontantTvaParTaux": 51.0},
            {"ligneTvaTaux": 5.5, "ligneTvaMontantBaseHtParTaux": 45.0, "ligneTvaMontantTvaParTaux": 2.48},
        ],
        "montantTotal": {
            "montantHtTotal": 300.0,
            "montantTVA": 53.48,
            "montantTtcTotal": 353.48,
            "montantAPayer": 353.48,
        },
    }
    corps.update(remplace)
    return corps


def _ajouter(client, integrateur, nom="bon-de-livraison.pdf", contenu=b"%PDF-1.4 bon", **entetes):
    return integrateur.appeler(
        client,
        "transverses/v1/ajouter/fichier",
        {
            "idUtilisateurCourant": 0,
            "pieceJointeFichier": _b64(contenu),
            "pieceJointeNom": nom,
            "pieceJointeTypeMime": "application/pdf",
            "pieceJointeExtension": nom.rsplit(".", 1)[-1] if "." in nom else "pdf",
        },
        **entetes,
    )


# --- ajouter/fichier -----------------------------------------------------------------------------------------------


def test_ajouter_un_fichier_puis_ses_refus(client, monde):
    entetes = monde.fournisseur.entetes(client)
    reponse = _ajouter(client, monde.fournisseur, **entetes)
    corps = reponse.json()
    assert reponse.status_code == 200, corps
    assert (corps["codeRetour"], corps["libelle"]) == (0, "TRA_MSG_00.000")
    piece = PieceJointeStructure.objects.get(pk=corps["pieceJointeId"])
    assert (piece.structure, piece.nom, piece.taille) == (monde.fournisseur.structure, "bon-de-livraison.pdf", 12)

    trop_long = _ajouter(client, monde.fournisseur, nom="x" * 47 + ".pdf", **entetes)
    assert trop_long.status_code == 400 and trop_long.json()["champ"] == "pieceJointeNom"
    assert "51 caractères : 50 au plus" in trop_long.json()["libelle"]
    exe = _ajouter(client, monde.fournisseur, nom="virus.exe", **entetes)
    assert exe.status_code == 400 and exe.json()["champ"] == "pieceJointeNom"
    assert "« .exe » n'est pas accepté" in exe.json()["libelle"]
    vide = _ajouter(client, monde.fournisseur, contenu=b"", **entetes)
    assert vide.status_code == 400 and vide.json()["champ"] == "pieceJointeFichier"
    pas_b64 = monde.fournisseur.appeler(
        client,
        "transverses/v1/ajouter/fichier",
        {"pieceJointeFichier": "pas du base64 !", "pieceJointeNom": "a.pdf"},
        **entetes,
    )
    assert pas_b64.status_code == 400 and pas_b64.json()["champ"] == "pieceJointeFichier"
    assert PieceJointeStructure.objects.count() == 1


def test_un_fichier_de_10_mo_est_refuse(client, monde, settings):
    # Django's default body limit (2,5 Mo) is below what the API accepts: the project's settings must raise it
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
    reponse = _ajouter(client, monde.fournisseur, contenu=b"a" * (10 * 1024 * 1024))
    assert reponse.status_code == 400 and reponse.json()["champ"] == "pieceJointeFichier"
    assert "moins de 10 Mo" in reponse.json()["libelle"]


# --- soumettre -----------------------------------------------------------------------------------------------------


def test_soumettre_une_facture_saisie(client, monde):
    entetes = monde.fournisseur.entetes(client)
    piece = _ajouter(client, monde.fournisseur, **entetes).json()["pieceJointeId"]
    corps = _soumission(
        monde,
        pieceJointeComplementaire=[
            {"pieceJointeComplementaireId": piece, "pieceJointeComplementaireDesignation": "Bon de livraison"}
        ],
    )
    reponse = monde.fournisseur.appeler(client, "factures/v1/soumettre", corps, **entetes)
    resultat = reponse.json()
    assert reponse.status_code == 200, resultat
    facture = Facture.objects.get(pk=resultat["identifiantFactureCPP"])
    assert resultat == {
        "codeRetour": 0,
        "libelle": "TRA_MSG_00.000",
        "identifiantFactureCPP": facture.pk,
        "numeroFacture": "API-0001",
        "dateDepot": facture.deposee_le.date().isoformat(),
        "statutFacture": "MISE_A_DISPOSITION",
        "identifiantStructure": monde.fournisseur.structure.identifiant,
        "empreinteCertificatDepot": hashlib.sha256(facture.fichier_pdf.open("rb").read()).hexdigest(),
    }
    # the certificate of deposit shows the same fingerprint
    assert resultat["empreinteCertificatDepot"] in html_certificat(facture)
    assert (facture.mode_depot, facture.format_depot, facture.cadre) == ("SAISIE_API", "FACTURX", "A1")
    assert facture.service_destinataire == monde.service and facture.numero_engagement == "EJ-42"
    assert str(facture.total_ttc) == "353.480000"
    # the Factur-X of the web entry: a readable PDF with its XML
    assert facture.fichier_pdf.open("rb").read(5) == b"%PDF-" and facture.fichier_xml
    assert [p.nom for p in facture.pieces_jointes.all()] == ["bon-de-livraison.pdf"]
    # the supplier finds it as any other: consulterFactureParFournisseur
    consulte = monde.fournisseur.appeler(
        client, "factures/v1/consulter/fournisseur", {"identifiantFactureCPP": facture.pk}, **entetes
    ).json()
    assert consulte["references"]["modeDepot"] == "SAISIE_API"
    assert [ligne["lignePosteDenomination"] for ligne in consulte["lignePoste"]] == ["Ramettes de papier", "Livraison"]


def test_soumettre_une_facture_de_sous_traitant_et_une_facture_deja_payee(client, monde):
    """A9: the titulaire named as validator receives it first (A_VALIDER_1); without one, the field is named. A2:
    deposited as any other, its payment clock says it is already paid."""
    titulaire = publique(raison_sociale="Titulaire SA")
    sans_valideur = monde.fournisseur.appeler(
        client,
        "factures/v1/soumettre",
        _soumission(monde, cadreDeFacturation={"codeCadreFacturation": "A9_FACTURE_SOUSTRAITANT"}),
    )
    assert sans_valideur.status_code == 400
    assert [e["champ"] for e in sans_valideur.json()["listeErreurs"]] == ["cadreDeFacturation.codeStructureValideur"]

    a9 = monde.fournisseur.appeler(
        client,
        "factures/v1/soumettre",
        _soumission(
            monde,
            cadreDeFacturation={
                "codeCadreFacturation": "A9_FACTURE_SOUSTRAITANT",
                "codeStructureValideur": titulaire.identifiant,
            },
        ),
    ).json()
    assert a9["statutFacture"] == "A_VALIDER_1", a9
    facture = Facture.objects.get(pk=a9["identifiantFactureCPP"])
    assert (facture.cadre, facture.valideur_1) == ("A9", titulaire)

    a2 = monde.fournisseur.appeler(
        client,
        "factures/v1/soumettre",
        _soumission(
            monde,
            numeroFactureSaisi="API-0002",
            cadreDeFacturation={"codeCadreFacturation": "A2_FACTURE_FOURNISSEUR_DEJA_PAYEE"},
        ),
    ).json()
    assert a2["statutFacture"] == "MISE_A_DISPOSITION", a2
    assert Facture.objects.get(pk=a2["identifiantFactureCPP"]).cadre == "A2"


def test_soumettre_refuse_en_nommant_le_champ_json(client, monde):
    entetes = monde.fournisseur.entetes(client)
    inconnu = monde.fournisseur.appeler(
        client,
        "factures/v1/soumettre",
        _soumission(monde, destinataire={"codeDestinataire": "11111111111111", "codeServiceExecutant": ""}),
        **entetes,
    )
    assert inconnu.status_code == 400
    assert inconnu.json()["champ"] == "destinataire.codeDestinataire"
    assert "aucune structure publique active n'a le SIRET 11111111111111" in inconnu.json()["libelle"]

    lignes = _soumission(monde)["lignePoste"]
    lignes[1] = {**lignes[1], "lignePosteQuantite": 0}
    quantite = monde.fournisseur.appeler(
        client, "factures/v1/soumettre", _soumission(monde, lignePoste=lignes), **entetes
    ).json()
    assert quantite["champ"] == "lignePoste[1].lignePosteQuantite"
    assert quantite["libelle"] == "Quantité de la ligne 2 : la quantité ne peut pas être nulle."

    montant = monde.fournisseur.appeler(
        client,
        "factures/v1/soumettre",
        _soumission(monde, montantTotal={"montantTtcTotal": 400}),
        **entetes,
    ).json()
    assert montant["champ"] == "montantTotal.montantTtcTotal"
    assert "les lignes de la facture font 353.48 EUR" in montant["libelle"]

    autre = monde.fournisseur.appeler(
        client,
        "factures/v1/soumettre",
        _soumission(monde, fournisseur={"idFournisseur": monde.autre.structure.pk}),
        **entetes,
    ).json()
    assert autre["champ"] == "fournisseur.idFournisseur"
    assert autre["libelle"] == "Structure du fournisseur : vous n'émettez pas de factures pour cette structure."

    # the routing rules of the recipient, asked at deposit, as on the portal
    Structure.objects.filter(pk=monde.commune.pk).update(engagement_obligatoire=True)
    references = {**_soumission(monde)["references"], "numeroBonCommande": ""}
    engagement = monde.fournisseur.appeler(
        client, "factures/v1/soumettre", _soumission(monde, references=references), **entetes
    )
    assert engagement.status_code == 400, engagement.json()
    assert engagement.json()["champ"] == "references.numeroBonCommande"
    assert "Le numéro d'engagement est obligatoire pour le destinataire" in engagement.json()["libelle"]
    assert engagement.json()["listeErreurs"][0]["champ"] == "references.numeroBonCommande"
    assert not Facture.objects.exists()  # nothing half-saved: no draft left behind

    assert monde.fournisseur.appeler(client, "factures/v1/soumettre", _soumission(monde), **entetes).status_code == 200
    double = monde.fournisseur.appeler(client, "factures/v1/soumettre", _soumission(monde), **entetes).json()
    assert double["champ"] == "numeroFactureSaisi" and "a déjà été utilisé par ce fournisseur" in double["libelle"]


def test_deposer_un_pdf_puis_le_soumettre(client, monde):
    entetes = monde.fournisseur.entetes(client)
    pdf = _pdf(
        "Facture n FA-2025-77",
        "Date de facture : 14/03/2025",
        f"SIRET client : {monde.commune.identifiant}",
        "Bon de commande : EJ-42",
        "Total TTC 353,48 EUR",
    )
    lu = monde.fournisseur.appeler(
        client,
        "factures/v1/deposer/pdf",
        {
            "idUtilisateurCourant": 0,
            "fichierFacture": _b64(pdf),
            "nomFichier": "FA-2025-77.pdf",
            "formatDepot": "PDF_NON_SIGNE",
        },
        **entetes,
    )
    donnees = lu.json()
    assert lu.status_code == 200, donnees
    assert donnees["codeDestinataire"] == monde.commune.identifiant
    assert (donnees["dateFacture"], donnees["numeroBonCommande"], donnees["codeDeviseFacture"]) == (
        "2025-03-14",
        "EJ-42",
        "EUR",
    )
    assert donnees["codeFournisseur"] == monde.fournisseur.structure.identifiant

    corps = _soumission(
        monde,
        numeroFactureSaisi="FA-2025-77",
        modeDepot="DEPOT_PDF_API",
        pieceJointePrincipale=[{"pieceJointePrincipaleId": donnees["pieceJointeId"]}],
    )
    reponse = monde.fournisseur.appeler(client, "factures/v1/soumettre", corps, **entetes)
    assert reponse.status_code == 200, reponse.json()
    facture = Facture.objects.get(pk=reponse.json()["identifiantFactureCPP"])
    assert (facture.mode_depot, facture.format_depot) == ("DEPOT_PDF_API", "PDF_NON_SIGNE")
    assert facture.fichier_pdf.open("rb").read() == pdf and not facture.fichier_xml

    sans_pdf = monde.fournisseur.appeler(
        client,
        "factures/v1/soumettre",
        _soumission(monde, numeroFactureSaisi="X-2", modeDepot="DEPOT_PDF_API"),
        **entetes,
    )
    assert sans_pdf.status_code == 400 and sans_pdf.json()["champ"] == "pieceJointePrincipale"


def test_deposer_pdf_refus(client, monde):
    entetes = monde.fournisseur.entetes(client)

    def deposer(**champs):
        corps = {"fichierFacture": _b64(_pdf("Facture")), "nomFichier": "f.pdf", "formatDepot": "PDF_NON_SIGNE"}
        return monde.fournisseur.appeler(client, "factures/v1/deposer/pdf", {**corps, **champs}, **entetes)

    assert deposer(nomFichier="x" * 197 + ".pdf").json()["champ"] == "nomFichier"
    assert deposer(formatDepot="PDF").json()["champ"] == "formatDepot"
    pas_pdf = deposer(fichierFacture=_b64(b"<xml/>"))
    assert pas_pdf.status_code == 400 and pas_pdf.json()["champ"] == "fichierFacture"
    non_signe = deposer(formatDepot="PDF_SIGNE_PADES")
    assert non_signe.status_code == 400 and non_signe.json()["champ"] == "fichierFacture"


# --- completer, recycler -----------------------------------------------------------------------------------------


def test_completer_une_facture_suspendue(client, monde):
    facture = facture_deposee(monde.fournisseur.structure, monde.commune, numero="F-S1", statut="SUSPENDUE")
    entetes = monde.fournisseur.entetes(client)
    piece = _ajouter(client, monde.fournisseur, nom="attestation.pdf", **entetes).json()["pieceJointeId"]
    reponse = monde.fournisseur.appeler(
        client,
        "factures/v1/completer",
        {
            "idUtilisateurCourant": 0,
            "identifiantFactureCPP": facture.pk,
            "commentaire": "Attestation de service fait jointe",
            "pieceJointeComplementaire": [{"pieceJointeComplementaireId": piece}],
        },
        **entetes,
    )
    corps = reponse.json()
    assert reponse.status_code == 200, corps
    assert set(corps) == {"codeRetour", "libelle", "identifiantFactureCPP", "numeroFacture", "dateTraitement"}
    assert (corps["identifiantFactureCPP"], corps["numeroFacture"]) == (facture.pk, "F-S1")
    facture.refresh_from_db()
    assert facture.statut == "COMPLETEE"
    assert [p.nom for p in facture.pieces_jointes.all()] == ["attestation.pdf"]

    encore = monde.fournisseur.appeler(
        client, "factures/v1/completer", {"identifiantFactureCPP": facture.pk, "commentaire": "encore"}, **entetes
    )
    assert encore.status_code == 409 and "impossible au statut « Complétée »" in encore.json()["libelle"]
    rien = facture_deposee(monde.fournisseur.structure, monde.commune, numero="F-S2", statut="SUSPENDUE")
    vide = monde.fournisseur.appeler(client, "factures/v1/completer", {"identifiantFactureCPP": rien.pk}, **entetes)
    assert vide.status_code == 400 and vide.json()["champ"] == "commentaire"


def test_recycler_une_facture(client, monde):
    facture = facture_deposee(monde.fournisseur.structure, monde.commune, numero="F-R1", statut="A_RECYCLER")
    nouvelle = publique(raison_sociale="Département du Nord-Ouest")
    entetes = monde.fournisseur.entetes(client)
    reponse = monde.fournisseur.appeler(
        client,
        "factures/v1/recycler",
        {
            "identifiantFactureCPP": facture.pk,
            "idUtilisateurCourant": 0,
            "commentaire": "Mauvais destinataire",
            "destinataire": {"codeDestinataire": nouvelle.identifiant, "codeServiceExecutant": ""},
            "reference": {"numeroBonCommande": "EJ-2025-9"},
        },
        **entetes,
    )
    corps = reponse.json()
    assert reponse.status_code == 200, corps
    assert (corps["numeroFacture"], corps["statutFacture"]) == ("F-R1", "MISE_A_DISPOSITION")
    facture.refresh_from_db()
    assert (facture.destinataire, facture.numero_engagement) == (nouvelle, "EJ-2025-9")

    autre = facture_deposee(monde.fournisseur.structure, monde.commune, numero="F-R2", statut="A_RECYCLER")
    inconnu = monde.fournisseur.appeler(
        client,
        "factures/v1/recycler",
        {"identifiantFactureCPP": autre.pk, "destinataire": {"codeDestinataire": "11111111111111"}},
        **entetes,
    )
    assert inconnu.status_code == 400 and inconnu.json()["champ"] == "destinataire.codeDestinataire"
    sans_changement = monde.fournisseur.appeler(
        client, "factures/v1/recycler", {"identifiantFactureCPP": autre.pk}, **entetes
    )
    assert sans_changement.status_code == 422
    deja = monde.fournisseur.appeler(
        client,
        "factures/v1/recycler",
        {"identifiantFactureCPP": facture.pk, "reference": {"numeroBonCommande": "EJ-3"}},
        **entetes,
    )
    assert deja.status_code == 409


# --- traiterRejet --------------------------------------------------------------------------------------------------


def test_traiter_le_rejet(client, monde):
    rejetee = facture_deposee(monde.fournisseur.structure, monde.commune, numero="F-J1", statut="REJETEE")
    suspendue = facture_deposee(monde.fournisseur.structure, monde.commune, numero="F-J2", statut="SUSPENDUE")
    entetes = monde.fournisseur.entetes(client)
    reponse = monde.fournisseur.appeler(
        client,
        "factures/v1/traiterRejet",
        {
            "listeDemandePaiement": [{"idDemandePaiement": rejetee.pk}, {"idDemandePaiement": suspendue.pk}],
            "motifRejet": "Nouvelle facture émise",
            "cpltInfos": "F-J3",
        },
        **entetes,
    )
    corps = reponse.json()
    assert reponse.status_code == 200, corps
    assert corps["listeDemandePaiementTraitees"] == [{"idDemandePaiement": rejetee.pk, "numeroFacture": "F-J1"}]
    assert corps["listeDemandePaiementNonTraitees"] == [
        {"idDemandePaiement": suspendue.pk, "numeroFacture": "F-J2", "statut": "SUSPENDUE"}
    ]
    assert corps["messageNonTraitees"] == MESSAGE_TRAITER_REJET_NON_ELIGIBLE
    rejetee.refresh_from_db()
    assert rejetee.rejet_traite_le is not None
    assert FactureAction.objects.filter(facture=rejetee, code="TRAITEMENT_REJET").count() == 1

    seule = monde.fournisseur.appeler(
        client, "factures/v1/traiterRejet", {"listeDemandePaiement": [{"idDemandePaiement": suspendue.pk}]}, **entetes
    )
    assert seule.status_code == 422
    assert seule.json()["libelle"] == (
        "Des factures n'ont pu être traitées en raison de leur statut. Seuls les statuts suivants sont pris en compte "
        "par le bouton Traiter le rejet : Rejetée, Refusée par la MOA pour un autre motif, Refusée par la MOE pour un "
        "autre motif, Refusée par le fournisseur, Refusée par niveau 1, Refusée par niveau 2"
    )


# --- telecharger/groupe --------------------------------------------------------------------------------------------


def _avec_fichiers(facture, pdf=b"%PDF-1.4 facture", xml=b"<Invoice/>"):
    facture.fichier_pdf.save(f"{facture.numero}.pdf", ContentFile(pdf), save=False)
    facture.fichier_xml.save(f"{facture.numero}.xml", ContentFile(xml), save=False)
    facture.save()
    return facture


def test_telecharger_un_groupe_de_factures(client, monde):
    recipiendaire = Integrateur(monde.commune)
    f1 = _avec_fichiers(facture_deposee(monde.fournisseur.structure, monde.commune, numero="F-T1"))
    f2 = _avec_fichiers(facture_deposee(monde.fournisseur.structure, monde.commune, numero="F-T2"))
    f2.pieces_jointes.create(nom="pv.txt", taille=2, fichier=ContentFile(b"pv", name="pv.txt"))
    entetes = recipiendaire.entetes(client)
    reponse = recipiendaire.appeler(
        client,
        "factures/v1/telecharger/groupe",
        {
            "listeFacture": [{"idFacture": f1.pk}, {"idFacture": f2.pk}],
            "format": "PDF",
            "avecPiecesJointesComplementaires": True,
        },
        **entetes,
    )
    corps = reponse.json()
    assert reponse.status_code == 200, corps
    archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(corps["fichierResultat"])))
    assert sorted(archive.namelist()) == ["F-T1.pdf", "F-T2-pieces-jointes/pv.txt", "F-T2.pdf"]
    assert archive.read("F-T1.pdf") == b"%PDF-1.4 facture"
    # the recipient downloaded them: factureTelechargeeParDestinataire, as on the portal
    assert set(Facture.objects.values_list("telechargee", flat=True)) == {True}

    pivot = recipiendaire.appeler(
        client,
        "factures/v1/telecharger/groupe",
        {"listeFacture": [{"idFacture": f1.pk}], "format": "PIVOT"},
        **entetes,
    ).json()
    assert zipfile.ZipFile(io.BytesIO(base64.b64decode(pivot["fichierResultat"]))).namelist() == ["F-T1.xml"]
    mauvais = recipiendaire.appeler(
        client, "factures/v1/telecharger/groupe", {"listeFacture": [{"idFacture": f1.pk}], "format": "DOC"}, **entetes
    )
    assert mauvais.status_code == 400 and mauvais.json()["champ"] == "format"


def test_le_fournisseur_telecharge_sans_marquer(client, monde):
    facture = _avec_fichiers(facture_deposee(monde.fournisseur.structure, monde.commune, numero="F-T3"))
    reponse = monde.fournisseur.appeler(
        client, "factures/v1/telecharger/groupe", {"listeFacture": [{"idFacture": facture.pk}], "format": "XML"}
    )
    assert reponse.status_code == 200
    facture.refresh_from_db()
    assert not facture.telechargee


def test_au_dela_de_120_mo_413(client, monde, monkeypatch):
    facture = _avec_fichiers(facture_deposee(monde.fournisseur.structure, monde.commune, numero="F-T4"))
    monkeypatch.setattr(telechargement, "TAILLE_GROUPE_MAX", 10)
    reponse = monde.fournisseur.appeler(
        client, "factures/v1/telecharger/groupe", {"listeFacture": [{"idFacture": facture.pk}], "format": "PDF"}
    )
    assert reponse.status_code == 413
    assert reponse.json()["codeRetour"] == 20001 and reponse.json()["champ"] == "listeFacture"


# --- another structure's invoice: exactly like a missing one --------------------------------------------------------


def test_la_facture_d_un_autre_est_introuvable(client, monde):
    facture = _avec_fichiers(
        facture_deposee(monde.autre.structure, monde.commune, numero="AUTRE-1", statut="SUSPENDUE")
    )
    piece_autre = _ajouter(client, monde.autre).json()["pieceJointeId"]
    entetes = monde.fournisseur.entetes(client)
    appels = [
        ("factures/v1/completer", lambda pk: {"identifiantFactureCPP": pk, "commentaire": "x"}),
        ("factures/v1/recycler", lambda pk: {"identifiantFactureCPP": pk}),
        ("factures/v1/traiterRejet", lambda pk: {"listeDemandePaiement": [{"idDemandePaiement": pk}]}),
        ("factures/v1/telecharger/groupe", lambda pk: {"listeFacture": [{"idFacture": pk}], "format": "PDF"}),
    ]
    for service, corps in appels:
        autre = monde.fournisseur.appeler(client, service, corps(facture.pk), **entetes)
        absente = monde.fournisseur.appeler(client, service, corps(999999), **entetes)
        assert autre.status_code == absente.status_code == 404, service
        assert autre.json() == absente.json()
    # another structure's file cannot be joined either
    mien = facture_deposee(monde.fournisseur.structure, monde.commune, numero="F-S9", statut="SUSPENDUE")
    vol = monde.fournisseur.appeler(
        client,
        "factures/v1/completer",
        {
            "identifiantFactureCPP": mien.pk,
            "pieceJointeComplementaire": [{"pieceJointeComplementaireId": piece_autre}],
        },
        **entetes,
    )
    assert vol.status_code == 404
    facture.refresh_from_db()
    assert facture.statut == "SUSPENDUE" and not facture.telechargee
