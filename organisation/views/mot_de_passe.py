from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator

from organisation.forms import MotDePasseOublieForm, NouveauMotDePasseForm


@method_decorator(login_not_required, name="dispatch")
class MotDePasseOublie(auth_views.PasswordResetView):
    form_class = MotDePasseOublieForm
    template_name = "organisation/mot_de_passe_oublie.html"
    success_url = reverse_lazy("organisation:mot_de_passe_envoye")


@method_decorator(login_not_required, name="dispatch")
class MotDePasseEnvoye(auth_views.PasswordResetDoneView):
    template_name = "organisation/mot_de_passe_envoye.html"


@method_decorator(login_not_required, name="dispatch")
class MotDePasseNouveau(auth_views.PasswordResetConfirmView):
    form_class = NouveauMotDePasseForm
    template_name = "organisation/mot_de_passe_nouveau.html"
    success_url = reverse_lazy("organisation:mot_de_passe_change")
    post_reset_login = False  # the second factor is still asked at the next login


@method_decorator(login_not_required, name="dispatch")
class MotDePasseChange(auth_views.PasswordResetCompleteView):
    template_name = "organisation/mot_de_passe_change.html"
