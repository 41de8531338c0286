"""The « Factures à valider » pages, as the validator, a reader, the recipient and an outsider see them."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from facturation.enums import DroitDelegation
from facturation.models import DelegationFactures, Facture
from facturation.selectors import validation as selecteurs
from facturation.services.brouillon import facture_enregistrer_brouillon
from organisation.enums import Application, Niveau
from tests.conftest import connecter
from tests.exports.outils import exporter_xlsx
from tests.facturation.validation.conftest import agent

pytestmark = pytest.mark.django_db

SYNTHESE = reverse("facturation:validation_synthese")
RECHERCHE = reverse("facturation:validation_recherche")
TABLEAU = reverse("facturation:validation_tableau_de_bord")


def url(nom, facture):
    return reverse(f"facturation:validation_{nom}", args=[facture.pk])


def test_synthese_par_structure(client, circuit):
    facture = circuit.facture(numero="ST-001")
    second_niveau = circuit.facture(numero="ST-002", cadre="A12", valideur_2=circuit.mandataire)
    circuit.facture(numero="ST-003", statut="MISE_A_DISPOSITION")
    contenu = connecter(client, circuit.valideur).get(SYNTHESE).content.decode()
    assert "Titulaire Bâtiment" in contenu and "2 factures à valider" in contenu
    assert "ST-001" in contenu and "ST-002" in contenu and "ST-003" not in contenu
    assert url("facture", facture) in contenu
    # the second validator waits for its turn
    contenu = connecter(client, circuit.valideur_2).get(SYNTHESE).content.decode()
    assert "ST-002" not in contenu and "Aucune facture n'attend votre validation." in contenu
    Facture.objects.filter(pk=second_niveau.pk).update(statut="A_VALIDER_2", date_validation_1=facture.deposee_le)
    contenu = client.get(SYNTHESE).content.decode()
    assert "Mandataire Groupement" in contenu and "ST-002" in contenu


def test_synthese_montre_les_plus_anciennes_et_le_nombre(client, circuit, monkeypatch):
    """A structure with thousands of invoices waiting shows its oldest ones and how many wait; the search has the
    others."""
    monkeypatch.setattr(selecteurs, "SYNTHESE_PAR_STRUCTURE", 2)
    maintenant = timezone.now()
    for jours, numero in ((3, "ST-ANCIENNE"), (2, "ST-MOYENNE"), (1, "ST-RECENTE")):
        facture = circuit.facture(numero=numero)
        Facture.objects.filter(pk=facture.pk).update(statut_depuis=maintenant - datetime.timedelta(days=jours))
    contenu = connecter(client, circuit.valideur).get(SYNTHESE).content.decode()
    assert "Titulaire Bâtiment" in contenu and "3 factures à valider" in contenu
    assert "ST-ANCIENNE" in contenu and "ST-MOYENNE" in contenu and "ST-RECENTE" not in contenu
    assert "Les 2 plus anciennes sont affichées." in contenu
    assert f'href="{reverse("facturation:validation_recherche")}?tri=statut_depuis"' in contenu


def test_synthese_sans_profil(client, circuit):
    circuit.facture(numero="ST-001")
    contenu = connecter(client, circuit.agent_destinataire).get(SYNTHESE).content.decode()
    assert "Vous n'avez aucun profil « Factures à valider »" in contenu
    assert "ST-001" not in contenu


def test_consulter_et_valider(client, circuit):
    facture = circuit.facture(numero="ST-010")
    connecter(client, circuit.valideur)
    contenu = client.get(url("facture", facture)).content.decode()
    assert "Facture ST-010" in contenu and "Mise à disposition du premier valideur" in contenu
    assert "Valider la facture" in contenu and "Refuser la facture" in contenu
    reponse = client.post(url("valider", facture), {"valider-commentaire": "Conforme"}, follow=True)
    contenu = reponse.content.decode()
    assert (
        "La facture ST-010 est validée. Elle est mise à disposition du destinataire, Commune de Valbourg." in contenu
    )
    assert "Mise à disposition du destinataire" in contenu and "Conforme" in contenu
    assert "Valider la facture" not in contenu
    facture.refresh_from_db()
    assert facture.statut == "MISE_A_DISPOSITION"


def test_refuser_sans_motif_puis_avec(client, circuit):
    facture = circuit.facture(numero="ST-011")
    connecter(client, circuit.valideur)
    reponse = client.post(url("refuser", facture), {"refuser-motif": " ", "refuser-commentaire": ""})
    assert reponse.status_code == 400
    contenu = reponse.content.decode()
    assert 'id="resume-erreurs"' in contenu
    assert "Motif du refus : Saisissez le motif du refus : il est communiqué au fournisseur." in contenu
    assert Facture.objects.get(pk=facture.pk).statut == "A_VALIDER_1"
    reponse = client.post(url("refuser", facture), {"refuser-motif": "Travaux non réalisés"}, follow=True)
    assert "La facture ST-011 est refusée." in reponse.content.decode()
    historique = reponse.content.decode().split('id="facture-historique"')[1]
    assert "Refusée par niveau 1" in historique and "Travaux non réalisés" in historique
    assert Facture.objects.get(pk=facture.pk).statut == "REFUSEE_1"


def test_le_lecteur_consulte_sans_pouvoir_valider(client, circuit):
    facture = circuit.facture(numero="ST-012")
    connecter(client, circuit.valideur_lecteur)
    contenu = client.get(url("facture", facture)).content.decode()
    assert "Facture ST-012" in contenu and "Valider la facture" not in contenu
    reponse = client.post(url("valider", facture), {}, follow=True)
    assert "Vous n&#x27;êtes pas habilité à valider ou refuser cette facture." in reponse.content.decode()
    assert Facture.objects.get(pk=facture.pk).statut == "A_VALIDER_1"


@pytest.mark.parametrize("qui", ["etranger", "agent_destinataire"])
def test_un_etranger_recoit_404(client, circuit, qui):
    facture = circuit.facture(numero="ST-013")
    connecter(client, getattr(circuit, qui))
    assert client.get(url("facture", facture)).status_code == 404
    assert client.post(url("valider", facture), {}).status_code == 404
    assert client.post(url("refuser", facture), {"refuser-motif": "Non"}).status_code == 404
    assert client.post(url("traiter", facture), {"traiter-statut_cible": "MISE_EN_PAIEMENT"}).status_code == 404
    assert "ST-013" not in client.get(RECHERCHE).content.decode()
    export = client.get(reverse("facturation:validation_export_csv"))
    assert "ST-013" not in b"".join(export.streaming_content).decode("utf-8-sig")
    assert Facture.objects.get(pk=facture.pk).statut == "A_VALIDER_1"


def test_le_delegue_traite_la_facture(client, circuit):
    delegation = DelegationFactures.objects.create(
        delegant=circuit.destinataire, delegue=circuit.titulaire, droit=DroitDelegation.TRAITEMENT
    )
    facture = circuit.facture(numero="DL-001", cadre="A1", delegation=delegation)
    connecter(client, circuit.valideur)
    contenu = client.get(url("facture", facture)).content.decode()
    assert "Facture soumise au valideur délégué Titulaire Bâtiment (Droit de traitement)" in contenu
    assert "Traiter la facture (droit de traitement)" in contenu
    reponse = client.post(url("traiter", facture), {"traiter-statut_cible": "SUSPENDUE", "traiter-motif": ""})
    assert reponse.status_code == 400
    assert "Le motif est obligatoire pour passer la facture au statut « Suspendue »." in reponse.content.decode()
    reponse = client.post(url("traiter", facture), {"traiter-statut_cible": "MISE_EN_PAIEMENT"}, follow=True)
    assert "La facture DL-001 a le statut « Mise en paiement »." in reponse.content.decode()


# --- Rechercher ---


def test_recherche_filtres_tri_et_pagination(client, circuit):
    for i in range(25):
        circuit.facture(numero=f"R-{i:03d}", statut="A_VALIDER_1" if i % 2 else "MISE_EN_PAIEMENT")
    circuit.facture(numero="A12-1", cadre="A12")
    connecter(client, circuit.valideur)
    contenu = client.get(RECHERCHE).content.decode()
    assert "Factures 1 à 20 affichées, d'autres suivent." in contenu
    assert "26 factures" in client.get(RECHERCHE, {"compter": 1}).content.decode()
    contenu = client.get(RECHERCHE, {"statut": "MISE_EN_PAIEMENT", "tri": "numero"}).content.decode()
    assert "13 factures" in contenu
    assert contenu.index("R-000") < contenu.index("R-002") and "R-001" not in contenu
    contenu = client.get(RECHERCHE, {"cadre": "A12"}).content.decode()
    assert "1 facture." in contenu and "A12-1" in contenu
    contenu = client.get(RECHERCHE, {"numero": "r-01", "fournisseur": "plâtrerie"}).content.decode()
    assert "10 factures" in contenu
    page_2 = client.get(RECHERCHE, {"tri": "-numero", "page": 2}).content.decode()
    assert "R-004" in page_2 and "R-024" not in page_2


def test_recherche_dates_invalides(client, circuit):
    connecter(client, circuit.valideur)
    contenu = client.get(RECHERCHE, {"du": "2026-03-10", "au": "2026-03-01"}).content.decode()
    assert "Déposée au : La date de fin doit être postérieure ou égale à la date de début." in contenu
    contenu = client.get(RECHERCHE, {"du": "demain"}).content.decode()
    assert "La date « Déposée du » n&#x27;est pas valide" in contenu


def test_exports_csv_et_xlsx(client, circuit):
    circuit.facture(numero="EX-1", cadre="A12", valideur_2=circuit.mandataire)
    circuit.facture(numero="EX-2")
    Facture.objects.filter(numero="EX-2").update(fournisseur=circuit.sous_traitant)
    circuit.sous_traitant.raison_sociale = "=HYPERLINK(1)"
    circuit.sous_traitant.save()
    connecter(client, circuit.valideur)
    reponse = client.get(reverse("facturation:validation_export_csv"), {"numero": "EX", "tri": "numero"})
    assert reponse["Content-Disposition"].startswith('attachment; filename="factures-a-valider-')
    lignes = b"".join(reponse.streaming_content).decode("utf-8-sig").splitlines()
    assert lignes[0].startswith("Numéro de facture;Cadre de facturation;Fournisseur")
    assert "Valideur 1 (date de validation);Valideur 2 (date de validation)" in lignes[0]
    assert lignes[1].startswith("EX-1;A12;'=HYPERLINK(1);")
    assert lignes[1].endswith(";Titulaire Bâtiment;Mandataire Groupement")
    assert len(lignes) == 3
    (ligne,) = exporter_xlsx(client, "factures_a_valider", {"numero": "EX-2"})
    assert list(ligne.values())[:3] == ["EX-2", "A9", "=HYPERLINK(1)"]


# --- Tableau de bord ---


def test_tableau_de_bord_avec_mise_en_paiement(client, circuit):
    circuit.facture()
    circuit.facture()
    circuit.facture(statut="MISE_EN_PAIEMENT")
    circuit.facture(statut="SUSPENDUE")
    connecter(client, circuit.valideur)
    contenu = client.get(TABLEAU).content.decode()
    assert "(4 au total)" in contenu
    for libelle, nombre in [
        ("Mise à disposition du premier valideur", 2),
        ("Mise en paiement", 1),
        ("Suspendue", 1),
        ("Refusée par niveau 2", 0),
    ]:
        assert f"{libelle}</" in contenu
        ligne = contenu[contenu.index(f"{libelle}</") :]
        assert f'<td class="fr-cell--right">{nombre}</td>' in ligne[:200]
    assert f"{RECHERCHE}?statut=MISE_EN_PAIEMENT" in contenu
    connecter(client, circuit.etranger)
    assert "(0 au total)" in client.get(TABLEAU).content.decode()


# --- a fixed number of queries whatever the number of rows ---


@pytest.mark.parametrize("nombre", [1, 30])
@pytest.mark.parametrize("page", [SYNTHESE, RECHERCHE, TABLEAU])
def test_nombre_de_requetes_fixe(client, circuit, django_assert_max_num_queries, nombre, page):
    for _ in range(nombre):
        circuit.facture(cadre="A12", valideur_2=circuit.mandataire)
    connecter(client, circuit.valideur)
    # +1: the header's menus (chorus/menus.py); +3 on the synthèse: the validator structures' ids read first, then
    # the counts from the counters, the sections' structures (a page of them) and each structure's oldest ids on
    # their index (facturation 0013) before the shown rows; +2 on the search: each validator level's first ids on its
    # own index, then the page (facturation 0012)
    with django_assert_max_num_queries({SYNTHESE: 14, RECHERCHE: 13}.get(page, 11)):
        assert client.get(page).status_code == 200


@pytest.mark.parametrize("nombre", [1, 30])
def test_nombre_de_requetes_des_exports(client, circuit, django_assert_max_num_queries, nombre):
    for _ in range(nombre):
        circuit.facture(cadre="A12", valideur_2=circuit.mandataire)
    connecter(client, circuit.valideur)
    for nom in ("validation_export_csv", "validation_export_xlsx"):
        with django_assert_max_num_queries(9):
            assert client.get(reverse(f"facturation:{nom}")).status_code == 200


def test_nombre_de_requetes_de_la_fiche(client, circuit, django_assert_max_num_queries):
    facture = circuit.facture(cadre="A12", valideur_2=circuit.mandataire)
    connecter(client, circuit.valideur)
    # one prefetch more since #13: the stored VAT breakdown (VentilationTva)
    with django_assert_max_num_queries(19):
        assert client.get(url("facture", facture)).status_code == 200


def test_la_recherche_lue_niveau_par_niveau_donne_les_pages_de_l_ensemble(client, circuit):
    # the titulaire validates some invoices first and others second (after the mandataire), their deposits
    # interleaved: every page of the search, in both orders, is the same as the pages of the whole set sorted
    maintenant = timezone.now()
    for n in range(7):
        premier = n % 3 != 0
        circuit.facture(
            numero=f"N-{n}",
            deposee_le=maintenant - datetime.timedelta(days=n),
            statut="A_VALIDER_1" if premier else "A_VALIDER_2",
            valideur_1=circuit.titulaire if premier else circuit.mandataire,
            valideur_2=None if premier else circuit.titulaire,
            date_validation_1=None if premier else maintenant,
        )
    circuit.facture(numero="AILLEURS", valideur_1=circuit.mandataire)  # not the titulaire's
    for tri in ("-depot", "depot", "numero", "-montant"):
        ensemble = [f.numero for f in selecteurs.rechercher(circuit.valideur, tri=tri)]
        assert len(ensemble) == 7 and "AILLEURS" not in ensemble
        liste = selecteurs.rechercher_en_pages(circuit.valideur, tri=tri)
        pages = [[f.numero for f in liste[debut : debut + 3]] for debut in (0, 3, 6)]
        assert pages == [ensemble[0:3], ensemble[3:6], ensemble[6:7]], tri
        assert liste.order_by().count() == 7
    # through the page: the first three of the newest deposits, both levels mixed
    connecter(client, circuit.valideur)
    contenu = client.get(RECHERCHE).content.decode()
    assert all(f"N-{n}" in contenu for n in range(7)) and "AILLEURS" not in contenu


def test_le_brouillon_qui_nomme_son_valideur_reste_au_fournisseur(client, circuit):
    """An A9 saved as a draft already names its validator: the validator sees nothing of it (lists, counts, consult
    page) until the supplier sends it."""
    redacteur = agent(circuit.sous_traitant, (Application.FACTURES_EMISES, Niveau.MODIFICATION))
    brouillon = facture_enregistrer_brouillon(
        par=redacteur,
        donnees={
            "fournisseur": circuit.sous_traitant,
            "destinataire": circuit.destinataire,
            "numero": "BR-VALID-1",
            "cadre": "A9",
            "valideur_1": circuit.titulaire,
        },
        lignes=[{"designation": "Plâtrerie", "quantite": 1, "prix_unitaire_ht": Decimal("100"), "taux_tva": 20}],
    )
    assert brouillon.statut == "BROUILLON" and brouillon.valideur_1 == circuit.titulaire
    connecter(client, circuit.valideur)
    for page in (SYNTHESE, RECHERCHE, TABLEAU):
        assert "BR-VALID-1" not in client.get(page).content.decode(), page
    assert client.get(url("facture", brouillon)).status_code == 404
    assert selecteurs.nombre(circuit.valideur) == 0
    assert not selecteurs.rechercher(circuit.valideur).exists()


def test_synthese_montre_les_structures_page_par_page(client, circuit, monkeypatch):
    """A validator awaited by hundreds of partners: the Synthèse shows its sections a page at a time, by name."""
    from facturation.views.validation import pages

    monkeypatch.setattr(pages, "SECTIONS_PAR_PAGE", 1)
    facture = circuit.facture(numero="ST-PAGE-1")
    second = circuit.facture(numero="ST-PAGE-2", cadre="A12", valideur_2=circuit.mandataire)
    Facture.objects.filter(pk=second.pk).update(statut="A_VALIDER_2", date_validation_1=facture.deposee_le)
    connecter(client, circuit.valideur)
    premiere = client.get(SYNTHESE).content.decode()
    assert "Des factures attendent la réponse de 2 structures : 1 par page" in premiere
    assert "Mandataire Groupement" in premiere and "ST-PAGE-2" in premiere
    assert "Titulaire Bâtiment" not in premiere and "ST-PAGE-1" not in premiere
    assert 'href="?page=2"' in premiere
    seconde = client.get(SYNTHESE, {"page": 2}).content.decode()
    assert "Titulaire Bâtiment" in seconde and "ST-PAGE-1" in seconde and "ST-PAGE-2" not in seconde
