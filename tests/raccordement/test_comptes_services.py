"""Technical accounts (issue #6): created with a generated login and a password shown once and kept hashed, usable
after the delayed-modification delay, renewed, disabled; `authentifier_compte` says which check failed."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from chorus.exceptions import ApplicationError
from organisation.enums import Niveau
from raccordement.models import CompteTechnique
from raccordement.services.comptes import (
    VALIDITE_MOT_DE_PASSE,
    AuthentificationRefusee,
    authentifier_compte,
    compte_technique_creer,
    compte_technique_desactiver,
    compte_technique_renouveler,
    date_heure,
)
from tests.raccordement.outils_comptes import integrateur

pytestmark = pytest.mark.django_db


def _utilisable(compte):
    CompteTechnique.objects.filter(pk=compte.pk).update(actif_le=timezone.now() - timedelta(seconds=1))
    compte.refresh_from_db()
    return compte


def test_creation_login_unique_mot_de_passe_fort_et_hache(settings):
    settings.MODIFICATIONS_DIFFEREES_DELAI = timedelta(minutes=30)
    user, structure = integrateur()
    avant = timezone.now()
    compte, mot_de_passe = compte_technique_creer(par=user, structure=structure, libelle="ERP")
    second, autre = compte_technique_creer(par=user, structure=structure)
    assert compte.login == f"TECH_{structure.identifiant}_1@cpro.portail"
    assert second.login == f"TECH_{structure.identifiant}_2@cpro.portail"
    assert len(mot_de_passe) >= 20 and mot_de_passe != autre
    assert re.search(r"[a-z]", mot_de_passe) and re.search(r"[A-Z]", mot_de_passe) and re.search(r"\d", mot_de_passe)
    compte.refresh_from_db()
    # nothing in clear: the row holds a hash the password checks against
    assert mot_de_passe not in compte.mot_de_passe and compte.mot_de_passe.count("$") >= 1
    assert avant + timedelta(minutes=30) <= compte.actif_le <= timezone.now() + timedelta(minutes=30)
    assert compte.mot_de_passe_expire_le - compte.cree_le >= VALIDITE_MOT_DE_PASSE - timedelta(seconds=5)
    assert compte.cree_par == user and compte.libelle == "ERP"


def test_un_compte_pas_encore_utilisable_le_dit_avec_sa_date(settings):
    settings.MODIFICATIONS_DIFFEREES_DELAI = timedelta(minutes=30)
    user, structure = integrateur()
    compte, mot_de_passe = compte_technique_creer(par=user, structure=structure)
    with pytest.raises(AuthentificationRefusee) as refus:
        authentifier_compte(compte.login, mot_de_passe)
    assert refus.value.motif == "PAS_ENCORE_ACTIF"
    assert refus.value.message == (
        f"Le compte technique {compte.login} n'est pas encore utilisable : sa création prend effet le "
        f"{date_heure(compte.actif_le)}."
    )
    assert re.search(r"\d\d/\d\d/\d{4} à \d\d h \d\d", refus.value.message)


def test_authentifier_chaque_refus_nomme_sa_cause():
    user, structure = integrateur()
    compte, mot_de_passe = compte_technique_creer(par=user, structure=structure)
    compte = _utilisable(compte)

    # an unknown login and a wrong password answer alike (issue #15: logins are predictable)
    with pytest.raises(AuthentificationRefusee) as inconnu:
        authentifier_compte("TECH_INCONNU@cpro.portail", mot_de_passe)
    with pytest.raises(AuthentificationRefusee) as refus:
        authentifier_compte(compte.login, mot_de_passe + "x")
    assert inconnu.value.motif == refus.value.motif == "IDENTIFIANTS_INCORRECTS"
    assert (
        inconnu.value.message
        == refus.value.message
        == ("Compte technique refusé : identifiant ou mot de passe incorrect (en-tête cpro-account).")
    )

    assert compte.derniere_utilisation_le is None
    assert authentifier_compte(compte.login, mot_de_passe) == compte
    compte.refresh_from_db()
    assert compte.derniere_utilisation_le is not None

    hier = timezone.now() - timedelta(days=1)
    CompteTechnique.objects.filter(pk=compte.pk).update(mot_de_passe_expire_le=hier)
    with pytest.raises(AuthentificationRefusee) as refus:
        authentifier_compte(compte.login, mot_de_passe)
    assert refus.value.motif == "MOT_DE_PASSE_EXPIRE"
    assert refus.value.message.startswith(
        f"Le mot de passe du compte technique {compte.login} a expiré le {date_heure(hier)}"
    )

    compte_technique_desactiver(par=user, compte=compte)
    compte.refresh_from_db()
    with pytest.raises(AuthentificationRefusee) as refus:
        authentifier_compte(compte.login, mot_de_passe)
    assert refus.value.motif == "DESACTIVE"
    assert refus.value.message == (
        f"Le compte technique {compte.login} est désactivé depuis le {date_heure(compte.desactive_le)}."
    )
    # a wrong password never tells the account's state
    with pytest.raises(AuthentificationRefusee) as refus:
        authentifier_compte(compte.login, "faux")
    assert refus.value.motif == "IDENTIFIANTS_INCORRECTS"


def test_renouveler_change_le_mot_de_passe_et_l_expiration():
    user, structure = integrateur()
    compte, ancien = compte_technique_creer(par=user, structure=structure)
    compte = _utilisable(compte)
    CompteTechnique.objects.filter(pk=compte.pk).update(mot_de_passe_expire_le=timezone.now() - timedelta(days=1))
    compte, nouveau = compte_technique_renouveler(par=user, compte=compte)
    assert nouveau != ancien and len(nouveau) >= 20
    assert compte.mot_de_passe_expire_le > timezone.now() + VALIDITE_MOT_DE_PASSE - timedelta(minutes=1)
    assert authentifier_compte(compte.login, nouveau).pk == compte.pk
    with pytest.raises(AuthentificationRefusee) as refus:
        authentifier_compte(compte.login, ancien)
    assert refus.value.motif == "IDENTIFIANTS_INCORRECTS"


def test_desactive_ne_se_renouvelle_ni_ne_se_desactive_deux_fois():
    user, structure = integrateur()
    compte, _ = compte_technique_creer(par=user, structure=structure)
    compte_technique_desactiver(par=user, compte=compte)
    with pytest.raises(ApplicationError, match=r"est désactivé depuis le .* ne peut plus être renouvelé"):
        compte_technique_renouveler(par=user, compte=compte)
    with pytest.raises(ApplicationError, match=r"est déjà désactivé"):
        compte_technique_desactiver(par=user, compte=compte)


def test_il_faut_raccordement_modification_sur_la_structure():
    lecteur, structure = integrateur(niveau=Niveau.CONSULTATION)
    etranger, _autre = integrateur()
    for par in (lecteur, etranger):
        with pytest.raises(ApplicationError, match="il faut le profil « Raccordement – modification »"):
            compte_technique_creer(par=par, structure=structure)
    assert not CompteTechnique.objects.exists()
    user, _ = integrateur(structure)
    compte, _ = compte_technique_creer(par=user, structure=structure)
    with pytest.raises(ApplicationError, match="Raccordement – modification"):
        compte_technique_desactiver(par=lecteur, compte=compte)
    with pytest.raises(ApplicationError, match="Raccordement – modification"):
        compte_technique_renouveler(par=etranger, compte=compte)


def test_libelle_trop_long_nomme_son_champ():
    user, structure = integrateur()
    with pytest.raises(ApplicationError) as erreur:
        compte_technique_creer(par=user, structure=structure, libelle="x" * 101)
    assert (erreur.value.champ, erreur.value.message) == ("libelle", "Libellé : 100 caractères au plus.")
