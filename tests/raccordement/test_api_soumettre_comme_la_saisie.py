"""The same bad invoice refused the same way by the entry form and by soumettreFacture: both ask
facturation.regles_depot, the API only names the field with Chorus Pro's JSON path."""

import pytest

from facturation.forms.saisie import FactureSaisieForm, lignes_formset
from tests.raccordement.test_api_factures_fournisseur import _soumission, monde  # noqa: F401 — fixture

pytestmark = pytest.mark.django_db


def _post_du_formulaire(monde, **champs):  # noqa: F811
    """The entry form's POST of _soumission's invoice."""
    post = {
        "cadre": "A1",
        "destinataire": monde.commune.identifiant,
        "code_service": "SERV-FIN",
        "fournisseur": str(monde.fournisseur.structure.pk),
        "numero": "API-0001",
        "date_facture": "2025-03-14",
        "devise": "EUR",
        "type_facture": "FACTURE",
        "type_tva": "TVA_SUR_DEBIT",
        "mode_paiement": "VIREMENT",
        "numero_engagement": "EJ-42",
        "commentaire": "Livraison de mars",
        "lignes-TOTAL_FORMS": "2",
        "lignes-INITIAL_FORMS": "0",
        "lignes-0-reference": "REF-1",
        "lignes-0-designation": "Ramettes de papier",
        "lignes-0-quantite": "10",
        "lignes-0-unite": "C62",
        "lignes-0-prix_unitaire_ht": "25.5",
        "lignes-0-taux_tva": "20",
        "lignes-1-designation": "Livraison",
        "lignes-1-quantite": "1",
        "lignes-1-unite": "C62",
        "lignes-1-prix_unitaire_ht": "45",
        "lignes-1-taux_tva": "5.5",
    }
    return post | champs


def _refus_du_formulaire(monde, post):  # noqa: F811
    form = FactureSaisieForm(post, user=monde.fournisseur.compte.utilisateur, pour_depot=True)
    lignes = lignes_formset(post, devise=post["devise"], pour_depot=True)
    assert not (form.is_valid() & lignes.is_valid())
    messages = [m for liste in form.errors.values() for m in liste]
    messages += [m for erreurs in lignes.errors for liste in erreurs.values() for m in liste]
    return sorted(messages + list(lignes.non_form_errors()))


def _refus_de_l_api(client, monde, corps):  # noqa: F811
    reponse = monde.fournisseur.appeler(client, "factures/v1/soumettre", corps)
    assert reponse.status_code == 400, reponse.content
    return sorted(e["libelle"] for e in reponse.json()["listeErreurs"])


def _lignes(monde, **remplace):  # noqa: F811
    lignes = _soumission(monde)["lignePoste"]
    lignes[1] = {**lignes[1], **remplace}
    return lignes


@pytest.mark.parametrize(
    "api, formulaire",
    [
        (  # an avoir without its invoice of origin, with a payment means
            lambda m: {"references": {**_soumission(m)["references"], "typeFacture": "AVOIR"}},
            {"type_facture": "AVOIR"},
        ),
        (  # A9 without its validator
            lambda m: {"cadreDeFacturation": {"codeCadreFacturation": "A9_FACTURE_SOUSTRAITANT"}},
            {"cadre": "A9"},
        ),
        (  # a line of quantity zero, a line's discount above its amount
            lambda m: {"lignePoste": _lignes(m, lignePosteQuantite=0)},
            {"lignes-1-quantite": "0"},
        ),
        (
            lambda m: {"lignePoste": _lignes(m, lignePosteMontantRemiseHT=50)},
            {"lignes-1-remise": "50"},
        ),
        (  # an unknown recipient
            lambda m: {"destinataire": {"codeDestinataire": "11111111111111"}},
            {"destinataire": "11111111111111", "code_service": ""},
        ),
        (  # a global discount without its reason, exemption without its reason
            lambda m: {
                "montantTotal": {"montantRemiseGlobaleTTC": 10},
                "references": {**_soumission(m)["references"], "typeTva": "EXONERATION"},
            },
            {"remise_globale": "10", "type_tva": "EXONERATION"},
        ),
    ],
)
def test_meme_refus_par_le_formulaire_et_par_l_api(client, monde, api, formulaire):  # noqa: F811
    refus_api = _refus_de_l_api(client, monde, _soumission(monde, **api(monde)))
    # the technical account acts through its technical user, made at its first call: the form is filled as that user
    monde.fournisseur.compte.refresh_from_db()
    attendu = _refus_du_formulaire(monde, _post_du_formulaire(monde, **formulaire))
    assert attendu
    assert refus_api == attendu


def test_des_nombres_qui_n_en_sont_pas_sont_refuses_sur_leur_champ(client, monde):  # noqa: F811
    """Infinite or NaN amounts and rates are refused on their JSON path (400), never a 500; an announced 0 is an
    amount like another, compared with the lines."""
    lignes = _lignes(monde, lignePosteQuantite="Infinity")
    corps = _soumission(
        monde,
        lignePoste=lignes,
        montantTotal={"montantHtTotal": "NaN"},
        ligneTva=[{"ligneTvaTaux": "sNaN"}],
    )
    reponse = monde.fournisseur.appeler(client, "factures/v1/soumettre", corps)
    assert reponse.status_code == 400
    assert [e["champ"] for e in reponse.json()["listeErreurs"]] == ["lignePoste[1].lignePosteQuantite"]
    assert reponse.json()["libelle"] == "Quantité de la ligne 2 : saisissez un nombre, par exemple 2 ou 1,5."

    corps = _soumission(
        monde,
        montantTotal={"montantHtTotal": "NaN"},
        ligneTva=[{"ligneTvaTaux": "sNaN"}, {"ligneTvaTaux": 20, "ligneTvaMontantTvaParTaux": 0}],
    )
    erreurs = monde.fournisseur.appeler(client, "factures/v1/soumettre", corps).json()["listeErreurs"]
    assert erreurs == [
        {"champ": "montantTotal.montantHtTotal", "libelle": "montantTotal.montantHtTotal : un montant est attendu."},
        {"champ": "ligneTva[0].ligneTvaTaux", "libelle": "ligneTva[0].ligneTvaTaux : un taux est attendu."},
        {
            "champ": "ligneTva[1].ligneTvaMontantTvaParTaux",
            "libelle": "ligneTva[1].ligneTvaMontantTvaParTaux : 0 EUR annoncés, les lignes au taux de 20 % font "
            "51.00 EUR.",
        },
    ]
