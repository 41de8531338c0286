"""The « Factures émises » pages, as the supplier, a colleague with consultation only, and an outsider see them."""

import csv
import datetime
import html
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from chorus.recherche import MESSAGE_INVALIDE
from facturation.models import Facture
from facturation.services.pieces_jointes import piece_jointe_facture_ajouter
from facturation.services.suivi import MESSAGE_TRAITER_REJET_NON_ELIGIBLE
from facturation.services.traitement import facture_traiter
from tests.conftest import connecter
from tests.exports.outils import exporter_xlsx

pytestmark = pytest.mark.django_db

# the arrival's, the most of the list pages (10: its rows, total and « à traiter » count); the user's profiles are
# read once per GET for the header, the rows and the counters (organisation.habilitations.profils)
MAX_REQUETES_LISTE = 10


def texte(reponse):
    return html.unescape(reponse.content.decode())


def url(nom, *args):
    return reverse(f"facturation:emises_{nom}", args=args)


def rejeter(monde, facture, motif="Montants erronés"):
    facture_traiter(facture=facture, par=monde.agent, statut_cible="REJETEE", motif=motif)
    return facture


@pytest.fixture
def gp(monde, client):
    """The supplier's gestionnaire, past the first page of its login (the rejection pop-up has its own tests)."""
    connecter(client, monde.gp)
    client.get(url("tableau_de_bord"))
    return client


def client_de(user):
    from django.test import Client

    return connecter(Client(), user)


# Synthèse and « Traiter le rejet »


def test_la_synthese_liste_ce_qui_attend_le_fournisseur(monde, gp):
    a_recycler = monde.facture("A_RECYCLER", numero="F-RECYCLER")
    suspendue = monde.facture("SUSPENDUE", numero="F-SUSPENDUE")
    rejetee = rejeter(monde, monde.facture(numero="F-REJETEE"), motif="Mauvais montant")
    refusee = monde.facture("REFUSEE_1", numero="F-REFUSEE")
    monde.facture(numero="F-A-DISPOSITION")
    monde.facture("REJETEE", numero="F-TRAITEE", rejet_traite_le=timezone.now())
    contenu = texte(gp.get(url("synthese")))
    for f in (a_recycler, suspendue, rejetee, refusee):
        assert f">{f.numero}</a>" in contenu
    assert "F-A-DISPOSITION" not in contenu and "F-TRAITEE" not in contenu
    assert "4 factures à traiter" in contenu
    assert "Motif : Mauvais montant" in contenu
    assert f'href="{url("recycler", a_recycler.pk)}"' in contenu
    assert f'href="{url("completer", suspendue.pk)}"' in contenu
    assert ">Traiter le rejet</button>" in contenu


def test_la_synthese_de_l_etranger_est_vide(monde):
    monde.facture("A_RECYCLER", numero="F-RECYCLER")
    contenu = texte(client_de(monde.etranger).get(url("synthese")))
    assert "F-RECYCLER" not in contenu
    assert "Aucune facture n'attend d'action de votre part." in contenu


def test_le_lecteur_voit_la_synthese_sans_pouvoir_agir(monde):
    f = monde.facture("A_RECYCLER", numero="F-RECYCLER")
    contenu = texte(client_de(monde.lecteur).get(url("synthese")))
    assert "F-RECYCLER" in contenu
    assert url("recycler", f.pk) not in contenu and "Traiter le rejet</button>" not in contenu


def test_traiter_le_rejet_d_une_selection_mixte(monde, gp):
    rejetee = rejeter(monde, monde.facture(numero="F-REJETEE"))
    suspendue = monde.facture("SUSPENDUE", numero="F-SUSPENDUE")
    reponse = gp.post(url("traiter_rejet"), {"factures": [rejetee.pk, suspendue.pk]}, follow=True)
    contenu = texte(reponse)
    assert MESSAGE_TRAITER_REJET_NON_ELIGIBLE in contenu
    assert "1 rejet traité : la facture n'apparait plus dans la synthèse." in contenu
    assert ">F-REJETEE</a>" not in contenu and ">F-SUSPENDUE</a>" in contenu
    rejetee.refresh_from_db(), suspendue.refresh_from_db()
    assert rejetee.rejet_traite_le is not None and suspendue.rejet_traite_le is None


def test_traiter_le_rejet_seulement_des_eligibles_sans_message(monde, gp):
    refusee = monde.facture("REFUSEE_2")
    contenu = texte(gp.post(url("traiter_rejet"), {"factures": [refusee.pk]}, follow=True))
    assert MESSAGE_TRAITER_REJET_NON_ELIGIBLE not in contenu
    refusee.refresh_from_db()
    assert refusee.rejet_traite_le is not None


def test_traiter_le_rejet_sans_selection(monde, gp):
    contenu = texte(gp.post(url("traiter_rejet"), {}, follow=True))
    assert "Sélectionnez au moins une facture." in contenu


def test_traiter_le_rejet_d_une_facture_d_un_autre_est_introuvable(monde):
    f = monde.facture("REJETEE")
    assert client_de(monde.etranger).post(url("traiter_rejet"), {"factures": [f.pk]}).status_code == 404
    f.refresh_from_db()
    assert f.rejet_traite_le is None


# Consultation


def test_consulter_avec_les_actions_du_statut(monde, gp):
    f = monde.facture("A_RECYCLER", numero="F-2026-042")
    piece = piece_jointe_facture_ajouter(
        facture=f, par=monde.gp, fichier=SimpleUploadedFile("devis.pdf", b"%PDF-1.4 devis")
    )
    contenu = texte(gp.get(url("consulter", f.pk)))
    assert "<h1>Facture F-2026-042</h1>" in contenu
    assert 'id="statut-facture">À recycler<' in contenu
    assert f'href="{url("recycler", f.pk)}">Recycler</a>' in contenu
    assert url("completer", f.pk) not in contenu
    assert f'href="{url("piece_jointe", f.pk, piece.pk)}">devis.pdf</a>' in contenu
    assert 'id="facture-historique"' in contenu and 'id="delai-paiement"' in contenu
    reponse = gp.get(url("piece_jointe", f.pk, piece.pk))
    assert reponse.status_code == 200 and b"".join(reponse.streaming_content) == b"%PDF-1.4 devis"
    assert 'filename="devis.pdf"' in reponse["Content-Disposition"]


def test_le_lecteur_consulte_mais_ne_recycle_pas(monde):
    f = monde.facture("A_RECYCLER")
    c = client_de(monde.lecteur)
    contenu = texte(c.get(url("consulter", f.pk)))
    assert 'id="statut-facture">À recycler<' in contenu and ">Recycler</a>" not in contenu
    assert c.get(url("recycler", f.pk)).status_code == 404
    assert c.post(url("recycler", f.pk), {"destinataire": monde.destinataire.identifiant}).status_code == 404
    f.refresh_from_db()
    assert f.statut == "A_RECYCLER"


def test_l_etranger_ne_trouve_rien(monde):
    f = monde.facture("A_RECYCLER")
    s = monde.facture("SUSPENDUE")
    r = monde.facture("REJETEE")
    piece = piece_jointe_facture_ajouter(facture=f, par=monde.gp, fichier=SimpleUploadedFile("devis.pdf", b"%PDF"))
    c = client_de(monde.etranger)
    assert c.get(url("consulter", f.pk)).status_code == 404
    assert c.get(url("recycler", f.pk)).status_code == 404
    assert c.post(url("recycler", f.pk), {"destinataire": monde.destinataire.identifiant}).status_code == 404
    assert c.get(url("completer", s.pk)).status_code == 404
    assert c.post(url("completer", s.pk), {"commentaire": "coucou"}).status_code == 404
    assert c.get(url("piece_jointe", f.pk, piece.pk)).status_code == 404
    assert c.post(url("acquitter"), {"action": "selection", "factures": [r.pk]}).status_code == 404
    c.post(url("acquitter"), {"action": "tout"})
    for facture in (f, s, r):
        facture.refresh_from_db()
    assert (f.statut, s.statut, r.rejet_acquitte_le) == ("A_RECYCLER", "SUSPENDUE", None)
    for page in ("rechercher", "tableau_de_bord"):
        assert f.numero not in texte(c.get(url(page)))


def test_piece_jointe_d_une_autre_facture_introuvable(monde, gp):
    f, g = monde.facture(), monde.facture()
    piece = piece_jointe_facture_ajouter(facture=g, par=monde.gp, fichier=SimpleUploadedFile("a.pdf", b"%PDF"))
    assert gp.get(url("piece_jointe", f.pk, piece.pk)).status_code == 404


# Recycler


def test_recycler_ne_change_que_les_trois_donnees(monde, gp):
    f = monde.facture("A_RECYCLER", numero="F-2026-042", numero_marche="M-1")
    formulaire = texte(gp.get(url("recycler", f.pk)))
    for champ in ('name="destinataire"', 'name="code_service"', 'name="numero_engagement"'):
        assert champ in formulaire
    assert 'name="numero"' not in formulaire and 'name="total_ttc"' not in formulaire
    assert f'value="{monde.destinataire.identifiant}"' in formulaire and 'value="FIN"' in formulaire
    reponse = gp.post(
        url("recycler", f.pk),
        {
            "destinataire": monde.destinataire.identifiant,
            "code_service": "ACHATS",
            "numero_engagement": "EJ-77",
            # not part of the form: ignored
            "numero": "F-AUTRE",
            "total_ttc": "1",
            "numero_marche": "M-2",
            "fournisseur": monde.structure_etrangere.pk,
        },
    )
    assert reponse.status_code == 302 and reponse["Location"] == url("consulter", f.pk)
    avant = Facture.objects.get(pk=f.pk)
    assert (avant.numero, avant.total_ttc, avant.numero_marche, avant.fournisseur) == (
        "F-2026-042",
        Decimal("1200.00"),
        "M-1",
        monde.fournisseur,
    )
    assert (avant.statut, avant.service_destinataire, avant.numero_engagement) == (
        "MISE_A_DISPOSITION",
        monde.achats,
        "EJ-77",
    )
    contenu = texte(gp.get(reponse["Location"]))
    assert "La facture F-2026-042 est renvoyée avec le même numéro" in contenu


def test_recycler_affiche_les_erreurs_d_acheminement_par_champ(monde, gp):
    monde.destinataire.engagement_obligatoire = True
    monde.destinataire.save()
    f = monde.facture("A_RECYCLER")
    reponse = gp.post(
        url("recycler", f.pk),
        {"destinataire": monde.destinataire.identifiant, "code_service": "INCONNU", "numero_engagement": ""},
    )
    assert reponse.status_code == 400
    contenu = texte(reponse)
    assert 'id="resume-erreurs"' in contenu and "Le formulaire contient 2 erreurs" in contenu
    assert '<a href="#id_code_service">Code service : Le code service « INCONNU » n\'existe pas' in contenu
    assert "<a href=\"#id_numero_engagement\">Numéro d'engagement : Le numéro d'engagement est obligatoire" in contenu
    f.refresh_from_db()
    assert f.statut == "A_RECYCLER"

    reponse = gp.post(url("recycler", f.pk), {"destinataire": "12345678900000", "code_service": ""})
    assert '<a href="#id_destinataire">SIRET du destinataire : Le destinataire 12345678900000 n\'est pas connu' in (
        texte(reponse)
    )


def test_recycler_une_facture_qui_n_est_plus_a_recycler(monde, gp):
    f = monde.facture("MISE_A_DISPOSITION")
    contenu = texte(gp.get(url("recycler", f.pk), follow=True))
    assert "a le statut « Mise à disposition du destinataire » : le recyclage n'est pas possible." in contenu


# Compléter


def test_completer_exige_commentaire_ou_piece_jointe(monde, gp):
    f = monde.facture("SUSPENDUE")
    reponse = gp.post(url("completer", f.pk), {"commentaire": "  "})
    assert reponse.status_code == 400
    assert "Ajoutez un commentaire ou au moins une pièce jointe pour compléter la facture." in texte(reponse)
    f.refresh_from_db()
    assert f.statut == "SUSPENDUE"


def test_completer_avec_un_commentaire_et_une_piece_jointe(monde, gp):
    f = monde.facture("SUSPENDUE", numero="F-2026-050")
    pdf = SimpleUploadedFile("bon.pdf", b"%PDF-1.4 bon", content_type="application/pdf")
    reponse = gp.post(url("completer", f.pk), {"commentaire": "Bon de livraison joint.", "pieces_jointes": [pdf]})
    assert reponse.status_code == 302
    f.refresh_from_db()
    assert f.statut == "COMPLETEE" and [p.nom for p in f.pieces_jointes.all()] == ["bon.pdf"]
    contenu = texte(gp.get(url("consulter", f.pk)))
    assert "La facture F-2026-050 est complétée" in contenu
    assert "Bon de livraison joint." in contenu and ">bon.pdf</a>" in contenu


def test_completer_piece_jointe_refusee_affichee_sur_le_champ(monde, gp):
    f = monde.facture("SUSPENDUE")
    exe = SimpleUploadedFile("outil.exe", b"MZ")
    contenu = texte(gp.post(url("completer", f.pk), {"pieces_jointes": [exe]}))
    assert '<a href="#id_pieces_jointes">Pièces jointes : Le format « .exe » n\'est pas accepté.' in contenu


# Acquitter (the pop-up's forms)


def test_acquitter_la_selection_puis_tout(monde, gp):
    a, b, c = (rejeter(monde, monde.facture()) for _ in range(3))
    reponse = gp.post(url("acquitter"), {"action": "selection", "factures": [a.pk], "suivant": "/"})
    assert reponse.status_code == 302 and reponse["Location"] == "/"
    a.refresh_from_db(), b.refresh_from_db()
    assert a.rejet_acquitte_le is not None and b.rejet_acquitte_le is None
    gp.post(url("acquitter"), {"action": "tout", "suivant": "https://ailleurs.example/"})
    for f in (b, c):
        f.refresh_from_db()
        assert f.rejet_acquitte_le is not None
    # acknowledging does not remove the invoices from the Synthèse (row 41)
    assert texte(gp.get(url("synthese"))).count(">Montants erronés<") == 0
    assert "3 factures à traiter" in texte(gp.get(url("synthese")))


def test_acquitter_sans_selection(monde, gp):
    rejeter(monde, monde.facture())
    contenu = texte(gp.post(url("acquitter"), {"action": "selection"}, follow=True))
    assert "Sélectionnez au moins une facture à acquitter." in contenu


def test_le_lecteur_ne_peut_pas_acquitter(monde):
    f = rejeter(monde, monde.facture())
    contenu = texte(
        client_de(monde.lecteur).post(url("acquitter"), {"action": "selection", "factures": [f.pk]}, follow=True)
    )
    assert "Vous n'êtes pas habilité à effectuer l'action « Acquitter » sur ces factures." in contenu
    f.refresh_from_db()
    assert f.rejet_acquitte_le is None


# The pop-up


def test_le_popup_apparait_une_fois_apres_la_connexion(monde):
    f = rejeter(monde, monde.facture(numero="F-REJET-1"), motif="Facture en double")
    gp = client_de(monde.gp)
    contenu = texte(gp.get(url("tableau_de_bord")))
    assert 'id="modale-rejets"' in contenu and 'id="rejets-a-acquitter"' in contenu
    assert "Factures rejetées : 1 nouveau rejet" in contenu
    assert ">F-REJET-1</a>" in contenu and "Facture en double" in contenu
    assert f'value="{f.pk}" id="rejet-{f.pk}"' in contenu
    assert ">Tout acquitter et fermer</button>" in contenu
    assert ">Acquitter les factures sélectionnées</button>" in contenu
    assert "js/modale_au_chargement.js" in contenu
    # the next pages of the same login do not show it again
    assert 'id="modale-rejets"' not in texte(gp.get(url("tableau_de_bord")))
    # a new login does
    assert 'id="modale-rejets"' in texte(client_de(monde.gp).get(url("synthese")))


def test_le_popup_revient_tant_qu_il_reste_des_rejets_selectionnables(monde, gp):
    a = rejeter(monde, monde.facture(numero="F-REJET-1"))
    rejeter(monde, monde.facture(numero="F-REJET-2"))
    gp.get(url("synthese"))
    contenu = texte(
        gp.post(url("acquitter"), {"action": "selection", "factures": [a.pk], "suivant": url("synthese")}, follow=True)
    )
    assert "1 rejet acquitté." in contenu
    assert 'id="rejets-a-acquitter"' in contenu and ">F-REJET-2</a></td>" in contenu
    assert f'id="rejet-{a.pk}"' not in contenu


def test_pas_de_popup_pour_le_lecteur_ni_sans_rejet(monde):
    rejeter(monde, monde.facture())
    assert 'id="modale-rejets"' not in texte(client_de(monde.lecteur).get(url("synthese")))
    assert 'id="modale-rejets"' not in texte(client_de(monde.etranger).get(url("synthese")))


# Rechercher, trier, exporter


@pytest.fixture
def trois(monde):
    autre = monde.facture(
        numero="F-B-002",
        montant_ht="500.00",
        deposee_le=datetime.datetime(2026, 2, 10, 10, tzinfo=timezone.get_default_timezone()),
    )
    autre.destinataire = monde.autre_destinataire
    autre.service_destinataire = None
    autre.save()
    return [
        monde.facture(
            numero="F-A-001",
            montant_ht="100.00",
            deposee_le=datetime.datetime(2026, 1, 5, 10, tzinfo=timezone.get_default_timezone()),
        ),
        autre,
        monde.facture(
            "REJETEE",
            numero="F-C-003",
            montant_ht="900.00",
            deposee_le=datetime.datetime(2026, 3, 1, 10, tzinfo=timezone.get_default_timezone()),
        ),
    ]


def numeros(reponse):
    return re.findall(r">(F-[A-Z]-\d{3})</a>", texte(reponse))


def test_rechercher_par_criteres(monde, gp, trois):
    assert numeros(gp.get(url("rechercher"))) == ["F-C-003", "F-B-002", "F-A-001"]
    # the number's beginning, upper and lower case alike; the whole number too; a middle part finds nothing
    assert numeros(gp.get(url("rechercher"), {"numero": "f-b-00"})) == ["F-B-002"]
    assert numeros(gp.get(url("rechercher"), {"numero": "F-B-002"})) == ["F-B-002"]
    assert numeros(gp.get(url("rechercher"), {"numero": "b-00"})) == []
    assert numeros(gp.get(url("rechercher"), {"statut": "REJETEE"})) == ["F-C-003"]
    assert numeros(gp.get(url("rechercher"), {"code_service": "fin"})) == ["F-C-003", "F-A-001"]
    assert numeros(gp.get(url("rechercher"), {"destinataire": "Département"})) == ["F-B-002"]
    siren = monde.destinataire.identifiant[:9]
    assert numeros(gp.get(url("rechercher"), {"destinataire": siren})) == []
    assert numeros(gp.get(url("rechercher"), {"destinataire": siren, "recherche_siren": "on"})) == [
        "F-C-003",
        "F-A-001",
    ]
    assert numeros(gp.get(url("rechercher"), {"depot_du": "2026-02-01", "depot_au": "2026-02-28"})) == ["F-B-002"]
    assert numeros(gp.get(url("rechercher"), {"montant_min": "500", "montant_max": "700"})) == ["F-B-002"]
    assert numeros(gp.get(url("rechercher"), {"rejet_traite": "non"})) == ["F-C-003"]
    assert numeros(gp.get(url("rechercher"), {"mode_depot": "SAISIE_PORTAIL", "cadre": "A1"})) == [
        "F-C-003",
        "F-B-002",
        "F-A-001",
    ]


def test_rechercher_trier(gp, trois):
    assert numeros(gp.get(url("rechercher"), {"tri": "numero"})) == ["F-A-001", "F-B-002", "F-C-003"]
    assert numeros(gp.get(url("rechercher"), {"tri": "-montant"})) == ["F-C-003", "F-B-002", "F-A-001"]
    # an unknown sort is refused by the form and falls back to the default
    assert numeros(gp.get(url("rechercher"), {"tri": "fournisseur__password"})) == ["F-C-003", "F-B-002", "F-A-001"]


def test_rechercher_criteres_invalides(gp, trois):
    reponse = gp.get(url("rechercher"), {"depot_du": "2026-03-01", "depot_au": "2026-01-01", "montant_min": "abc"})
    contenu = texte(reponse)
    assert "La date de fin doit être postérieure ou égale à la date de début." in contenu
    assert "Le champ « Montant minimum » doit être un montant, par exemple 1250,50." in contenu
    # the errors are not a search without criteria: nothing is listed, nor exported, and the page says why
    assert numeros(reponse) == []
    assert MESSAGE_INVALIDE in contenu
    export = gp.get(url("export"), {"montant_min": "abc", "format": "csv"})
    lignes = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert len(lignes) == 1 and lignes[0][0] == "Numéro de facture"


def test_exporter_csv_et_excel(monde, gp, trois):
    reponse = gp.get(url("export"), {"statut": "MISE_A_DISPOSITION", "tri": "numero", "format": "csv"})
    assert reponse["Content-Type"] == "text/csv; charset=utf-8"
    lignes = list(csv.reader(io.StringIO(b"".join(reponse.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert lignes[0][:4] == ["Numéro de facture", "Date de facture", "Date de dépôt", "Destinataire"]
    assert [ligne[0] for ligne in lignes[1:]] == ["F-A-001", "F-B-002"]
    assert lignes[1][3:6] == ["Commune de Valbourg", monde.destinataire.identifiant, "FIN"]
    assert lignes[1][11] == "120,00" and lignes[1][13] == "Mise à disposition du destinataire"

    # Excel: the former link offers the background export; the list's button asks for it (« Mes exports »)
    proposition = gp.get(url("export"), {"format": "xlsx", "tri": "numero"})
    assert b'name="parametres" value="tri=numero"' in proposition.content
    lignes = exporter_xlsx(gp, "factures_emises", {"tri": "numero"})
    assert [ligne["Numéro de facture"] for ligne in lignes] == ["F-A-001", "F-B-002", "F-C-003"]


def test_export_de_l_etranger_vide(monde, trois):
    reponse = client_de(monde.etranger).get(url("export"), {"format": "csv"})
    assert len(b"".join(reponse.streaming_content).decode("utf-8-sig").strip().splitlines()) == 1


def test_export_neutralise_les_formules(monde, gp):
    monde.destinataire.raison_sociale = "=HYPERLINK(1)"
    monde.destinataire.save()
    monde.facture()
    contenu = b"".join(gp.get(url("export"), {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in contenu


# Tableau de bord


def test_tableau_de_bord_compte_par_statut(monde, gp, trois):
    monde.facture("SUSPENDUE")
    contenu = texte(gp.get(url("tableau_de_bord")))
    assert "(4 au total)" in contenu
    lien = f'href="{url("rechercher")}?statut=MISE_A_DISPOSITION" aria-label="2 factures au statut Mise à disposition'
    assert f'{lien} du destinataire">2</a>' in contenu
    assert '?statut=SUSPENDUE" aria-label="1 facture au statut Suspendue">1</a>' in contenu
    assert numeros(gp.get(url("rechercher"), {"statut": "MISE_A_DISPOSITION"})) == ["F-B-002", "F-A-001"]


# A fixed number of queries whatever the number of invoices


@pytest.mark.parametrize("nombre", [1, 30])
@pytest.mark.parametrize("page", ["accueil", "synthese", "rechercher", "tableau_de_bord", "export"])
def test_nombre_de_requetes_fixe(monde, gp, nombre, page, django_assert_max_num_queries):
    for i in range(nombre):
        rejeter(monde, monde.facture(numero=f"F-{i:04d}"))
    gp.get(url("synthese"))  # the pop-up of this login is behind us
    with django_assert_max_num_queries(MAX_REQUETES_LISTE):
        reponse = gp.get(url(page), {"format": "csv"} if page == "export" else {})
        contenu = b"".join(reponse.streaming_content).decode("utf-8-sig") if page == "export" else texte(reponse)
    assert reponse.status_code == 200
    if page != "tableau_de_bord":
        par_page = 20 if page in ("accueil", "rechercher", "synthese") else nombre
        assert len(set(re.findall(r"F-\d{4}", contenu))) == min(nombre, par_page)


@pytest.mark.parametrize("nombre", [1, 30])
def test_nombre_de_requetes_du_popup_et_de_la_consultation(monde, client, nombre, django_assert_max_num_queries):
    factures = [rejeter(monde, monde.facture(numero=f"F-{i:04d}")) for i in range(nombre)]
    c = connecter(client, monde.gp)
    with django_assert_max_num_queries(MAX_REQUETES_LISTE + 2):
        contenu = texte(c.get(url("synthese")))
    # the pop-up lists every rejection to acknowledge; the Synthèse, a page of 20
    assert contenu.count('name="factures"') == nombre + min(nombre, 20)
    with django_assert_max_num_queries(MAX_REQUETES_LISTE + 2):
        assert c.get(url("consulter", factures[-1].pk)).status_code == 200


# The arrival: the latest invoices, the Synthèse one click away


def test_l_arrivee_montre_les_dernieres_factures_la_plus_recente_d_abord(monde, gp):
    maintenant = timezone.now()
    for i in range(25):
        monde.facture(numero=f"F-{i:04d}", deposee_le=maintenant - datetime.timedelta(days=30 - i))
    # just sent, waiting for nothing from the supplier: the Synthèse would not show it
    monde.facture(numero="F-JUSTE-ENVOYEE", deposee_le=maintenant)
    reponse = gp.get(reverse("facturation:emises_accueil"))
    contenu = texte(reponse)
    assert reponse.status_code == 200
    assert reverse("facturation:emises_accueil") == "/factures/emises/"
    numeros = re.findall(r"F-(?:\d{4}|JUSTE-ENVOYEE)(?=</a>)", contenu)
    assert numeros[:3] == ["F-JUSTE-ENVOYEE", "F-0024", "F-0023"]
    assert len(numeros) == 20
    # the arrival's number comes from the per-status counters, not from counting the invoices (issue #16)
    assert "26 factures émises." in contenu
    assert 'aria-current="page">Dernières factures</a>' in contenu
    assert f'href="{url("synthese")}"' in contenu
    page_2 = texte(gp.get(reverse("facturation:emises_accueil"), {"page": 2}))
    assert "F-0005" in page_2 and "26 factures émises." in page_2
    assert 'id="a-traiter"' not in contenu


def test_l_arrivee_annonce_les_factures_a_traiter_et_propose_leurs_actions(monde, gp):
    f = monde.facture("A_RECYCLER", numero="F-RECYCLER")
    monde.facture(numero="F-ENVOYEE")
    contenu = texte(gp.get(reverse("facturation:emises_accueil")))
    assert "1 facture attend une action de votre part" in contenu
    assert f'href="{url("recycler", f.pk)}"' in contenu
    assert "F-ENVOYEE" in contenu


def test_l_arrivee_ne_montre_pas_les_factures_des_autres(monde, client):
    monde.facture(numero="F-SECRETE")
    contenu = texte(connecter(client, monde.etranger).get(reverse("facturation:emises_accueil")))
    assert "F-SECRETE" not in contenu
    assert "Vous n'avez encore déposé aucune facture." in contenu


def test_le_menu_facturation_mene_aux_dernieres_factures(monde, gp):
    contenu = texte(gp.get(reverse("facturation:emises_synthese")))
    assert f'<a class="fr-nav__link" href="{reverse("facturation:emises_accueil")}">Factures émises</a>' in contenu


def test_au_dela_de_la_limite_chaque_page_dit_comment_voir_les_suivantes(monde, gp, monkeypatch):
    """Issue #16: pages stop at PaginationBornee.limite rows (pages of 2 and a limit of 4 here); each list says how
    its user reaches the others: the arrival points to « Rechercher », the search to its own criteria."""
    from chorus.pagination import PaginationBornee

    monkeypatch.setattr("facturation.views.emises.pages.PAR_PAGE", 2)
    monkeypatch.setattr(PaginationBornee, "limite", 4)
    for i in range(6):
        monde.facture(numero=f"F-L-{i}")
    arrivee = texte(gp.get(url("accueil"), {"page": 2}))
    # the arrival knows its number from the counters: it says it, and how to reach the invoices past the limit
    assert (
        "6 factures émises. Seules les 4 premières sont consultables ici : filtrez-les dans « Rechercher » "
        "(période de dépôt, statut, destinataire" in arrivee
    )
    recherche = texte(gp.get(url("rechercher"), {"numero": "F-L", "page": 2}))
    assert "Plus de 4 factures : précisez la recherche (période de dépôt, statut, destinataire, numéro)" in recherche
    assert "Compter les résultats" in recherche
    compte = texte(gp.get(url("rechercher"), {"numero": "F-L", "compter": 1}))
    assert "6 factures. Seules les 4 premières sont consultables ici : précisez la recherche" in compte
