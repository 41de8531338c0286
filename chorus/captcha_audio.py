"""The CAPTCHA's audio alternative (WCAG 1.1.1, RGAA criterion 1.4): the challenge is digits, and each digit's spoken
sample (chorus/sons_captcha, generated once by generer.py) is joined at request time with the `wave` module, so the
portal needs no speech synthesiser and works offline."""

import random
import wave
from functools import cache
from io import BytesIO
from pathlib import Path

from captcha.fields import CaptchaField, CaptchaTextInput
from captcha.models import CaptchaStore
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone

SONS = Path(__file__).resolve().parent / "sons_captcha"
CHIFFRES = "0123456789"
PAUSE_SECONDES = 0.4  # between two digits, so that each is heard apart


def chiffres():
    """CAPTCHA_CHALLENGE_FUNCT: digits only, the characters the audio can speak. Returns (challenge, response)."""
    code = "".join(random.SystemRandom().choice(CHIFFRES) for _ in range(settings.CAPTCHA_LENGTH))
    return code, code


@cache
def echantillon(chiffre):
    """(parameters, frames) of one spoken digit."""
    with wave.open(str(SONS / f"{chiffre}.wav"), "rb") as son:
        return son.getparams(), son.readframes(son.getnframes())


def trames_du_code(code):
    """The frames of the whole code: each digit's sample, a pause between two."""
    params = echantillon(CHIFFRES[0])[0]
    pause = b"\x00" * (params.sampwidth * params.nchannels * int(params.framerate * PAUSE_SECONDES))
    return params, pause.join(echantillon(c)[1] for c in code)


@login_not_required
def audio(request, key):
    store = CaptchaStore.objects.filter(hashkey=key, expiration__gt=timezone.now()).first()
    if store is None:
        raise Http404
    params, trames = trames_du_code(store.challenge)
    sortie = BytesIO()
    with wave.open(sortie, "wb") as son:
        son.setnchannels(params.nchannels)
        son.setsampwidth(params.sampwidth)
        son.setframerate(params.framerate)
        son.writeframes(trames)
    reponse = HttpResponse(sortie.getvalue(), content_type="audio/wav")
    reponse["Cache-Control"] = "no-store"
    return reponse


class CaptchaAvecAudio(CaptchaTextInput):
    """The image, its spoken version and a way to get another code, in DSFR markup."""

    template_name = "includes/captcha.html"

    def audio_url(self):
        return reverse("captcha-audio", kwargs={"key": self._key})


def champ_captcha():
    """The CAPTCHA of the forms filled before any login (sign-up, a ticket without an account)."""
    return CaptchaField(
        label="Reproduire la suite de caractères",
        help_text="Recopiez les chiffres de l'image, ou écoutez-les avec « Écouter le code ».",
        widget=CaptchaAvecAudio,
        error_messages={
            "required": "Recopiez la suite de caractères de l'image.",
            "invalid": "La suite de caractères ne correspond pas à l'image : recopiez la nouvelle image.",
        },
    )
