from axes.helpers import get_client_ip_address
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator

from organisation.forms import MotDePasseOublieForm, NouveauMotDePasseForm
from organisation.services.reinitialisation import reinitialisation_permise


@method_decorator(login_not_required, name="dispatch")
class MotDePasseOublie(auth_views.PasswordResetView):
    form_class = MotDePasseOublieForm
    template_name = "organisation/mot_de_passe_oublie.html"
    success_url = reverse_lazy("organisation:mot_de_passe_envoye")

    def form_valid(self, form):
        if reinitialisation_permise(form.cleaned_data["email"], get_client_ip_address(self.request)):
            return super().form_valid(form)
        # throttled: the same answer as a mail sent, so that nobody learns whether the address has an account
        return HttpResponseRedirect(self.get_success_url())


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
