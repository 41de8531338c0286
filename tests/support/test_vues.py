"""The pages of each side: who sees what (404 for anyone else, reading or changing), internal notes never reach
the requester, the forms' messages by field, fixed query counts for the lists."""

import re

import pytest
from django.core import mail

from support import liens
from support.enums import StatutSollicitation as S
from support.models import Categorie, ReponseType, Sollicitation
from support.services import sollicitations as services
from tests.conftest import connecter
from tests.support.conftest import fichier

pytestmark = pytest.mark.django_db


def metier(monde, **champs):
    return services.sollicitation_creer(
        par=monde.fournisseur_user,
        sous_categorie=monde.metier_sc,
        objet="Date de paiement",
        message="Quand sera-t-elle payée ?",
        facture=champs.pop("facture", None) or monde.facture(numero="FAC-1", service=monde.achats),
        **champs,
    )


def support(monde):
    return services.sollicitation_creer(
        par=monde.fournisseur_user, sous_categorie=monde.support_sc, objet="Connexion", message="Code non reçu"
    )


def avec_note(monde, s, par):
    services.note_interne_ajouter(
        sollicitation=s, par=par, corps="NOTE-SECRETE du traitant", fichiers=[fichier("secret.png")]
    )
    return s.messages.get(interne=True).pieces_jointes.get()


# saisie


def test_saisir_preremplit_objet_et_message(client, monde):
    connecter(client, monde.fournisseur_user)
    reponse = client.get("/sollicitations/saisir/?objet=Facture+FAC-9&message=Bonjour+le+support")
    html = reponse.content.decode()
    assert 'value="Facture FAC-9"' in html
    assert "Bonjour le support</textarea>" in html


def test_la_page_d_une_facture_emise_mene_a_une_question_au_destinataire(client, monde):
    facture = monde.facture(numero="FAC-12", service=monde.achats)
    connecter(client, monde.fournisseur_user)
    page = client.get(f"/factures/emises/{facture.pk}/").content.decode()
    lien = re.search(r'id="question-destinataire" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert lien == "/sollicitations/saisir/?facture=FAC-12&objet=Facture%20FAC-12"
    html = client.get(lien).content.decode()
    assert 'value="FAC-12"' in html and 'value="Facture FAC-12"' in html


def test_saisir_deconnecte_mene_au_formulaire_public_avec_les_parametres(client, db):
    reponse = client.get("/sollicitations/saisir/?objet=Aide&message=Bonjour")
    assert reponse.status_code == 302
    assert reponse.url == "/demande/?objet=Aide&message=Bonjour"
    assert 'value="Aide"' in client.get(reponse.url).content.decode()


def test_saisir_une_question_a_l_entite_sur_une_facture(client, monde):
    facture = monde.facture(numero="FAC-77", service=monde.achats)
    connecter(client, monde.fournisseur_user)
    reponse = client.post(
        "/sollicitations/saisir/",
        {
            "sous_categorie": monde.metier_sc.pk,
            "objet": "Paiement",
            "message": "Bonjour",
            "facture": "fac-77",
            "pieces_jointes": [fichier()],
        },
    )
    s = Sollicitation.objects.get()
    assert reponse.status_code == 302 and reponse.url == f"/sollicitations/{s.pk}/"
    assert (s.facture, s.structure_destinataire, s.service_destinataire) == (facture, monde.entite, monde.achats)
    assert s.messages.get().pieces_jointes.get().nom == "capture.png"


def test_saisir_avec_un_siret_et_un_code_service(client, monde):
    connecter(client, monde.fournisseur_user)
    donnees = {"sous_categorie": monde.metier_sc.pk, "objet": "Question", "message": "Bonjour"}
    reponse = client.post("/sollicitations/saisir/", {**donnees, "destinataire": monde.entite.identifiant,
                                                       "code_service": "inconnu"})  # fmt: skip
    assert "Code du service destinataire : La structure Commune de Valbourg n&#x27;a pas de service actif" in (
        reponse.content.decode()
    )
    client.post(
        "/sollicitations/saisir/", {**donnees, "destinataire": monde.entite.identifiant, "code_service": "travaux"}
    )
    s = Sollicitation.objects.get()
    assert (s.structure_destinataire, s.service_destinataire) == (monde.entite, monde.travaux)


def test_la_facture_d_un_autre_n_est_pas_trouvee(client, monde):
    from tests.factories import facture_deposee

    facture_deposee(monde.autre_entite, monde.entite, numero="FAC-AUTRE")
    connecter(client, monde.fournisseur_user)
    reponse = client.post(
        "/sollicitations/saisir/",
        {"sous_categorie": monde.support_sc.pk, "objet": "x", "message": "y", "facture": "FAC-AUTRE"},
    )
    assert "Numéro de la facture concernée : Aucune facture n° FAC-AUTRE émise ou reçue" in reponse.content.decode()
    assert Sollicitation.objects.count() == 0


def test_erreurs_nommees_et_rien_d_enregistre(client, monde):
    connecter(client, monde.fournisseur_user)
    reponse = client.post(
        "/sollicitations/saisir/",
        {"sous_categorie": monde.metier_sc.pk, "objet": "", "message": "y", "pieces_jointes": [fichier("a.exe")]},
    )
    html = reponse.content.decode()
    assert "Objet : Saisissez l&#x27;objet de la sollicitation." in html
    assert Sollicitation.objects.count() == 0
    reponse = client.post(
        "/sollicitations/saisir/",
        {"sous_categorie": monde.support_sc.pk, "objet": "x", "message": "y", "pieces_jointes": [fichier("a.exe")]},
    )
    assert "Pièces jointes : Le format « .exe » n&#x27;est pas accepté" in reponse.content.decode()
    assert Sollicitation.objects.count() == 0


# who sees what


def test_le_demandeur_voit_sa_sollicitation_sans_les_notes(client, monde):
    s = metier(monde)
    piece = avec_note(monde, s, monde.traitant)
    connecter(client, monde.fournisseur_user)
    html = client.get(f"/sollicitations/{s.pk}/").content.decode()
    assert "Quand sera-t-elle payée ?" in html
    assert "NOTE-SECRETE" not in html and "secret.png" not in html
    assert client.get(f"/sollicitations/{s.pk}/pieces-jointes/{piece.pk}/").status_code == 404


def test_le_traitant_voit_les_notes(client, monde):
    s = metier(monde)
    piece = avec_note(monde, s, monde.traitant)
    connecter(client, monde.lecteur)
    html = client.get(f"/sollicitations/recues/{s.pk}/").content.decode()
    assert "NOTE-SECRETE" in html
    assert 'id="form-reponse"' not in html  # consultation only
    assert client.get(f"/sollicitations/recues/{s.pk}/pieces-jointes/{piece.pk}/").status_code == 200


@pytest.mark.parametrize("intrus", ["etranger", "sans_profil", "traitant", "agent"])
def test_une_sollicitation_emise_est_introuvable_pour_un_autre(client, monde, intrus):
    s = metier(monde)
    piece = s.messages.get().pieces_jointes.first()
    connecter(client, getattr(monde, intrus))
    assert client.get(f"/sollicitations/{s.pk}/").status_code == 404
    assert client.post(f"/sollicitations/{s.pk}/", {"action": "repondre", "message": "x"}).status_code == 404
    assert client.post(f"/sollicitations/{s.pk}/", {"action": "cloturer"}).status_code == 404
    assert piece is None or client.get(f"/sollicitations/{s.pk}/pieces-jointes/{piece.pk}/").status_code == 404
    assert s.messages.count() == 1
    assert Sollicitation.objects.get().statut == S.NOUVELLE


@pytest.mark.parametrize("intrus", ["etranger", "sans_profil", "fournisseur_user", "agent"])
def test_une_sollicitation_recue_est_introuvable_pour_un_autre(client, monde, intrus):
    s = metier(monde)
    connecter(client, getattr(monde, intrus))
    assert client.get(f"/sollicitations/recues/{s.pk}/").status_code == 404
    for action in ({"action": "repondre", "message": "x", "statut": "RESOLUE"}, {"action": "note", "note": "x"},
                   {"action": "cloturer"}):  # fmt: skip
        assert client.post(f"/sollicitations/recues/{s.pk}/", action).status_code == 404
    assert s.messages.count() == 1
    assert Sollicitation.objects.get().statut == S.NOUVELLE
    assert s.numero not in client.get("/sollicitations/recues/").content.decode()


def test_le_service_limite_ne_voit_pas_l_autre_service(client, monde):
    s = metier(monde, facture=monde.facture(numero="FAC-T", service=monde.travaux))
    connecter(client, monde.traitant_achats)
    assert client.get(f"/sollicitations/recues/{s.pk}/").status_code == 404
    assert s.numero not in client.get("/sollicitations/recues/").content.decode()


def test_le_traitant_repond_et_le_demandeur_est_prevenu(client, monde, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the request's own mails leave, as after its commit
        s = metier(monde)
    connecter(client, monde.traitant)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(
            f"/sollicitations/recues/{s.pk}/",
            {"action": "repondre", "message": "Payée le 12.", "statut": "RESOLUE", "pieces_jointes": [fichier()]},
        )
    assert reponse.status_code == 302
    s.refresh_from_db()
    assert s.statut == S.RESOLUE
    assert [m.to for m in mail.outbox] == [[monde.fournisseur_user.email]]


def test_les_pages_agent_sont_introuvables_pour_les_autres(client, monde):
    s = support(monde)
    connecter(client, monde.traitant)
    for url in (
        "/support/sollicitations/",
        f"/support/sollicitations/{s.pk}/",
        "/support/sollicitations/categories/",
        "/support/sollicitations/reponses-types/",
        "/support/sollicitations/reponses-types/nouvelle/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/support/sollicitations/{s.pk}/", {"action": "repondre", "message": "x",
                                                             "statut": "RESOLUE"}).status_code == 404  # fmt: skip
    assert client.post("/support/sollicitations/categories/", {"libelle": "Pirate", "destination": "SUPPORT",
                                                               "ordre": 1}).status_code == 404  # fmt: skip
    assert not Categorie.objects.filter(libelle="Pirate").exists()
    assert s.messages.count() == 1


def test_l_agent_traite_depuis_le_back_office(client, monde, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the request's own mails leave, as after its commit
        s = support(monde)
    connecter(client, monde.agent)
    html = client.get(f"/support/sollicitations/{s.pk}/").content.decode()
    assert f"/support/utilisateurs/{monde.fournisseur_user.pk}/adresse/" in html
    # a canned answer pre-fills the reply
    modele = ReponseType.objects.first()
    html = client.get(f"/support/sollicitations/{s.pk}/?reponse_type={modele.pk}").content.decode()
    assert modele.corps.splitlines()[0] in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/support/sollicitations/{s.pk}/", {"action": "attribuer", "agent": monde.autre_agent.pk})
        client.post(f"/support/sollicitations/{s.pk}/", {"action": "note", "note": "NOTE-SECRETE"})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/support/sollicitations/{s.pk}/",
            {
                "action": "repondre",
                "message": "Vérifiez vos courriels indésirables.",
                "statut": "EN_ATTENTE_DEMANDEUR",
            },
        )
    s.refresh_from_db()
    assert (s.agent, s.statut) == (monde.autre_agent, S.EN_ATTENTE_DEMANDEUR)
    assert len(mail.outbox) == 1 and "NOTE-SECRETE" not in mail.outbox[0].body
    assert "Vérifiez vos courriels indésirables." in mail.outbox[0].body


def test_l_agent_lit_une_demande_metier_sans_y_repondre(client, monde):
    s = metier(monde)
    connecter(client, monde.agent)
    html = client.get(f"/support/sollicitations/{s.pk}/?file=toutes").content.decode()
    assert 'id="lecture-seule"' in html and 'id="form-reponse"' not in html
    client.post(f"/support/sollicitations/{s.pk}/", {"action": "repondre", "message": "x", "statut": "RESOLUE"})
    assert s.messages.count() == 1


def test_la_sollicitation_a_confirmer_n_est_visible_de_personne(client, monde):
    s = services.sollicitation_deposer_publique(
        email="claire@exemple.fr", nom="Claire", sous_categorie=monde.support_sc, objet="x", message="y"
    )
    connecter(client, monde.agent)
    assert client.get(f"/support/sollicitations/{s.pk}/").status_code == 404
    assert s.numero not in client.get("/support/sollicitations/").content.decode()


# the referentials


def test_l_agent_gere_les_categories(client, monde):
    connecter(client, monde.agent)
    reponse = client.post("/support/sollicitations/categories/", {"libelle": "", "destination": "SUPPORT", "ordre": 5})
    assert "Libellé : Saisissez le libellé de la catégorie." in reponse.content.decode()
    client.post("/support/sollicitations/categories/", {"libelle": "Chorus Formation", "destination": "SUPPORT",
                                                        "ordre": 5, "active": "on"})  # fmt: skip
    categorie = Categorie.objects.get(libelle="Chorus Formation")
    reponse = client.post("/support/sollicitations/categories/", {"libelle": "Chorus Formation",
                                                                  "destination": "SUPPORT", "ordre": 5})  # fmt: skip
    assert "Une catégorie s&#x27;appelle déjà « Chorus Formation »." in reponse.content.decode()
    sous = {"action": "ajouter", "sous-libelle": "Inscription", "sous-ordre": 1, "sous-active": "on"}
    client.post(f"/support/sollicitations/categories/{categorie.pk}/", sous)
    sc = categorie.sous_categories.get()
    connecter(client, monde.fournisseur_user)
    assert "Inscription" in client.get("/sollicitations/saisir/").content.decode()
    connecter(client, monde.agent)
    client.post(f"/support/sollicitations/sous-categories/{sc.pk}/", {"libelle": "Inscription", "ordre": 1})
    sc.refresh_from_db()
    assert not sc.active
    connecter(client, monde.fournisseur_user)
    assert "Inscription" not in client.get("/sollicitations/saisir/").content.decode()


def test_l_agent_gere_les_reponses_types(client, monde):
    connecter(client, monde.agent)
    client.post("/support/sollicitations/reponses-types/nouvelle/", {"titre": "Relance", "corps": "Bonjour, avez-vous",
                                                                     "active": "on"})  # fmt: skip
    reponse = ReponseType.objects.get(titre="Relance")
    client.post(f"/support/sollicitations/reponses-types/{reponse.pk}/", {"titre": "Relance", "corps": "Autre"})
    reponse.refresh_from_db()
    assert (reponse.corps, reponse.active) == ("Autre", False)


# the requester without an account


def test_formulaire_public_captcha_et_confirmation(client, monde, django_capture_on_commit_callbacks):
    donnees = {
        "nom": "Claire Dupont",
        "email": "claire@exemple.fr",
        "email_confirmation": "claire@exemple.fr",
        "sous_categorie": monde.support_sc.pk,
        "objet": "Compte bloqué",
        "message": "Je ne reçois pas le code.",
        "captcha_0": "cle",
        "captcha_1": "FAUX",
    }
    reponse = client.post("/demande/", donnees)
    assert "La suite de caractères ne correspond pas à l&#x27;image" in reponse.content.decode()
    assert Sollicitation.objects.count() == 0
    reponse = client.post("/demande/", {**donnees, "sous_categorie": monde.metier_sc.pk, "captcha_1": "PASSED"})
    assert "Cette catégorie n&#x27;est pas proposée" in reponse.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post("/demande/", {**donnees, "captcha_1": "PASSED"})
    assert reponse.url == "/demande/envoyee/"
    assert "claire@exemple.fr" in client.get(reponse.url).content.decode()
    chemin = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    page = client.get(chemin)
    assert "Confirmer et transmettre la demande" in page.content.decode()
    assert Sollicitation.objects.get().statut == S.A_CONFIRMER  # the GET alone confirms nothing
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(chemin)
    s = Sollicitation.objects.get()
    assert s.statut == S.NOUVELLE
    assert reponse.url.startswith("/demande/suivi/")
    assert "Je ne reçois pas le code." in client.get(reponse.url).content.decode()


def test_le_demandeur_sans_compte_repond_par_le_lien_et_ne_voit_pas_les_notes(client, monde):
    s = services.sollicitation_deposer_publique(
        email="claire@exemple.fr", nom="Claire", sous_categorie=monde.support_sc, objet="x", message="y"
    )
    services.sollicitation_confirmer(jeton=liens.jeton(s, liens.SEL_CONFIRMATION))
    piece = avec_note(monde, s, monde.agent)
    url = f"/demande/suivi/{liens.jeton(s, liens.SEL_SUIVI)}/"
    html = client.get(url).content.decode()
    assert "NOTE-SECRETE" not in html and "secret.png" not in html
    assert client.get(f"{url}pieces-jointes/{piece.pk}/").status_code == 404
    client.post(url, {"action": "repondre", "message": "Merci", "pieces_jointes": [fichier()]})
    assert s.messages.filter(du_demandeur=True).count() == 2
    client.post(url, {"action": "cloturer"})
    s.refresh_from_db()
    assert s.statut == S.CLOTUREE


def test_un_lien_falsifie_ou_d_une_autre_sollicitation_ne_donne_rien(client, monde):
    s = support(monde)  # a logged-in requester's ticket has no signed page
    faux = liens.jeton(s, liens.SEL_SUIVI)
    assert client.get(f"/demande/suivi/{faux}/").status_code == 404
    assert client.get("/demande/suivi/abc:def/").status_code == 404
    assert client.post(f"/demande/suivi/{faux}/", {"action": "cloturer"}).status_code == 404
    s.refresh_from_db()
    assert s.statut == S.NOUVELLE


# lists: the same number of queries for 1 and 25 rows


@pytest.mark.parametrize("nombre", [1, 25])
def test_listes_a_nombre_de_requetes_fixe(client, monde, nombre, django_assert_max_num_queries):
    for i in range(nombre):
        metier(monde, facture=monde.facture(numero=f"FAC-{i}", service=monde.achats))
        support(monde)
    for user, url in (
        (monde.fournisseur_user, "/sollicitations/"),
        (monde.traitant, "/sollicitations/recues/"),
        (monde.agent, "/support/sollicitations/?file=toutes"),
    ):
        connecter(client, user)
        with django_assert_max_num_queries(14):
            reponse = client.get(url)
        assert reponse.status_code == 200


def test_filtres_et_tri(client, monde):
    a = support(monde)
    b = metier(monde)
    services.sollicitation_cloturer(sollicitation=a, par=monde.fournisseur_user)
    connecter(client, monde.fournisseur_user)
    html = client.get("/sollicitations/?statut=CLOTUREE").content.decode()
    assert a.numero in html and b.numero not in html
    html = client.get("/sollicitations/?recherche=paiement").content.decode()
    assert b.numero in html and a.numero not in html
    html = client.get("/sollicitations/?tri=numero").content.decode()
    assert html.index(a.numero) < html.index(b.numero)
    connecter(client, monde.agent)
    html = client.get("/support/sollicitations/").content.decode()
    assert a.numero in html and b.numero not in html  # the support's own queue by default
    html = client.get(f"/support/sollicitations/?file=toutes&attribution={monde.agent.pk}").content.decode()
    assert "0 sollicitation trouvée" in html


def test_export_des_listes_avec_leurs_filtres(client, monde):
    """Each side exports what its list shows, every page, with the list's filters; never another side's tickets."""
    a = support(monde)
    b = metier(monde)
    autre = services.sollicitation_creer(
        par=monde.etranger, sous_categorie=monde.support_sc, objet="Pas à moi", message="Question"
    )
    services.sollicitation_cloturer(sollicitation=a, par=monde.fournisseur_user)
    connecter(client, monde.fournisseur_user)
    page = client.get("/sollicitations/?statut=CLOTUREE").content.decode()
    assert 'href="?statut=CLOTUREE&amp;export=csv"' in page
    texte = b"".join(client.get("/sollicitations/?statut=CLOTUREE&export=csv").streaming_content).decode("utf-8-sig")
    lignes = texte.strip().splitlines()
    assert lignes[0].startswith("Numéro;Objet;Catégorie;Sous-catégorie;Demandeur")
    assert [ligne.split(";")[0] for ligne in lignes[1:]] == [a.numero]
    assert "Clôturée" in lignes[1] and "Support Chorus Pro" in lignes[1]
    tout = b"".join(client.get("/sollicitations/?export=csv").streaming_content).decode("utf-8-sig")
    assert a.numero in tout and b.numero in tout and autre.numero not in tout
    # the former Excel link leads to the page that asks « Mes exports » for the file (tests/support/test_exports.py)
    assert "Préparer l'export Excel" in client.get("/sollicitations/?export=xlsx").content.decode()
    assert client.get("/sollicitations/?export=pdf").status_code == 404
    # the entity's handler exports its received tickets only
    connecter(client, monde.traitant)
    recues = b"".join(client.get("/sollicitations/recues/?export=csv").streaming_content).decode("utf-8-sig")
    assert b.numero in recues and a.numero not in recues and autre.numero not in recues


def test_un_filtre_invalide_ne_liste_rien_et_dit_pourquoi(client, monde):
    s = metier(monde)
    connecter(client, monde.fournisseur_user)
    assert s.numero in client.get("/sollicitations/").content.decode()
    # a forged status is not « every status »: nothing listed, nor exported, and the page says why
    page = client.get("/sollicitations/", {"statut": "INCONNU"})
    assert list(page.context["page_obj"]) == [] and s.numero not in page.content.decode()
    assert "Recherche invalide : aucun résultat n&#x27;est affiché" in page.content.decode()
    export = client.get("/sollicitations/", {"statut": "INCONNU", "export": "csv"})
    assert s.numero not in b"".join(export.streaming_content).decode("utf-8-sig")
