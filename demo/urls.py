from django.urls import path

from demo import views

app_name = "demo"

urlpatterns = [
    path("demo/boite-mail/", views.boite_mail, name="boite_mail"),
    path("demo/matelas.csv", views.matelas, name="matelas"),
]
