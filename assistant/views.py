"""The assistant's pages. All public: the widget shows on the login page too; only the invoice lookup needs a
signed-in user, and the selector answers nothing for an anonymous one."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assistant import selectors
from assistant.forms import QuestionForm


@login_not_required
@require_GET
def accueil(request):
    """The answer to a question: the full page without JavaScript, the fragment (?fragment=1) for the widget."""
    form = QuestionForm(request.GET if "q" in request.GET else None)
    reponse = selectors.repondre(request.user, form.cleaned_data["q"]) if form.is_valid() else None
    contexte = {"form": form, "reponse": reponse, "page_assistant": True}
    if request.GET.get("fragment") == "1":
        return render(request, "assistant/_reponse.html", contexte)
    return render(request, "assistant/accueil.html", contexte)


@login_not_required
@require_GET
def articles(request):
    return render(request, "assistant/articles.html", {"themes": selectors.articles_par_theme()})


@login_not_required
@require_GET
def article(request, slug):
    return render(request, "assistant/article.html", {"article": selectors.article_publie_ou_404(slug)})
