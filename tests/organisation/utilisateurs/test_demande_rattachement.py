from django.core import mail
from django.urls import reverse

from organisation.enums import StatutRattachement, StatutStructure, TypeIdentifiant
from organisation.models import Rattachement, Service
from tests.factories import StructureFactory
from tests.organisation.utilisateurs.conftest import client_de, texte

URL = reverse("organisation:demander_rattachement")
AUCUNE = "Aucune structure active ne correspond à cet identifiant."


def rechercher(client, identifiant, type_identifiant=TypeIdentifiant.SIRET):
    return client.get(URL, {"type_identifiant": type_identifiant, "identifiant": identifiant})


def demander(client, structure, capture, **donnees):
    parametres = f"?type_identifiant={structure.type_identifiant}&identifiant={structure.identifiant}"
    with capture(execute=True):
        return client.post(URL + parametres, {"portee": "structure", **donnees})


def test_la_recherche_montre_la_structure_et_ses_services_actifs(demandeur, structure, services):
    Service.objects.create(structure=structure, code="VIEUX", libelle="Service fermé", actif=False)
    siret = structure.identifiant
    page = texte(rechercher(client_de(demandeur), f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"))
    assert "Mairie de Testville" in page and structure.identifiant in page
    assert "Structure privée" in page
    assert "S1" in page and "Comptabilité" in page and "Achats" in page
    assert "Service fermé" not in page
    assert "Demander le rattachement" in page


def test_une_structure_inconnue_inactive_ou_en_attente_n_est_pas_trouvee(demandeur, structure, gp):
    client = client_de(demandeur)
    assert AUCUNE in texte(rechercher(client, "73282932000074"))
    assert AUCUNE in texte(rechercher(client, structure.identifiant, TypeIdentifiant.RIDET))
    publique = StructureFactory(gestionnaire=gp, est_publique=True)
    assert publique.statut == StatutStructure.EN_ATTENTE_VALIDATION
    assert AUCUNE in texte(rechercher(client, publique.identifiant))
    structure.statut = StatutStructure.INACTIVE
    structure.save()
    page = texte(rechercher(client, structure.identifiant))
    assert AUCUNE in page and "Demander le rattachement" not in page


def test_identifiant_obligatoire(demandeur):
    page = texte(client_de(demandeur).get(URL, {"type_identifiant": "SIRET", "identifiant": ""}))
    assert "Saisissez l'identifiant de la structure recherchée." in page


def test_demander_un_rattachement_a_toute_la_structure(demandeur, structure, gp, django_capture_on_commit_callbacks):
    client = client_de(demandeur)
    reponse = demander(client, structure, django_capture_on_commit_callbacks, message="Je suis la comptable.")
    assert reponse.status_code == 302 and reponse.url == reverse("organisation:mon_compte")
    rattachement = Rattachement.objects.get(utilisateur=demandeur)
    assert rattachement.statut == StatutRattachement.EN_ATTENTE
    assert rattachement.message == "Je suis la comptable."
    assert list(rattachement.services.all()) == []
    assert [m.to for m in mail.outbox] == [[gp.email]]
    assert "Denise Demandeuse" in mail.outbox[0].body
    page = texte(client.get(reponse.url))
    assert "attend l'approbation d'un gestionnaire de la structure : un courriel vous informera" in page
    assert "Demande en attente d'approbation" in page


def test_demander_un_rattachement_a_certains_services(
    demandeur, structure, services, django_capture_on_commit_callbacks
):
    reponse = demander(
        client_de(demandeur),
        structure,
        django_capture_on_commit_callbacks,
        portee="services",
        services=[services[1].pk],
    )
    assert reponse.status_code == 302
    assert list(Rattachement.objects.get(utilisateur=demandeur).services.all()) == [services[1]]
    assert "S2" in mail.outbox[0].body


def test_certains_services_sans_en_cocher_est_refuse(
    demandeur, structure, services, django_capture_on_commit_callbacks
):
    reponse = demander(client_de(demandeur), structure, django_capture_on_commit_callbacks, portee="services")
    assert reponse.status_code == 200
    assert "Cochez au moins un service, ou demandez un rattachement à toute la structure." in texte(reponse)
    assert not Rattachement.objects.filter(utilisateur=demandeur).exists()
    assert mail.outbox == []


def test_un_service_d_une_autre_structure_ou_inactif_est_refuse(
    demandeur, structure, services, etranger, django_capture_on_commit_callbacks
):
    autre = Service.objects.create(structure=etranger.rattachements.get().structure, code="X", libelle="X")
    ferme = Service.objects.create(structure=structure, code="F", libelle="Fermé", actif=False)
    for service in (autre, ferme):
        reponse = demander(
            client_de(demandeur), structure, django_capture_on_commit_callbacks, portee="services",
            services=[service.pk],
        )  # fmt: skip
        assert "Choisissez des services actifs de cette structure." in texte(reponse)
    assert not Rattachement.objects.filter(utilisateur=demandeur).exists()


def test_message_trop_long(demandeur, structure, django_capture_on_commit_callbacks):
    reponse = demander(client_de(demandeur), structure, django_capture_on_commit_callbacks, message="x" * 1001)
    assert "Le message ne peut pas dépasser 1 000 caractères." in texte(reponse)
    assert not Rattachement.objects.filter(utilisateur=demandeur).exists()


def test_une_demande_en_double_est_refusee(demandeur, structure, django_capture_on_commit_callbacks):
    client = client_de(demandeur)
    demander(client, structure, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    page = texte(rechercher(client, structure.identifiant))
    assert "Votre demande de rattachement à cette structure attend déjà l'approbation d'un gestionnaire." in page
    assert "Demander le rattachement" not in page
    reponse = demander(client, structure, django_capture_on_commit_callbacks)
    assert reponse.status_code == 200
    assert "Une demande de rattachement à cette structure est déjà en attente d'approbation." in texte(reponse)
    assert Rattachement.objects.filter(utilisateur=demandeur).count() == 1 and mail.outbox == []


def test_deja_rattache(lecteur, structure, django_capture_on_commit_callbacks):
    client = client_de(lecteur)
    assert "Vous êtes déjà rattaché à cette structure." in texte(rechercher(client, structure.identifiant))
    reponse = demander(client, structure, django_capture_on_commit_callbacks)
    assert "Vous êtes déjà rattaché à cette structure." in texte(reponse)
    assert Rattachement.objects.get(utilisateur=lecteur).statut == StatutRattachement.ACTIF


def test_une_structure_devenue_inactive_entre_la_recherche_et_la_demande(
    demandeur, structure, django_capture_on_commit_callbacks
):
    structure.statut = StatutStructure.INACTIVE
    structure.save()
    reponse = demander(client_de(demandeur), structure, django_capture_on_commit_callbacks)
    assert reponse.status_code == 200 and AUCUNE in texte(reponse)
    assert not Rattachement.objects.filter(utilisateur=demandeur).exists()


def test_anonyme_redirige_vers_la_connexion(db):
    reponse = client_de(None).get(URL)
    assert reponse.status_code == 302 and reponse.url.startswith("/connexion/")
