import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django_otp.models import Device, ThrottlingMixin


def _empreinte(code):
    return salted_hmac("organisation.CodeCourriel", code, algorithm="sha256").hexdigest()


class CodeCourriel(ThrottlingMixin, Device):
    """The 6-digit code sent to the login address while no application is declared.

    Only an HMAC of the code is stored; a code is valid 10 minutes and once.
    """

    empreinte = models.CharField(max_length=64, blank=True)
    valide_jusqu_a = models.DateTimeField(null=True, blank=True)
    envoye_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "code par courriel"

    def get_throttle_factor(self):
        return 1

    def nouveau_code(self):
        """Draw a new code, keep only its HMAC, and return the clear code for the mail."""
        code = f"{secrets.randbelow(10**6):06d}"
        now = timezone.now()
        self.empreinte = _empreinte(code)
        self.valide_jusqu_a = now + settings.CODE_COURRIEL_VALIDITE
        self.envoye_le = now
        self.save(update_fields=["empreinte", "valide_jusqu_a", "envoye_le"])
        return code

    @property
    def code_en_cours(self):
        return bool(self.empreinte) and self.valide_jusqu_a is not None and timezone.now() < self.valide_jusqu_a

    def correspond(self, code):
        return bool(self.empreinte) and constant_time_compare(self.empreinte, _empreinte(code))

    def verify_token(self, token):
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        token = str(token).strip()
        if self.code_en_cours and self.correspond(token):
            self.empreinte = ""
            self.valide_jusqu_a = None
            self.throttle_reset(commit=False)
            self.save()
            return True
        self.throttle_increment()
        return False
