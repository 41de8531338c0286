"""The entry form: every error on its field and naming it, the currency's precision, avoir, A9/A12 validator,
the recipient's active services, prefill by GET. No deposit reaches WeasyPrint here."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from facturation.models import Facture
from organisation.models import Service
from tests.facturation.saisie.conftest import donnees

URL = reverse("facturation:saisie_nouvelle")


def erreurs(reponse):
    return [message for _ancre, message in reponse.context["erreurs"]]


def test_page_vide(client_fournisseur, monde):
    reponse = client_fournisseur.get(URL)
    contenu = reponse.content.decode()
    assert reponse.status_code == 200
    assert "Saisir une facture" in contenu
    assert "Menuiserie Dubois" in contenu  # the supplier structure offered
    assert "Factor SA" in contenu and "affactureur" in contenu
    assert 'name="lignes-TOTAL_FORMS"' in contenu
    assert "Valider et envoyer" in contenu and "Enregistrer" in contenu


def test_seules_les_structures_ou_l_on_emet_sont_proposees(client_fournisseur, monde):
    form = client_fournisseur.get(URL).context["form"]
    assert list(form.fields["fournisseur"].queryset) == [monde.fournisseur]
    assert monde.autre_fournisseur not in form.fields["fournisseur"].queryset


def test_formulaire_vide_chaque_erreur_sur_son_champ(client_fournisseur, monde):
    post = donnees(monde, lignes=[], destinataire="", numero="", date_facture="", fournisseur="")
    reponse = client_fournisseur.post(URL, post)
    form = reponse.context["form"]
    assert reponse.status_code == 200
    assert form.errors["destinataire"] == [
        "SIRET du destinataire : indiquez le SIRET du destinataire ou recherchez-le par son nom."
    ]
    assert form.errors["numero"] == ["Numéro de facture : indiquez le numéro de la facture."]
    assert form.errors["date_facture"] == ["Date de facture : indiquez la date de la facture."]
    assert form.errors["fournisseur"] == ["Structure du fournisseur : choisissez la structure qui émet la facture."]
    assert "Lignes de la facture : saisissez au moins une ligne." in erreurs(reponse)
    contenu = reponse.content.decode()
    assert 'id="resume-erreurs"' in contenu
    assert "Le formulaire contient 5 erreurs" in contenu
    assert not Facture.objects.exists()


def test_erreurs_des_lignes_nommees_par_ligne(client_fournisseur, monde):
    lignes = [
        {"designation": "", "quantite": "abc", "prix_unitaire_ht": "10", "taux_tva": "20"},
        {"designation": "Livres", "quantite": "1", "prix_unitaire_ht": "10", "remise": "50", "taux_tva": "7"},
    ]
    reponse = client_fournisseur.post(URL, donnees(monde, lignes=lignes))
    messages = erreurs(reponse)
    assert "Désignation de la ligne 1 : décrivez le bien ou la prestation." in messages
    assert "Quantité de la ligne 1 : saisissez un nombre, par exemple 2 ou 1,5." in messages
    assert "Taux de TVA de la ligne 2 : choisissez un taux de la liste." in messages
    assert not Facture.objects.exists()


def test_destinataire_inconnu_prive_ou_service_inactif(client_fournisseur, monde):
    reponse = client_fournisseur.post(URL, donnees(monde, destinataire=monde.autre_fournisseur.identifiant))
    assert reponse.context["form"].errors["destinataire"] == [
        "SIRET du destinataire : aucune structure publique active n'a le SIRET "
        f"{monde.autre_fournisseur.identifiant}. Vérifiez-le ou recherchez le destinataire par son nom."
    ]
    reponse = client_fournisseur.post(URL, donnees(monde, code_service="ANCIEN"))
    assert reponse.context["form"].errors["code_service"] == [
        "Code du service destinataire : le service « ANCIEN » n'est pas actif chez Mairie de Lyon "
        f"({monde.destinataire.identifiant})."
    ]


def test_xpf_refuse_les_decimales(client_fournisseur, monde):
    lignes = [{"designation": "Pirogue", "quantite": "1,5", "prix_unitaire_ht": "1000,50", "taux_tva": "13"}]
    reponse = client_fournisseur.post(URL, donnees(monde, devise="XPF", lignes=lignes, remise_globale="10,5"))
    messages = erreurs(reponse)
    assert (
        "La devise XPF n'accepte pas de décimales : le prix unitaire HT de la ligne 1 (1000,50) doit être un nombre "
        "entier." in messages
    )
    assert (
        "La devise XPF n'accepte pas de décimales : la remise globale (10,5) doit être un nombre entier." in messages
    )
    # a quantity may have decimals in any currency
    assert not any("Quantité" in message for message in messages)


def test_xpf_sans_decimales_total_arrondi_a_l_unite(client_fournisseur, monde):
    lignes = [{"designation": "Pirogue", "quantite": "3", "prix_unitaire_ht": "333", "taux_tva": "13"}]
    reponse = client_fournisseur.post(URL, donnees(monde, devise="XPF", lignes=lignes, action="recalculer"))
    calcul = reponse.context["totaux"]["calcul"]
    assert (calcul.total_ht, calcul.total_tva, calcul.total_ttc) == (999, 130, 1129)
    assert "1\u00a0129\u00a0XPF" in reponse.content.decode()


def test_recalculer_montre_la_ventilation_sans_rien_enregistrer(client_fournisseur, monde):
    reponse = client_fournisseur.post(
        URL, donnees(monde, action="recalculer", remise_globale="11", motif_remise_globale="Fidélité")
    )
    calcul = reponse.context["totaux"]["calcul"]
    # the 11 € TTC discount reduces each base pro rata (1.56 € HT at 5.5 %, 7.79 € HT at 20 %) and its VAT
    assert [(v.taux, v.base_ht, v.montant_tva, v.remise_ht) for v in calcul.ventilation] == [
        (Decimal("5.5"), Decimal("198.44"), Decimal("10.91"), Decimal("1.56")),
        (Decimal("20"), Decimal("992.21"), Decimal("198.44"), Decimal("7.79")),
    ]
    assert "<td>5,5 %</td>" in reponse.content.decode()
    assert (calcul.total_lignes_ht, calcul.total_ht, calcul.total_tva) == (1200, Decimal("1190.65"), Decimal("209.35"))
    assert calcul.total_ttc == calcul.net_a_payer == 1400
    contenu = reponse.content.decode()
    assert '<td id="net-a-payer">1\u00a0400,00\u00a0€</td>' in contenu
    assert reponse.context["erreurs"] == []
    assert not Facture.objects.exists()


def test_ajouter_une_ligne_sans_javascript(client_fournisseur, monde):
    reponse = client_fournisseur.post(URL, donnees(monde, action="ajouter_ligne"))
    assert len(reponse.context["lignes"].forms) == 3
    assert reponse.context["erreurs"] == []


def test_avoir_exige_la_facture_d_origine_et_aucun_mode_de_paiement(client_fournisseur, monde):
    reponse = client_fournisseur.post(URL, donnees(monde, type_facture="AVOIR", mode_paiement="VIREMENT"))
    form = reponse.context["form"]
    assert form.errors["numero_facture_origine"] == [
        "Numéro de la facture d'origine : obligatoire pour un avoir, indiquez la facture qu'il corrige."
    ]
    assert form.errors["mode_paiement"] == ["Mode de paiement : un avoir ne comporte pas de mode de paiement."]


def test_exoneration_exige_un_motif_et_remise_globale_son_motif(client_fournisseur, monde):
    reponse = client_fournisseur.post(URL, donnees(monde, type_tva="EXONERATION", remise_globale="10"))
    form = reponse.context["form"]
    assert form.errors["motif_exoneration"] == [
        "Motif d'exonération de TVA : obligatoire quand la facture est exonérée de TVA."
    ]
    assert form.errors["motif_remise_globale"] == ["Motif de la remise globale : obligatoire avec une remise globale."]


def test_a9_exige_un_valideur_actif(client_fournisseur, monde):
    reponse = client_fournisseur.post(URL, donnees(monde, cadre="A9"))
    assert reponse.context["form"].errors["siret_valideur"] == [
        "SIRET du valideur : Le cadre A9 exige un valideur : indiquez le SIRET du titulaire du marché."
    ]
    reponse = client_fournisseur.post(URL, donnees(monde, cadre="A12", siret_valideur="99999999999999"))
    assert reponse.context["form"].errors["siret_valideur"] == [
        "SIRET du valideur : aucune structure active n'a le SIRET 99999999999999 sur Chorus Pro."
    ]


def test_a9_enregistre_le_valideur(client_fournisseur, monde):
    post = donnees(monde, cadre="A9", siret_valideur=monde.valideur.identifiant, action="enregistrer")
    reponse = client_fournisseur.post(URL, post)
    facture = Facture.objects.get()
    assert reponse.status_code == 302
    assert facture.valideur_1 == monde.valideur
    assert facture.statut == "BROUILLON"


def test_fournisseur_d_une_autre_structure_refuse(client_fournisseur, monde):
    reponse = client_fournisseur.post(URL, donnees(monde, fournisseur=str(monde.autre_fournisseur.pk)))
    assert reponse.context["form"].errors["fournisseur"] == [
        "Structure du fournisseur : vous n'émettez pas de factures pour cette structure."
    ]
    assert not Facture.objects.exists()


def test_regles_du_destinataire_au_depot_sans_generer_de_pdf(client_fournisseur, monde, media):
    monde.destinataire.code_service_obligatoire = True
    monde.destinataire.engagement_obligatoire = True
    monde.destinataire.save()
    reponse = client_fournisseur.post(URL, donnees(monde))
    messages = erreurs(reponse)
    nom = f"{monde.destinataire.identifiant} (Mairie de Lyon)"
    assert f"Le code service est obligatoire pour le destinataire {nom}." in messages
    assert f"Le numéro d'engagement est obligatoire pour le destinataire {nom}." in messages
    assert reponse.context["form"].errors["code_service"]
    assert reponse.context["form"].errors["numero_engagement"]
    # the draft is kept so the next submit completes it
    facture = Facture.objects.get()
    assert facture.statut == "BROUILLON"
    assert not facture.fichier_pdf
    assert "La facture n'est pas envoyée. Le brouillon est enregistré" in reponse.content.decode()


def test_numero_deja_utilise(client_fournisseur, monde, media):
    from tests.factories import facture_deposee

    facture_deposee(monde.fournisseur, monde.destinataire, numero="FA-2026-001")
    reponse = client_fournisseur.post(URL, donnees(monde))
    assert reponse.context["form"].errors["numero"] == [
        "Le numéro de facture « FA-2026-001 » a déjà été utilisé par ce fournisseur : il doit être unique."
    ]


def test_services_actifs_du_destinataire_proposes_en_liste(client_fournisseur, monde):
    reponse = client_fournisseur.get(URL, {"destinataire": monde.destinataire.identifiant})
    contenu = reponse.content.decode()
    assert '<option value="ACHATS">ACHATS – Service achats</option>' in contenu
    assert "ANCIEN" not in contenu


@pytest.mark.parametrize(
    ("parametre", "valeur"),
    [
        ("numero", "FA-77"),
        ("date_facture", "2026-02-01"),
        ("code_service", "ACHATS"),
        ("numero_engagement", "EJ-9"),
        ("numero_marche", "M-2026"),
        ("devise", "XPF"),
    ],
)
def test_preremplissage_par_get(client_fournisseur, monde, parametre, valeur):
    reponse = client_fournisseur.get(URL, {parametre: valeur, "destinataire": monde.destinataire.identifiant})
    form = reponse.context["form"]
    assert str(form[parametre].value()) == valeur
    assert form["destinataire"].value() == monde.destinataire.identifiant


def test_recherche_de_destinataires_publiques_actives(client_fournisseur, monde):
    url = reverse("facturation:saisie_destinataires")
    assert client_fournisseur.get(url, {"q": "lyon"}).json()["resultats"] == [
        {"siret": monde.destinataire.identifiant, "nom": "Mairie de Lyon", "ville": ""}
    ]
    assert client_fournisseur.get(url, {"q": "Dubois"}).json()["resultats"] == []  # private
    assert client_fournisseur.get(url, {"q": monde.destinataire.identifiant[:9]}).json()["resultats"][0]["nom"] == (
        "Mairie de Lyon"
    )


def test_services_du_destinataire_en_json(client_fournisseur, monde):
    url = reverse("facturation:saisie_services")
    reponse = client_fournisseur.get(url, {"siret": monde.destinataire.identifiant}).json()
    assert [s["code"] for s in reponse["services"]] == ["ACHATS"]
    assert client_fournisseur.get(url, {"siret": monde.fournisseur.identifiant}).json() == {
        "trouve": False,
        "services": [],
    }


def test_fournisseur_sans_numero_de_tva_ne_genere_pas_de_facturx_invalide(client_fournisseur, monde, media):
    monde.fournisseur.numero_tva = ""
    monde.fournisseur.save()
    reponse = client_fournisseur.post(URL, donnees(monde))
    assert reponse.context["form"].errors["fournisseur"] == [
        "Structure du fournisseur : Menuiserie Dubois n'a pas de numéro de TVA intracommunautaire ; il doit figurer "
        "sur une facture soumise à la TVA (règle EN 16931 BR-S-02). Renseignez-le dans la fiche de la structure "
        "(Organisation), puis validez à nouveau."
    ]
    assert Facture.objects.get().statut == "BROUILLON"


@pytest.mark.parametrize(
    "champs, quelle",
    [
        (
            {"type_tva": "EXONERATION", "motif_exoneration": "Article 261 du CGI"},
            "exonérée de TVA (règle EN 16931 BR-E-02)",
        ),
        ({}, "au taux de TVA de 0 % (règle EN 16931 BR-Z-02)"),
    ],
)
def test_sans_numero_de_tva_ni_exoneree_ni_taux_zero(client_fournisseur, monde, media, champs, quelle):
    monde.fournisseur.numero_tva = ""
    monde.fournisseur.save()
    lignes = [{"designation": "Formation", "quantite": "1", "prix_unitaire_ht": "900", "taux_tva": "0"}]
    reponse = client_fournisseur.post(URL, donnees(monde, lignes=lignes, **champs))
    assert reponse.context["form"].errors["fournisseur"] == [
        "Structure du fournisseur : Menuiserie Dubois n'a pas de numéro de TVA intracommunautaire ; il doit figurer "
        f"sur une facture {quelle}. Renseignez-le dans la fiche de la structure (Organisation), puis validez à "
        "nouveau."
    ]


# What the recipient requires, said by the page itself (without JavaScript too)


def _libelle(contenu, champ):
    debut = contenu.index(f'<label for="id_{champ}"')
    return contenu[debut : contenu.index("</label>", debut)]


def test_code_service_exige_par_le_destinataire_jamais_optionnel(client_fournisseur, monde):
    monde.destinataire.code_service_obligatoire = True
    monde.destinataire.save()
    Service.objects.create(
        structure=monde.destinataire, code="TRAVAUX", libelle="Travaux", engagement_obligatoire=True
    )
    contenu = client_fournisseur.get(URL, {"destinataire": monde.destinataire.identifiant}).content.decode()
    libelle = _libelle(contenu, "code_service")
    assert '<span class="mention-optionnel" hidden> (Optionnel)</span>' in libelle
    assert "Obligatoire pour Mairie de Lyon : choisissez l&#x27;un de ses services actifs." in libelle
    assert '<option value="" selected>Choisissez un service</option>' in contenu
    assert re.search(r'<select name="code_service"[^>]* required', contenu)
    assert "Mairie de Lyon exige un code service : choisissez l&#x27;un de ses services." in contenu
    assert "Le numéro d&#x27;engagement est obligatoire pour le service « TRAVAUX »." in contenu
    # the engagement stays optional until the service that requires it is chosen
    assert '<span class="mention-optionnel"> (Optionnel)</span>' in _libelle(contenu, "numero_engagement")


def test_engagement_exige_par_le_service_choisi(client_fournisseur, monde):
    Service.objects.create(
        structure=monde.destinataire, code="TRAVAUX", libelle="Travaux", engagement_obligatoire=True
    )
    contenu = client_fournisseur.get(
        URL, {"destinataire": monde.destinataire.identifiant, "code_service": "TRAVAUX"}
    ).content.decode()
    libelle = _libelle(contenu, "numero_engagement")
    assert '<span class="mention-optionnel" hidden> (Optionnel)</span>' in libelle
    assert "Obligatoire pour le service « TRAVAUX » de Mairie de Lyon." in libelle
    assert re.search(r'<input type="text" name="numero_engagement"[^>]* required', contenu)


def test_destinataire_sans_exigence_champs_optionnels(client_fournisseur, monde):
    contenu = client_fournisseur.get(URL, {"destinataire": monde.destinataire.identifiant}).content.decode()
    assert '<span class="mention-optionnel"> (Optionnel)</span>' in _libelle(contenu, "code_service")
    assert '<option value="" selected>Aucun service</option>' in contenu
    assert "Facultatif pour ce destinataire." in contenu


def test_seul_service_d_un_destinataire_qui_l_exige_preselectionne(client_fournisseur, monde):
    monde.destinataire.code_service_obligatoire = True
    monde.destinataire.save()
    form = client_fournisseur.get(URL, {"destinataire": monde.destinataire.identifiant}).context["form"]
    assert form["code_service"].value() == "ACHATS"


def test_brouillon_reprend_le_service_et_les_exigences(client_fournisseur, monde):
    monde.destinataire.engagement_obligatoire = True
    monde.destinataire.save()
    reponse = client_fournisseur.post(URL, donnees(monde, action="enregistrer", code_service="ACHATS"))
    facture = Facture.objects.get()
    contenu = client_fournisseur.get(reponse.url).content.decode()
    assert '<option value="ACHATS" selected>' in contenu
    assert facture.service_destinataire == monde.service
    assert '<span class="mention-optionnel" hidden> (Optionnel)</span>' in _libelle(contenu, "numero_engagement")
    assert "Mairie de Lyon exige un numéro d&#x27;engagement." in contenu


def test_sans_javascript_l_erreur_nomme_le_champ_et_la_page_montre_l_exigence(client_fournisseur, monde, media):
    monde.destinataire.code_service_obligatoire = True
    monde.destinataire.save()
    Service.objects.create(structure=monde.destinataire, code="TRAVAUX", libelle="Travaux")
    reponse = client_fournisseur.post(URL, donnees(monde, code_service=""))
    form = reponse.context["form"]
    nom = f"{monde.destinataire.identifiant} (Mairie de Lyon)"
    assert form.errors["code_service"] == [f"Le code service est obligatoire pour le destinataire {nom}."]
    assert '<span class="mention-optionnel" hidden> (Optionnel)</span>' in _libelle(
        reponse.content.decode(), "code_service"
    )


@pytest.mark.parametrize(
    ("parametres", "champ"),
    [({"cadre": "A9"}, "siret_valideur"), ({"type_facture": "AVOIR"}, "numero_facture_origine")],
)
def test_champ_exige_par_le_cadre_ou_l_avoir_jamais_optionnel(client_fournisseur, monde, parametres, champ):
    optionnel = '<span class="mention-optionnel"> (Optionnel)</span>'
    assert optionnel in _libelle(client_fournisseur.get(URL).content.decode(), champ)
    contenu = client_fournisseur.get(URL, parametres).content.decode()
    assert '<span class="mention-optionnel" hidden> (Optionnel)</span>' in _libelle(contenu, champ)
    assert re.search(rf'<input type="text" name="{champ}"[^>]* required', contenu)
