"""PIGP accounts (chorus-pro-features.md row 6): the identity the DGFiP injects.

Where things are stored, and why:
- `Utilisateur.email` is the login field of the portal and must be a unique address that receives mail: it holds
  the account's *contact* e-mail given by the DGFiP. The PIGP login ("…-xt"), which is not an e-mail address and is
  never typed on Chorus Pro's login page, lives here in `login` (unique, lower case).
- The same row is the django-otp device of the account's sessions: the PIGP portal has authenticated the agent
  upstream, and that authentication stands for Chorus Pro's second factor (release notes V3.9, §1.1). It never
  accepts a code, so it cannot be used on the code page.
- `derniere_assertion` makes each assertion of the PIGP portal single use (organisation/pigp.py).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_otp.models import Device


class ComptePigp(Device):
    # one per account: a OneToOne instead of Device's plain foreign key
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="compte_pigp")
    login = models.CharField("identifiant PIGP", max_length=150, unique=True, help_text="Se termine par « -xt »")
    sirets = models.JSONField("SIRET déclarés par la DGFiP", default=list, blank=True)
    injecte_le = models.DateTimeField("dernière injection", default=timezone.now)
    # Unix time of the last assertion accepted from the PIGP portal; one that is not strictly newer is refused.
    derniere_assertion = models.PositiveBigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "compte PIGP"
        verbose_name_plural = "comptes PIGP"

    def __str__(self):
        return self.login

    def verify_token(self, token):
        # The factor is the upstream authentication, not a code: no code ever matches.
        return False
