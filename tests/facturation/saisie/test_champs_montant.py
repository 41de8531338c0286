"""Every amount field of the invoice pages reads French numbers: « 4,50 », « 18 500,00 » with a space, a
non-breaking or a narrow non-breaking space, « 18500.00 »; a wrong one gets a message naming the field."""

from decimal import Decimal

import pytest
from django import forms
from django.urls import reverse

from facturation.forms.champs import champ_montant
from facturation.models import Facture
from tests.facturation.saisie.conftest import donnees


class _Form(forms.Form):
    montant = champ_montant("Montant HT")
    prix = champ_montant("Prix unitaire HT", requis=True, aide="", decimales=6)


def _nettoyer(**data):
    form = _Form(data={"prix": "1", **data})
    form.is_valid()
    return form


@pytest.mark.parametrize(
    ("saisi", "attendu"),
    [
        ("4,50", "4.50"),
        ("18 500,00", "18500.00"),
        ("18\u00a0500,00", "18500.00"),
        ("18\u202f500,00", "18500.00"),
        ("18500.00", "18500.00"),
        ("18500,00", "18500.00"),
        (" 1 250,5 € ", "1250.5"),
        ("1.234,50", "1234.50"),
        ("1,234.50", "1234.50"),
        ("0", "0"),
    ],
)
def test_nombres_francais_acceptes(saisi, attendu):
    form = _nettoyer(montant=saisi)
    assert form.errors == {}
    assert form.cleaned_data["montant"] == Decimal(attendu)


@pytest.mark.parametrize(
    ("saisi", "message"),
    [
        ("abc", "Le champ « Montant HT » doit être un montant, par exemple 1250,50."),
        ("1,234,5", "Le champ « Montant HT » doit être un montant, par exemple 1250,50."),
        ("-3", "Le champ « Montant HT » ne peut pas être négatif."),
        ("1,255", "Le champ « Montant HT » a au plus 2 décimales."),
    ],
)
def test_nombres_refuses_avec_le_nom_du_champ(saisi, message):
    assert _nettoyer(montant=saisi).errors["montant"] == [message]


def test_obligatoire_et_decimales_propres_au_champ():
    form = _Form(data={"montant": ""})
    assert not form.is_valid()
    assert form.errors["prix"] == ["Le champ « Prix unitaire HT » est obligatoire : indiquez un montant."]
    assert _nettoyer(prix="0,123456").cleaned_data["prix"] == Decimal("0.123456")


def test_affiche_avec_une_virgule_et_le_clavier_decimal():
    html = str(_Form(initial={"montant": Decimal("1250.50")})["montant"])
    assert 'value="1250,50"' in html
    assert 'inputmode="decimal"' in html
    assert 'type="text"' in html


@pytest.mark.django_db
def test_saisie_lignes_et_remise_en_francais(client, monde, media):
    from tests.conftest import connecter

    connecter(client, monde.utilisateur)
    lignes = [
        {"designation": "Pose", "quantite": "1\u00a0000", "prix_unitaire_ht": "18\u202f500,00", "taux_tva": "20"},
        {"designation": "Vis", "quantite": "2,5", "prix_unitaire_ht": "4.50", "remise": "1,25", "taux_tva": "20"},
    ]
    post = donnees(
        monde, action="enregistrer", lignes=lignes, remise_globale="1 000,00", motif_remise_globale="Fidélité"
    )
    reponse = client.post(reverse("facturation:saisie_nouvelle"), post)
    assert reponse.status_code == 302, reponse.context["erreurs"]
    facture = Facture.objects.get()
    assert facture.remise_globale == Decimal("1000.00")
    premiere, seconde = facture.lignes.order_by("numero")
    assert (premiere.quantite, premiere.prix_unitaire_ht) == (Decimal(1000), Decimal("18500"))
    assert (seconde.quantite, seconde.prix_unitaire_ht, seconde.remise) == (
        Decimal("2.5"),
        Decimal("4.5"),
        Decimal("1.25"),
    )


@pytest.mark.django_db
def test_saisie_montant_errone_nomme_la_ligne(client, monde):
    from tests.conftest import connecter

    connecter(client, monde.utilisateur)
    lignes = [{"designation": "Pose", "quantite": "1", "prix_unitaire_ht": "douze", "taux_tva": "20"}]
    reponse = client.post(reverse("facturation:saisie_nouvelle"), donnees(monde, lignes=lignes))
    messages = [message for _ancre, message in reponse.context["erreurs"]]
    assert "Le champ « Prix unitaire HT » de la ligne 1 doit être un montant, par exemple 1250,50." in messages


@pytest.mark.django_db
@pytest.mark.parametrize("espace", [" ", "\u00a0", "\u202f"])
def test_recherche_emises_et_recues_montant_avec_espace(client, monde, espace):
    from tests.conftest import connecter
    from tests.factories import facture_deposee

    facture_deposee(monde.fournisseur, monde.destinataire, numero="GROSSE", montant_ht="20000.00")
    facture_deposee(monde.fournisseur, monde.destinataire, numero="PETITE", montant_ht="10.00")
    connecter(client, monde.utilisateur)
    reponse = client.get(reverse("facturation:emises_rechercher"), {"montant_min": f"18{espace}500,00"})
    assert reponse.context["form"].errors == {}
    assert [f.numero for f in reponse.context["page_obj"]] == ["GROSSE"]
