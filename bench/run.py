"""Page timings and SQL query counts of the portal shell, measured in-process with Django's test client on the
configured database. Prints one line per page; docs/benchmarks.md keeps the figures.

    make bench                      # embedded default (SQLite)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/run.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chorus.settings.base")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402

from demo.comptes import charger_comptes  # noqa: E402
from organisation.matelas import COMPTES  # noqa: E402
from organisation.middleware import CLE_CONNECTE_LE  # noqa: E402
from organisation.models import Utilisateur  # noqa: E402
from organisation.services.second_facteur import appareil_code_courriel  # noqa: E402

REPETITIONS = int(os.environ.get("BENCH_REPETITIONS", 200))


def client_connecte(utilisateur):
    client = Client()
    client.force_login(utilisateur, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = appareil_code_courriel(utilisateur).persistent_id
    session[CLE_CONNECTE_LE] = timezone.now().isoformat()
    session.save()
    return client


def mesurer(nom, client, url, repetitions=None):
    client.get(url)  # warm-up (templates, session activity)
    requetes = []
    # counted by a wrapper: the connection is reopened per request, which resets Django's own query log
    with connection.execute_wrapper(lambda execute, sql, *args: requetes.append(sql) or execute(sql, *args)):
        reponse = client.get(url)
        if reponse.streaming:
            b"".join(reponse.streaming_content)
    durees = []
    for _ in range(repetitions or REPETITIONS):
        debut = time.perf_counter()
        reponse = client.get(url)
        if reponse.streaming:
            b"".join(reponse.streaming_content)  # the download is the work, not only its first byte
        durees.append((time.perf_counter() - debut) * 1000)
    assert reponse.status_code == 200, (url, reponse.status_code)
    durees.sort()
    p95 = durees[int(len(durees) * 0.95) - 1]
    print(f"{nom:<34} {statistics.median(durees):7.2f} ms médiane  {p95:7.2f} ms p95  {len(requetes):3d} requêtes SQL")


def volume(structure):
    """Enough rows to see whether a page's cost grows with them: 300 public structures with 3 services each for the
    directory, 60 users attached to the public entity."""
    from organisation.enums import Application, Niveau, StatutRattachement, TypeIdentifiant
    from organisation.matelas import siret_fictif
    from organisation.models import Habilitation, Rattachement, Service, Structure

    if Structure.objects.filter(raison_sociale__startswith="Banc ").count() >= 300:
        return
    for i in range(300):
        banc = Structure.objects.create(
            type_identifiant=TypeIdentifiant.SIRET,
            identifiant=siret_fictif(500000 + i),
            raison_sociale=f"Banc {i:03d} – Collectivité",
            est_publique=True,
        )
        Service.objects.bulk_create(Service(structure=banc, code=f"S{j}", libelle=f"Service {j}") for j in range(3))
    for i in range(60):
        utilisateur = Utilisateur.objects.create_user(
            email=f"banc{i}@demo.chorus-pro.example", prenom="Banc", nom=f"{i:03d}", is_active=True
        )
        rattachement = Rattachement.objects.create(
            utilisateur=utilisateur, structure=structure, statut=StatutRattachement.ACTIF
        )
        Habilitation.objects.create(
            rattachement=rattachement, application=Application.FACTURES_RECUES, niveau=Niveau.MODIFICATION
        )


def volume_factures(fournisseur, destinataire, nombre=2000):
    """Invoices from the demo supplier to the demo commune, spread over the statuses a recipient meets."""
    from decimal import Decimal

    from facturation.models import Facture, FactureHistorique, LigneFacture

    if Facture.objects.filter(numero__startswith="BANC-").count() >= nombre:
        return
    statuts = ["MISE_A_DISPOSITION", "SERVICE_FAIT", "SUSPENDUE", "MISE_EN_PAIEMENT", "REJETEE", "COMPLETEE"]
    maintenant = timezone.now()
    service = destinataire.services.first()
    factures = Facture.objects.bulk_create(
        Facture(
            numero=f"BANC-{i:06d}",
            date_facture=maintenant.date(),
            fournisseur=fournisseur,
            destinataire=destinataire,
            service_destinataire=service,
            statut=statuts[i % len(statuts)],
            statut_depuis=maintenant,
            deposee_le=maintenant - timezone.timedelta(days=i % 60),
            mode_depot="SAISIE_PORTAIL",
            delai_paiement_jours=30,
            total_ht=Decimal("100.00") + i,
            total_tva=Decimal("20.00"),
            total_ttc=Decimal("120.00") + i,
            net_a_payer=Decimal("120.00") + i,
        )
        for i in range(nombre)
    )
    LigneFacture.objects.bulk_create(
        LigneFacture(
            facture=f,
            numero=1,
            designation="Ligne",
            quantite=1,
            prix_unitaire_ht=f.total_ht,
            taux_tva=20,
            montant_ht=f.total_ht,
        )
        for f in factures
    )
    FactureHistorique.objects.bulk_create(
        FactureHistorique(facture=f, action="deposer", de_statut="BROUILLON", vers_statut=f.statut) for f in factures
    )


def main():
    setup_test_environment()
    charger_comptes()
    fournisseur = Utilisateur.objects.get(email=COMPTES[0].login)
    entite = Utilisateur.objects.get(email=COMPTES[1].login)
    structure_entite = entite.rattachements.get().structure
    volume(structure_entite)
    anonyme = Client()
    connecte = client_connecte(fournisseur)
    print(f"base : {connection.vendor}, {REPETITIONS} requêtes par page")
    mesurer("accueil (anonyme)", anonyme, "/")
    mesurer("connexion (anonyme)", anonyme, "/connexion/")
    mesurer("créer un compte (anonyme, CAPTCHA)", anonyme, "/compte/creer/")
    mesurer("accueil (connecté)", connecte, "/")
    mesurer("mon compte (connecté)", connecte, "/mon-compte/")
    mesurer("mes facteurs (connecté)", connecte, "/mon-compte/facteurs/")
    gestionnaire = client_connecte(entite)
    pk = structure_entite.pk
    mesurer("structure (fiche complète)", gestionnaire, f"/organisation/structures/{pk}/")
    mesurer("utilisateurs (61, page 1)", gestionnaire, f"/organisation/structures/{pk}/utilisateurs/")
    mesurer("approbations", gestionnaire, "/organisation/approbations/")
    mesurer("annuaire (302 structures, page 1)", gestionnaire, "/organisation/annuaire/")
    mesurer("annuaire recherche « Banc 1 »", gestionnaire, "/organisation/annuaire/?q=Banc+1")
    mesurer("annuaire CSV complet (302)", gestionnaire, "/organisation/annuaire/annuaire.csv", repetitions=10)
    mesurer("annuaire XML complet (302)", gestionnaire, "/organisation/annuaire/annuaire.xml", repetitions=10)

    from facturation.matelas import charger_factures
    from facturation.models import Facture

    charger_factures()
    volume_factures(fournisseur.rattachements.get().structure, structure_entite)
    total = Facture.objects.filter(destinataire=structure_entite).count()
    une = Facture.objects.filter(numero="DEMO-2026-001").values_list("pk", flat=True).get()
    mesurer(f"reçues : synthèse ({total} factures)", gestionnaire, "/factures/recues/")
    mesurer("reçues : rechercher, page 1", gestionnaire, "/factures/recues/rechercher/")
    mesurer("reçues : rechercher « Service fait »", gestionnaire, "/factures/recues/rechercher/?statut=SERVICE_FAIT")
    mesurer("reçues : tableau de bord", gestionnaire, "/factures/recues/tableau-de-bord/")
    mesurer("reçues : consulter une facture", gestionnaire, f"/factures/recues/{une}/")
    mesurer(f"reçues : export CSV ({total})", gestionnaire, "/factures/recues/rechercher/export.csv", repetitions=5)
    # the XLSX is built by a Celery task since issue #16: bench/exports.py times it
    mesurer("émises : synthèse", connecte, "/factures/emises/")
    mesurer("émises : rechercher, page 1", connecte, "/factures/emises/rechercher/")
    mesurer("émises : consulter une facture", connecte, f"/factures/emises/{une}/")
    mesurer("saisir une facture (formulaire)", connecte, "/factures/emises/saisir/")

    support(fournisseur, entite, connecte, gestionnaire)


def support(fournisseur, entite, connecte, gestionnaire):
    """Tickets, « Mes messages » and the assistant (version 0.7.0), with 300 more tickets and messages."""
    from communication.services import notifier_plusieurs
    from support.enums import Destination
    from support.matelas import charger_sollicitations
    from support.models import Sollicitation, SousCategorie
    from support.services.sollicitations import sollicitation_creer

    charger_sollicitations()
    agent = Utilisateur.objects.get(est_agent_support=True, email__startswith="support@")
    sous_categorie = SousCategorie.objects.filter(categorie__destination=Destination.SUPPORT).first()
    for i in range(300 - Sollicitation.objects.filter(demandeur=fournisseur).count()):
        sollicitation_creer(par=fournisseur, sous_categorie=sous_categorie, objet=f"Banc {i}", message="Question")
    for i in range(300):
        notifier_plusieurs(destinataires=[fournisseur], titre=f"Banc {i}", lien="/", categorie="FACTURE")
    tickets = Sollicitation.objects.filter(demandeur=fournisseur).count()
    une = Sollicitation.objects.filter(demandeur=fournisseur).order_by("pk").values_list("pk", flat=True).first()
    guichet = client_connecte(agent)
    mesurer(f"suivi des tickets ({tickets}, page 1)", connecte, "/sollicitations/")
    mesurer("suivi des tickets : un fil", connecte, f"/sollicitations/{une}/")
    mesurer("sollicitations reçues (entité)", gestionnaire, "/sollicitations/recues/")
    mesurer("file du support (toutes)", guichet, "/support/sollicitations/?file=toutes")
    mesurer(f"suivi des tickets : export CSV ({tickets})", connecte, "/sollicitations/?export=csv", repetitions=10)
    mesurer("mes messages (300+, page 1)", connecte, "/mes-messages/")
    mesurer("assistant : une question", connecte, "/assistant/?q=comment+d%C3%A9poser+une+facture")
    mesurer("assistant : une facture par son numéro", connecte, "/assistant/?q=o%C3%B9+en+est+DEMO-2026-003")


if __name__ == "__main__":
    main()
