"""Reads of « Mes exports »: a user sees and downloads only the exports they asked for."""

from django.shortcuts import get_object_or_404
from django.utils import timezone

from exports.models import DemandeExport, EtatExport


def mes_exports(user):
    return DemandeExport.objects.filter(demandeur=user, expire_le__gt=timezone.now()).order_by("-cree_le", "-pk")


def mon_export_ou_404(user, pk):
    return get_object_or_404(mes_exports(user), pk=pk)


def mon_export_pret_ou_404(user, pk):
    return get_object_or_404(mes_exports(user).exclude(fichier=""), pk=pk, etat=EtatExport.PRET)


def en_cours(user):
    return mes_exports(user).filter(etat__in=(EtatExport.EN_ATTENTE, EtatExport.EN_COURS)).exists()
