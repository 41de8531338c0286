from django.shortcuts import render


def creer_structure(request):
    return render(request, "organisation/creer_structure.html")


def demander_rattachement(request):
    return render(request, "organisation/demander_rattachement.html")
