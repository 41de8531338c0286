"""Fault 11: a slow client (slowloris: headers one byte at a time) and a client that stops in the middle of an
upload. Gunicorn as configured for production (gunicorn.conf.py) cuts the slow one when its worker's `timeout` is up,
while a normal client is served at once by another worker; a client gone mid-upload leaves the server serving and
nothing saved (an anonymous post here: the portal refuses it before reading the body).

The timeout is 60 s in production; the test runs gunicorn with GUNICORN_TIMEOUT=8 to stay short."""

import contextlib
import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from facturation.models import Facture
from raccordement.models import Flux
from tests.fiabilite.conftest import attendre
from tests.fiabilite.serveurs import port_libre
from tests.test_worker import RACINE, url_base_de_test

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        importlib.util.find_spec("gunicorn") is None, reason="gunicorn absent de l'environnement : make install"
    ),
]

DELAI = 8


@pytest.fixture
def gunicorn(tmp_path):
    port = port_libre()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "chorus.settings.test",
        "DATABASE_URL": url_base_de_test(),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_TIMEOUT": str(DELAI),
        "GUNICORN_GRACEFUL_TIMEOUT": "5",  # the teardown's stop does not wait on a worker a test left busy
    }
    journal = (tmp_path / "gunicorn.log").open("wb")
    p = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "chorus.wsgi", "-c", "gunicorn.conf.py"],
        cwd=RACINE,
        env=env,
        stdout=journal,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    assert attendre(lambda: _servi(url) == 200, delai=60), (tmp_path / "gunicorn.log").read_text()
    yield url
    p.terminate()
    p.wait(timeout=30)


def _servi(url):
    with contextlib.suppress(OSError), urllib.request.urlopen(f"{url}/connexion/", timeout=5) as reponse:  # noqa: S310 — http://127.0.0.1
        return reponse.status
    return None


def _coupe(client, debut, limite):
    """Seconds from `debut` until the server closes on a client that sends one header byte every 0.2 s (None: never
    cut)."""
    client.settimeout(0.2)
    while time.monotonic() - debut < limite:
        try:
            client.sendall(b"X")
            if client.recv(1024) == b"":
                return time.monotonic() - debut
        except TimeoutError:
            continue
        except OSError:
            return time.monotonic() - debut
    return None


def test_un_client_lent_est_coupe_et_les_autres_servis(gunicorn):
    port = int(gunicorn.rsplit(":", 1)[1])
    for _ in range(4):  # both workers have served once (a first request is slow on a busy machine)
        assert _servi(gunicorn) == 200
    lent = socket.create_connection(("127.0.0.1", port))
    debut_lent = time.monotonic()
    lent.sendall(b"GET /connexion/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Lent: ")
    time.sleep(0.5)  # a worker now waits on it
    debut = time.monotonic()
    assert _servi(gunicorn) == 200
    servi_en, servi_a = time.monotonic() - debut, time.monotonic() - debut_lent

    coupe_apres = _coupe(lent, debut_lent, limite=DELAI * 5)
    lent.close()
    print(f"client lent coupé après {coupe_apres} s ; client normal servi en {servi_en:.2f} s")
    assert coupe_apres is not None, "le client lent n'a pas été coupé"
    assert DELAI * 0.5 < coupe_apres < DELAI * 4
    assert servi_a < coupe_apres  # served while the slow one still held its worker


def test_un_televersement_coupe_au_milieu_n_enregistre_rien(gunicorn):
    port = int(gunicorn.rsplit(":", 1)[1])
    coupe = socket.create_connection(("127.0.0.1", port))
    coupe.sendall(
        b"POST /factures/emises/deposer/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: multipart/form-data; boundary=xx\r\nContent-Length: 1000000\r\n\r\n"
        b'--xx\r\nContent-Disposition: form-data; name="fichier"; filename="f.xml"\r\n\r\n' + b"<" * 20_000
    )
    coupe.close()  # the client goes away with 2 % of its body sent
    assert _servi(gunicorn) == 200
    assert attendre(lambda: _servi(gunicorn) == 200, delai=DELAI * 3)
    assert not Facture.objects.exists() and not Flux.objects.exists()


# --- authenticated clients: a portal session and an API technical account -----------------------------------------

JETON_CSRF = "a" * 32  # any well-formed token: cookie and header agree, as the portal's own script sends them


def _session_du_portail(client):
    """A logged-in supplier's cookies (password and second factor done), read from the shared test database by the
    gunicorn workers."""
    from tests.conftest import connecter
    from tests.fiabilite.depots import Deposant

    depot = Deposant("COUPE")
    connecter(client, depot.utilisateur)
    return depot, f"sessionid={client.cookies['sessionid'].value}; csrftoken={JETON_CSRF}"


def _envoi(port, entetes, debut_du_corps, longueur=1_000_000):
    client = socket.create_connection(("127.0.0.1", port))
    client.sendall(
        b"".join(f"{nom}: {valeur}\r\n".encode() for nom, valeur in entetes)
        + f"Content-Length: {longueur}\r\n\r\n".encode()
        + debut_du_corps
    )
    return client


def _portail(port, cookies):
    return [
        ("POST /raccordement/flux/deposer/ HTTP/1.1\r\nHost", "127.0.0.1"),
        ("Cookie", cookies),
        ("X-CSRFToken", JETON_CSRF),
        ("Content-Type", "multipart/form-data; boundary=xx"),
    ]


def _api(client):
    from raccordement.models import CompteTechnique  # noqa: F401 — the account lives in the shared database
    from tests.raccordement.test_api_socle import Integrateur

    integrateur = Integrateur()
    entetes = integrateur.entetes(client)
    return [
        ("POST /cpro/factures/v1/deposer/flux HTTP/1.1\r\nHost", "127.0.0.1"),
        ("Authorization", entetes["HTTP_AUTHORIZATION"]),
        ("cpro-account", entetes["HTTP_CPRO_ACCOUNT"]),
        ("Content-Type", "application/json"),
    ]


def test_des_clients_authentifies_qui_coupent_au_milieu_n_enregistrent_rien(gunicorn, client):
    port = int(gunicorn.rsplit(":", 1)[1])
    _, cookies = _session_du_portail(client)
    corps_portail = b'--xx\r\nContent-Disposition: form-data; name="fichier"; filename="lot.tar.gz"\r\n\r\n'
    for entetes, corps in ((_portail(port, cookies), corps_portail + b"\x1f\x8b" * 10_000), (_api(client), b'{"f')):
        coupe = _envoi(port, entetes, corps)
        time.sleep(0.3)  # a worker has started reading the body
        coupe.close()  # gone with a few per cent of its body sent
    assert attendre(lambda: _servi(gunicorn) == 200, delai=DELAI * 3)
    assert _servi(gunicorn) == 200
    assert not Facture.objects.exists() and not Flux.objects.exists()


@pytest.mark.parametrize("cote", ["portail", "API"])
def test_des_clients_authentifies_qui_envoient_leur_corps_octet_par_octet_sont_coupes(gunicorn, client, cote):
    """A slowloris of the body: the headers whole (a valid session, a valid token), then one byte at a time. The
    worker it holds is cut at the timeout, and the other serves meanwhile: the API reads the body before its
    transaction opens (on SQLite a transaction left open would stop every other request)."""
    port = int(gunicorn.rsplit(":", 1)[1])
    for _ in range(4):
        assert _servi(gunicorn) == 200
    entetes = _portail(port, _session_du_portail(client)[1]) if cote == "portail" else _api(client)
    debut = time.monotonic()
    lent = _envoi(port, entetes, b"-", longueur=10_000)
    time.sleep(0.5)
    assert _servi(gunicorn) == 200  # the other worker serves meanwhile
    coupe_apres = _coupe(lent, debut, limite=DELAI * 5)
    lent.close()
    print(f"client authentifié lent ({cote}) coupé après {coupe_apres} s")
    assert coupe_apres is not None and coupe_apres < DELAI * 4
    assert not Facture.objects.exists() and not Flux.objects.exists()
