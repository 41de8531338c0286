"""The CAPTCHA's audio alternative: a blind user hears the code the image shows (WCAG 1.1.1, RGAA 1.4)."""

import re
import wave
from io import BytesIO

import pytest
from captcha.models import CaptchaStore
from django.urls import reverse

from chorus.captcha_audio import PAUSE_SECONDES, SONS


def _trames(chemin_ou_octets):
    with wave.open(chemin_ou_octets if isinstance(chemin_ou_octets, str) else BytesIO(chemin_ou_octets), "rb") as son:
        return son.getparams(), son.readframes(son.getnframes())


@pytest.mark.parametrize("formulaire", ["organisation:inscription", "support:sollicitation_publique"])
def test_le_formulaire_propose_d_ecouter_le_code_de_l_image(client, db, formulaire):
    page = client.get(reverse(formulaire)).content.decode()
    cle = re.search(r'name="captcha_0" value="(\w+)"', page).group(1)
    son = reverse("captcha-audio", kwargs={"key": cle})
    assert f'src="{reverse("captcha-image", kwargs={"key": cle})}"' in page
    # an audio player labelled « Écouter le code », playing this very code, and the file itself
    libelle = re.search(r'<p class="fr-text--sm fr-mb-1v" id="(\w+)">Écouter le code</p>', page)
    assert libelle
    assert f'<audio controls preload="none" src="{son}" aria-labelledby="{libelle.group(1)}"' in page
    assert f'href="{son}"' in page
    assert "Obtenir un autre code" in page


def test_le_son_dit_les_chiffres_du_code(client, db):
    cle = CaptchaStore.generate_key()
    code = CaptchaStore.objects.get(hashkey=cle).challenge
    assert re.fullmatch(r"\d{6}", code)  # only characters that have a spoken sample

    reponse = client.get(reverse("captcha-audio", kwargs={"key": cle}))

    assert reponse.status_code == 200 and reponse["Content-Type"] == "audio/wav"
    params, trames = _trames(reponse.content)
    echantillons = [_trames(str(SONS / f"{chiffre}.wav")) for chiffre in code]
    # each digit's sample in the code's order, a silence between two
    pause = b"\x00" * (params.sampwidth * int(params.framerate * PAUSE_SECONDES))
    assert trames == pause.join(t for _, t in echantillons)
    assert (params.nchannels, params.framerate) == (echantillons[0][0].nchannels, echantillons[0][0].framerate)


def test_une_cle_inconnue_n_a_pas_de_son(client, db):
    assert client.get(reverse("captcha-audio", kwargs={"key": "inconnue"})).status_code == 404


def test_chaque_chiffre_a_son_echantillon_court():
    for chiffre in "0123456789":
        params, trames = _trames(str(SONS / f"{chiffre}.wav"))
        assert params.nchannels == 1 and 0.3 < params.nframes / params.framerate < 2
