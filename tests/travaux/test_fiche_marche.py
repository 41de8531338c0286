"""« Fiche d'identité du marché » of a dossier de facturation: the three actors with their SIRET, services and
recipient parameters, the engagement numbers of the pieces, who deposits what; 404 outside the user's dossiers."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from facturation.models import Facture
from organisation.models import Service
from tests.conftest import connecter
from tests.travaux.conftest import piece, structure, utilisateur_travaux
from tests.travaux.test_depot import associer, deposer, initial
from travaux.models import PieceTravaux

EJ = "EJ-2026-0042"


def dossier_complet(chantier):
    a4 = deposer(
        chantier.u_fournisseur,
        "fournisseur",
        "A4",
        piece(chantier.fournisseur, "PDM-001", numero_engagement=EJ, numero_marche="MARCHE-2026-17"),
        moe=chantier.moe,
        moa=chantier.moa,
        service_moa=chantier.service_moa,
    )
    associer(chantier.u_moe, "moe", "A15", a4, "EA-001")
    # set after the deposits: the fiche shows the parameters as they stand today
    chantier.moa.code_service_obligatoire = True
    chantier.moa.engagement_obligatoire = True
    chantier.moa.save()
    chantier.service_moa.engagement_obligatoire = True
    chantier.service_moa.save()
    return a4


def url_fiche(dossier_id):
    return reverse("travaux:fiche_marche", args=[dossier_id])


def bloc(html, identifiant, fin):
    debut = html.index(f'id="{identifiant}"')
    return html[debut : html.index(fin, debut)]


def cellules(ligne_html, balises="dh"):
    motif = rf"<t[{balises}][^>]*>(.*?)</t[{balises}]>"
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(motif, ligne_html, re.S)]


def ligne_cadre(html, role, cadre):
    corps = bloc(html, f"depose-{role}", "</tbody>")
    debut = corps.index(f'class="cadre-{cadre}"')
    return cellules(corps[debut : corps.index("</tr>", debut)], balises="d")  # the actor's row header aside


@pytest.mark.parametrize("qui", ["u_fournisseur", "u_moe", "u_moa"])
def test_chaque_acteur_lit_la_fiche_du_marche(client, chantier, qui):
    a4 = dossier_complet(chantier)
    reponse = connecter(client, getattr(chantier, qui)).get(url_fiche(a4.dossier_id))
    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert "<h1>Fiche d'identité du marché</h1>" in html
    assert "MARCHE-2026-17" in bloc(html, "numero-marche", "</dd>")
    assert EJ in bloc(html, "engagements", "</dd>")
    assert "travaux_fiche.css" in html

    fournisseur = bloc(html, "acteur-fournisseur", "</article>")
    assert "Bâtiments Durand" in fournisseur and chantier.fournisseur.identifiant in fournisseur
    assert "<dt>SIRET</dt>" in fournisseur
    moe = bloc(html, "acteur-moe", "</article>")
    assert "Cabinet d&#x27;architectes Lenoir" in moe and chantier.moe.identifiant in moe
    assert 'class="acteur-service">aucun</dd>' in moe  # the dossier names no MOE service
    moa = bloc(html, "acteur-moa", "</article>")
    assert "Commune de Villeneuve" in moa and chantier.moa.identifiant in moa
    assert "TRAVAUX – Services techniques (numéro d'engagement obligatoire pour ce service)" in moa
    assert re.search(r"Code service doit être renseigné</dt><dd>Oui", moa)
    assert re.search(r"Numéro d'engagement doit être renseigné</dt><dd>Oui", moa)
    assert re.search(r"Code service doit être renseigné</dt><dd>Non", fournisseur)

    engagements = bloc(html, "pieces-engagement", "</table>")
    # the A15 deposited from the A4 without an engagement of its own keeps the A4's (issue #12)
    assert cellules(engagements)[3:] == ["A4", "PDM-001", EJ, "A15", "EA-001", EJ]


def test_qui_depose_quoi_suit_les_cadres_les_enchainements_et_la_matrice(client, chantier):
    a4 = initial(chantier)
    html = connecter(client, chantier.u_moe).get(url_fiche(a4.dossier_id)).content.decode()
    entetes = cellules(bloc(html, "qui-depose-quoi", "</thead>"))
    assert entetes == [
        "Acteur",
        "Cadre",
        "Libellé",
        "Suit la pièce",
        "Pièce suivante",
        "Portail",
        "Service (API)",
        "EDI",
    ]
    for role, cadres in {
        "fournisseur": ["A4", "A5", "A6", "A7", "A8", "A22", "A23"],
        "moe": ["A15", "A16", "A17", "A18", "A24"],
        "moa": ["A19", "A20", "A25"],
        "sous-traitant": ["A10", "A11"],
        "cotraitant": ["A13", "A14"],
    }.items():
        assert re.findall(r'class="cadre-(A\d+)"', bloc(html, f"depose-{role}", "</tbody>")) == cadres
    assert "Bâtiments Durand" in bloc(html, "depose-fournisseur", "</tbody>")

    initial_seul = "Dépôt initial"
    association = "A partir d&#x27;une pièce existante dans Chorus Pro"
    assert ligne_cadre(html, "fournisseur", "A4") == [
        "A4",
        "Dépôt par un fournisseur d&#x27;un projet de décompte mensuel",
        initial_seul,
        "A15",
        initial_seul,
        initial_seul,
        initial_seul,
    ]
    # A15 follows the supplier's, sub-contractor's and co-contractor's monthly pieces; never by EDI (S3 matrix)
    assert ligne_cadre(html, "moe", "A15") == [
        "A15",
        "Dépôt par une MOE d&#x27;un état d&#x27;acompte",
        "Dépôt initial ou A4, A10, A13",
        "A19",
        f"{initial_seul}, {association}",
        f"{initial_seul}, {association}",
        "Non",
    ]
    assert ligne_cadre(html, "fournisseur", "A5")[-3:] == [initial_seul, initial_seul, "Non"]
    a23 = ligne_cadre(html, "fournisseur", "A23")
    assert a23[2:] == ["A22", "aucune", association, association, "Non"]
    assert ligne_cadre(html, "moa", "A20")[2:4] == ["Dépôt initial ou A17", "A8"]


def test_un_tiers_au_dossier_recoit_une_404(client, chantier):
    a4 = dossier_complet(chantier)
    assert connecter(client, chantier.u_etranger).get(url_fiche(a4.dossier_id)).status_code == 404
    # the MOA of another dossier learns nothing about this one either
    autre_moa = structure(505, "Département du Nord", est_publique=True)
    u_autre = utilisateur_travaux(autre_moa)
    assert connecter(client, u_autre).get(url_fiche(a4.dossier_id)).status_code == 404
    assert connecter(client, chantier.u_moa).get(url_fiche(a4.dossier_id + 1000)).status_code == 404


def test_le_dossier_mene_a_sa_fiche(client, chantier):
    a4 = initial(chantier)
    html = connecter(client, chantier.u_fournisseur).get(reverse("travaux:dossier_consulter", args=[a4.dossier_id]))
    assert f'href="{url_fiche(a4.dossier_id)}"' in html.content.decode()


def _ajouter_pieces(chantier, a4, nombre):
    """Pieces hung on the dossier, each with its own supplier service and engagement number."""
    for i in range(nombre):
        service = Service.objects.create(structure=chantier.fournisseur, code=f"CHANTIER-{i}", libelle=f"Lot {i}")
        facture = Facture.objects.create(
            numero=f"PDM-{i + 2:03d}",
            cadre="A4",
            fournisseur=chantier.fournisseur,
            service_fournisseur=service,
            destinataire=chantier.moa,
            numero_engagement=f"EJ-{i}",
            statut="MISE_A_DISPOSITION_MOE",
            deposee_le=timezone.now(),
        )
        PieceTravaux.objects.create(facture=facture, dossier=a4.dossier, role_deposant="fournisseur")


def _requetes(client, url):
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(url).status_code == 200
    return len(requetes)


def test_nombre_de_requetes_fixe_avec_1_et_30_pieces(client, chantier):
    a4 = initial(chantier)
    connecter(client, chantier.u_moa)
    url = url_fiche(a4.dossier_id)
    client.get(url)  # the first request of a session also reads and refreshes the session
    avec_une = _requetes(client, url)
    _ajouter_pieces(chantier, a4, 29)
    assert PieceTravaux.objects.filter(dossier=a4.dossier).count() == 30
    assert _requetes(client, url) == avec_une
    assert avec_une <= 10
    html = client.get(url).content.decode()
    assert "CHANTIER-28 – Lot 28" in bloc(html, "acteur-fournisseur", "</article>") and "EJ-28" in html
