import io

import pytest
from django.core.management import CommandError, call_command

from organisation.enums import StatutRattachement, StatutStructure
from organisation.matelas import siret_fictif
from organisation.models import ComptePigp, Habilitation, Rattachement, Structure, Utilisateur
from organisation.services.rattachements import profils_par_defaut
from tests.factories import StructureFactory, UtilisateurFactory

SIRET_PUBLIC = siret_fictif(21)
SIRET_PRIVE = siret_fictif(22)
SIRET_EN_ATTENTE = siret_fictif(23)
SIRET_INCONNU = siret_fictif(24)


@pytest.fixture
def structures(db):
    publique = StructureFactory(est_publique=True, raison_sociale="DDFiP du Finistère", identifiant=SIRET_PUBLIC)
    Structure.objects.filter(pk=publique.pk).update(statut=StatutStructure.ACTIVE)
    privee = StructureFactory(raison_sociale="Cabinet privé", identifiant=SIRET_PRIVE)
    en_attente = StructureFactory(
        est_publique=True, raison_sociale="Trésorerie en attente", identifiant=SIRET_EN_ATTENTE
    )
    return {"publique": publique, "privee": privee, "en_attente": en_attente}


def injecter(tmp_path, contenu):
    fichier = tmp_path / "pigp.csv"
    fichier.write_text(contenu, encoding="utf-8")
    sortie = io.StringIO()
    call_command("injecter_pigp", str(fichier), stdout=sortie)
    return sortie.getvalue()


def test_un_siret_correspondant_rattache_le_compte_avec_les_profils_par_defaut(tmp_path, structures):
    sortie = injecter(
        tmp_path,
        f"login,email,sirets\njdupont-xt,Jean.Dupont@dgfip.finances.gouv.fr,{SIRET_PUBLIC};{SIRET_PRIVE}\n",
    )
    compte = ComptePigp.objects.select_related("user").get(login="jdupont-xt")
    utilisateur = compte.user
    assert utilisateur.email == "jean.dupont@dgfip.finances.gouv.fr"  # the contact e-mail
    assert utilisateur.est_pigp and utilisateur.is_active and not utilisateur.has_usable_password()
    assert compte.confirmed and compte.sirets == [SIRET_PUBLIC, SIRET_PRIVE]
    (rattachement,) = Rattachement.objects.filter(utilisateur=utilisateur)  # the private structure is not attached
    assert rattachement.structure == structures["publique"] and rattachement.statut == StatutRattachement.ACTIF
    assert not rattachement.est_gestionnaire_principal
    profils = {(h.application, h.niveau, h.service) for h in rattachement.habilitations.all()}
    assert profils == set(profils_par_defaut())
    assert "compte créé ; rattaché à DDFiP du Finistère" in sortie
    assert f"aucune structure publique active pour : {SIRET_PRIVE}" in sortie
    assert "Bilan : 1 compte créé, 0 compte mis à jour, 1 rattachement créé, 0 ligne ignorée." in sortie


def test_sans_structure_publique_correspondante_le_compte_existe_sans_structure(tmp_path, structures):
    sortie = injecter(
        tmp_path, f"login,email,sirets\nmmartin-xt,m.martin@dgfip.fr,{SIRET_INCONNU};{SIRET_EN_ATTENTE}\n"
    )
    utilisateur = Utilisateur.objects.get(compte_pigp__login="mmartin-xt")
    assert not Rattachement.objects.filter(utilisateur=utilisateur).exists()
    assert "compte sans structure" in sortie
    assert "Bilan : 1 compte créé, 0 compte mis à jour, 0 rattachement créé, 0 ligne ignorée." in sortie


def test_un_identifiant_sans_xt_est_ignore_et_signale(tmp_path, structures):
    sortie = injecter(
        tmp_path,
        f"login,email,sirets\njdupont,jean@dgfip.fr,{SIRET_PUBLIC}\nalice-xt,alice@dgfip.fr,{SIRET_PUBLIC}\n",
    )
    assert "Ligne 2 (jdupont) : ignorée — l'identifiant « jdupont » ne se termine pas par « -xt »." in sortie
    assert "  - ligne 2 (jdupont) : l'identifiant « jdupont » ne se termine pas par « -xt »." in sortie
    assert not Utilisateur.objects.filter(email="jean@dgfip.fr").exists()
    assert Utilisateur.objects.filter(email="alice@dgfip.fr", est_pigp=True).exists()  # the other lines go on
    assert "Bilan : 1 compte créé, 0 compte mis à jour, 1 rattachement créé, 1 ligne ignorée." in sortie


def test_une_adresse_de_contact_deja_prise_ou_invalide_ignore_la_ligne(tmp_path, structures):
    UtilisateurFactory(email="deja@exemple.fr")
    sortie = injecter(
        tmp_path,
        f"login,email,sirets\nun-xt,deja@exemple.fr,{SIRET_PUBLIC}\ndeux-xt,pas-une-adresse,{SIRET_PUBLIC}\n",
    )
    assert "l'adresse de contact deja@exemple.fr est déjà celle d'un autre compte du portail." in sortie
    assert "l'adresse de contact « pas-une-adresse » n'est pas une adresse électronique valide." in sortie
    assert not ComptePigp.objects.exists()
    assert "2 lignes ignorées" in sortie


def test_un_siret_invalide_est_signale_sans_bloquer_la_ligne(tmp_path, structures):
    sortie = injecter(tmp_path, f"login,email,sirets\nabc-xt,abc@dgfip.fr,12345678901234 ; {SIRET_PUBLIC}\n")
    assert "SIRET « 12345678901234 » écarté" in sortie
    assert Rattachement.objects.filter(utilisateur__email="abc@dgfip.fr", structure=structures["publique"]).exists()


def test_relancer_la_meme_injection_ne_change_rien(tmp_path, structures):
    contenu = (
        f"login,email,sirets\njdupont-xt,jean@dgfip.fr,{SIRET_PUBLIC}\nmmartin-xt,marie@dgfip.fr,{SIRET_INCONNU}\n"
    )
    injecter(tmp_path, contenu)
    avant = (Utilisateur.objects.count(), Rattachement.objects.count(), Habilitation.objects.count())
    sortie = injecter(tmp_path, contenu)
    assert (Utilisateur.objects.count(), Rattachement.objects.count(), Habilitation.objects.count()) == avant
    assert "Bilan : 0 compte créé, 2 comptes mis à jour, 0 rattachement créé, 0 ligne ignorée." in sortie
    assert "déjà rattaché à DDFiP du Finistère" in sortie


def test_une_nouvelle_injection_met_a_jour_l_adresse_et_rattache_les_nouveaux_siret(tmp_path, structures):
    injecter(tmp_path, f"login,email,sirets\njdupont-xt,jean@dgfip.fr,{SIRET_INCONNU}\n")
    autre = StructureFactory(est_publique=True, identifiant=SIRET_INCONNU)
    Structure.objects.filter(pk=autre.pk).update(statut=StatutStructure.ACTIVE)
    sortie = injecter(tmp_path, f"login,email,sirets\nJDUPONT-XT,jean.dupont@dgfip.fr,{SIRET_INCONNU}\n")
    compte = ComptePigp.objects.select_related("user").get()
    assert compte.user.email == "jean.dupont@dgfip.fr"
    assert Rattachement.objects.filter(utilisateur=compte.user, structure=autre, statut="ACTIF").exists()
    assert "compte mis à jour" in sortie and "1 rattachement créé" in sortie


def test_colonnes_manquantes(tmp_path, db):
    with pytest.raises(CommandError, match="Colonnes manquantes dans l'en-tête : sirets."):
        injecter(tmp_path, "login,email\njdupont-xt,jean@dgfip.fr\n")
