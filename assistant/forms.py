from django import forms

from assistant.selectors import LONGUEUR_MAX_QUESTION


class QuestionForm(forms.Form):
    q = forms.CharField(
        label="Votre question",
        max_length=LONGUEUR_MAX_QUESTION,
        strip=True,
        error_messages={
            "required": "Votre question : saisissez quelques mots, par exemple « créer un compte ».",
            "max_length": "Votre question : elle ne doit pas dépasser %(limit_value)d caractères "
            "(elle en compte %(show_value)d).",
        },
    )
