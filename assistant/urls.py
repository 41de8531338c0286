from django.urls import path

from assistant import views

app_name = "assistant"

urlpatterns = [
    path("assistant/", views.accueil, name="accueil"),
    path("assistant/articles/", views.articles, name="articles"),
    path("assistant/articles/<slug:slug>/", views.article, name="article"),
]
