"""The assistant's pages: the answer (full page and widget fragment), the FAQ, the articles, and the user's own
invoices looked up by number, never another structure's."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from assistant.fichiers import lire_articles
from assistant.models import Article
from facturation.models import Facture, FactureHistorique
from tests.conftest import connecter

pytestmark = pytest.mark.django_db

URL = reverse("assistant:accueil")


def _repondre(client, question, **extra):
    return client.get(URL, {"q": question, **extra})


# ------------------------------------------------------------------ public pages


def test_la_faq_liste_les_articles_par_theme_sans_connexion(client, base_connaissances):
    reponse = client.get(reverse("assistant:articles"))
    assert reponse.status_code == 200
    texte = reponse.content.decode()
    assert "<h2>Compte et connexion</h2>" in texte
    assert texte.index("Compte et connexion") < texte.index("Factures de travaux")
    for article in lire_articles():
        assert reverse("assistant:article", args=[article["slug"]]) in texte


def test_chaque_article_a_sa_page_et_son_lien_vers_le_portail(client, base_connaissances):
    for article in Article.objects.all():
        reponse = client.get(reverse("assistant:article", args=[article.slug]))
        assert reponse.status_code == 200, article.slug
        texte = reponse.content.decode()
        assert f"<h1>{article.titre}</h1>".replace("'", "&#x27;") in texte
        if article.lien_url:
            # a page of the portal that exists: a renamed URL would silently drop the button
            assert f'href="{reverse(article.lien_url)}"' in texte, article.slug


def test_le_texte_d_un_article_devient_paragraphes_et_listes(client, base_connaissances):
    texte = client.get(reverse("assistant:article", args=["double-authentification"])).content.decode()
    assert "<ul><li>saisir l&#x27;adresse de connexion" in texte
    assert "<p>Le dispositif de double authentification est entré en vigueur le 19 septembre 2024." in texte


def test_un_article_non_publie_ou_inconnu_est_introuvable(client, base_connaissances):
    Article.objects.filter(slug="comptes-pigp").update(publie=False)
    assert client.get(reverse("assistant:article", args=["comptes-pigp"])).status_code == 404
    assert client.get(reverse("assistant:article", args=["n-existe-pas"])).status_code == 404
    assert "comptes-pigp" not in client.get(reverse("assistant:articles")).content.decode()


def test_le_widget_est_sur_chaque_page_et_pas_sur_celle_de_l_assistant(client, base_connaissances):
    connexion = client.get(reverse("organisation:connexion")).content.decode()
    assert 'id="assistant-panneau"' in connexion
    assert "js/assistant.js" in connexion and "css/assistant.css" in connexion
    assert 'id="assistant-panneau"' not in _repondre(client, "créer un compte").content.decode()


# ------------------------------------------------------------------ answers


def test_la_reponse_donne_les_articles_en_page_complete_et_en_fragment(client, base_connaissances):
    page = _repondre(client, "je ne reçois pas le code de sécurité")
    assert page.status_code == 200
    texte = page.content.decode()
    assert "<h1>Assistant virtuel</h1>" in texte
    assert texte.index("code-de-securite-non-recu") < texte.index("double-authentification")

    fragment = _repondre(client, "je ne reçois pas le code de sécurité", fragment="1").content.decode()
    assert "<h1>" not in fragment and "<html" not in fragment
    assert reverse("assistant:article", args=["code-de-securite-non-recu"]) in fragment


def test_sans_reponse_le_lien_saisir_une_sollicitation_reprend_la_question(client, base_connaissances):
    question = "prévisions météo pour demain & après-demain"
    texte = _repondre(client, question, fragment="1").content.decode()
    assert "Je n'ai pas trouvé de réponse à votre question." in texte
    attendu = (
        reverse("support:sollicitation_publique")
        + "?objet=pr%C3%A9visions+m%C3%A9t%C3%A9o+pour+demain+%26+apr%C3%A8s-demain"
        + "&amp;message=pr%C3%A9visions+m%C3%A9t%C3%A9o+pour+demain+%26+apr%C3%A8s-demain"
    )
    assert f'id="assistant-sollicitation" href="{attendu}"' in texte


def test_connecte_la_sollicitation_se_saisit_dans_l_espace_du_compte(client, base_connaissances, utilisateur):
    connecter(client, utilisateur)
    texte = _repondre(client, "prévisions météo").content.decode()
    assert (
        f'href="{reverse("support:sollicitation_saisir")}?objet=pr%C3%A9visions+m%C3%A9t%C3%A9o&amp;message=' in texte
    )


def test_l_objet_de_la_sollicitation_est_le_debut_de_la_question(client, base_connaissances):
    question = ("météo " * 30).strip()
    texte = _repondre(client, question).content.decode()
    href = re.search(r'id="assistant-sollicitation" href="([^"]+)"', texte).group(1)
    parametres = parse_qs(urlsplit(html.unescape(href)).query)
    assert parametres["objet"] == ["météo " * 13 + "m…"]  # 80 characters
    assert parametres["message"] == [question]


def test_une_question_trop_longue_est_refusee_avec_un_message(client, base_connaissances):
    texte = _repondre(client, "a" * 301).content.decode()
    assert "Votre question : elle ne doit pas dépasser 300 caractères (elle en compte 301)." in texte
    assert 'aria-invalid="true"' in texte
    fragment = _repondre(client, "a" * 301, fragment="1").content.decode()
    assert 'data-erreur="Votre question : elle ne doit pas dépasser 300 caractères (elle en compte 301)."' in fragment


def test_une_question_vide_demande_quelques_mots(client, base_connaissances):
    texte = _repondre(client, "   ").content.decode()
    assert "Votre question : saisissez quelques mots, par exemple « créer un compte »." in texte
    # the page itself, without a question, shows no error
    assert "saisissez quelques mots" not in client.get(URL).content.decode()


def test_l_assistant_ne_fait_que_lire(client, base_connaissances, utilisateur):
    connecter(client, utilisateur)
    assert client.post(URL, {"q": "créer un compte"}).status_code == 405
    assert client.post(reverse("assistant:article", args=["comptes-pigp"])).status_code == 405


# ------------------------------------------------------------------ invoices


def _suspendre(facture, par):
    FactureHistorique.objects.create(
        facture=facture,
        action="traiter",
        de_statut=facture.statut,
        vers_statut="SUSPENDUE",
        motif="Pièce justificative manquante",
        commentaire="Il manque le bon de livraison.",
        par=par,
    )
    Facture.objects.filter(pk=facture.pk).update(statut="SUSPENDUE", statut_depuis=timezone.now())


def test_le_fournisseur_retrouve_sa_facture_par_son_numero(client, base_connaissances, factures):
    facture = factures.facture("FAC-2026-017", deposee_le=timezone.make_aware(timezone.datetime(2026, 3, 2, 10)))
    _suspendre(facture, factures.agent)
    connecter(client, factures.fournisseur_user)

    texte = _repondre(client, "où en est ma facture fac-2026-017 ?", fragment="1").content.decode()
    bloc = texte[texte.index('id="assistant-factures"') :]
    assert f'href="{reverse("facturation:emises_consulter", args=[facture.pk])}">Facture n° FAC-2026-017</a>' in bloc
    assert "de Menuiserie Dubois à Commune de Valbourg" in bloc
    assert "Statut : <strong>Suspendue</strong> depuis le" in bloc
    assert "Déposée le 02/03/2026" in bloc
    assert "Pièce justificative manquante – Il manque le bon de livraison." in bloc
    # the supplier can ask the recipient's service about it, the ticket form pre-filled
    assert 'href="/sollicitations/saisir/?facture=FAC-2026-017&amp;objet=Facture%20FAC-2026-017">Contacter' in bloc
    # and the articles still come
    assert reverse("assistant:article", args=["facture-suspendue"]) in texte or "assistant-articles" in texte


def test_le_destinataire_retrouve_la_facture_recue(client, base_connaissances, factures):
    facture = factures.facture("FAC-9")
    connecter(client, factures.agent)
    texte = _repondre(client, "statut facture FAC-9").content.decode()
    assert f'href="{reverse("facturation:recues_consulter", args=[facture.pk])}">Facture n° FAC-9</a>' in texte
    assert "Statut : <strong>Mise à disposition du destinataire</strong>" in texte
    assert "Aucun commentaire sur cette facture." in texte
    assert "Contacter le service destinataire" not in texte  # the recipient is that service


def test_jamais_la_facture_d_une_autre_structure(client, base_connaissances, factures):
    """The other supplier's invoice answers exactly like a number that does not exist."""
    factures.facture("AUTRE-123", fournisseur=factures.autre_fournisseur)
    commune = factures.facture("FAC-555")
    factures.facture("FAC-555", fournisseur=factures.autre_fournisseur)  # same number, other supplier
    connecter(client, factures.fournisseur_user)

    autre = _repondre(client, "facture AUTRE-123", fragment="1").content.decode()
    inexistante = _repondre(client, "facture AUTRE-124", fragment="1").content.decode()
    assert "Aucune de vos factures ne porte le numéro « AUTRE-123 »." in autre
    assert autre.replace("123", "124") == inexistante
    assert "Plâtrerie" not in autre

    texte = _repondre(client, "facture FAC-555", fragment="1").content.decode()
    assert texte.count("Facture n° FAC-555") == 1
    assert reverse("facturation:emises_consulter", args=[commune.pk]) in texte
    assert "Plâtrerie" not in texte

    # and the other supplier sees its own, never ours
    connecter(client, factures.etranger)
    texte = _repondre(client, "facture FAC-555", fragment="1").content.decode()
    assert texte.count("Facture n° FAC-555") == 1
    assert reverse("facturation:emises_consulter", args=[commune.pk]) not in texte


def test_un_visiteur_est_invite_a_se_connecter(client, base_connaissances, factures):
    factures.facture("FAC-2026-017")
    texte = _repondre(client, "où en est ma facture FAC-2026-017", fragment="1").content.decode()
    assert "Facture n° FAC-2026-017" not in texte
    assert "Connectez-vous pour connaître le statut de vos factures" in texte


def test_une_reponse_coute_un_nombre_fixe_de_requetes(
    client, base_connaissances, factures, django_assert_max_num_queries
):
    connecter(client, factures.fournisseur_user)
    facture = factures.facture("FAC-1")
    _suspendre(facture, factures.agent)
    _repondre(client, "facture FAC-1")  # warms the session and the caches

    def compter(question):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as requetes:
            assert _repondre(client, question, fragment="1").status_code == 200
        return len(requetes)

    une = compter("facture FAC-1")
    for n in range(2, 6):
        _suspendre(factures.facture(f"FAC-{n}"), factures.agent)
    cinq = compter("factures FAC-1 FAC-2 FAC-3 FAC-4 FAC-5")
    assert une == cinq
    with django_assert_max_num_queries(une):
        _repondre(client, "je ne reçois pas le code de sécurité", fragment="1")
