"""The lifecycle messages by API (issue #6, « Lifecycle out »: « available by API and in the drop directory »). No
published Chorus Pro service carries them, so this one is the project's own, named in Chorus Pro's manner:
`transverses/v1/recuperer/cyclesDeVie` gives the structure's messages not yet acknowledged, oldest first; the client
acknowledges the ones it has stored in its next call (`listeIdMessagesRecus`), so a client that crashes between the
two calls receives them again, never loses one."""

import base64

from django.utils import timezone

from raccordement.api.schema import liste, objet
from raccordement.api.vues import ErreurDonnees, ServiceCpro, champ, est_identifiant
from raccordement.models import MessageCycleVie
from raccordement.services.cycle_vie import contenu_message

PAR_APPEL_MAX = 200


class RecupererCyclesDeVie(ServiceCpro):
    """Les messages de cycle de vie des factures déposées par flux (statut, date, motif, complément de 80 caractères
    au plus, et le message CDAR de la réforme 2026 quand le statut en a un), non encore acquittés ; acquittez ceux que
    vous avez enregistrés avec listeIdMessagesRecus."""

    requete = objet(
        {
            "listeIdMessagesRecus": {"type": "array", "items": {"type": "integer"}},
            "nbMessagesMax": {"type": "integer", "minimum": 1, "maximum": PAR_APPEL_MAX},
        }
    )
    reponse = {
        "listeCyclesDeVie": liste(
            {
                "idMessage": {"type": "integer"},
                "numeroFacture": {"type": "string"},
                "identifiantFactureCPP": {"type": "integer", "nullable": True},
                "statut": {"type": "string"},
                "codeStatutReforme": {"type": "string"},
                "dateStatut": {"type": "string"},
                "motif": {"type": "string"},
                "complementStatut": {"type": "string"},
                "messageCdar": {"type": "string", "nullable": True},
            }
        ),
        "nbMessagesAcquittes": {"type": "integer"},
    }

    def traiter(self, request, corps):
        structure = request.auth.structure
        recus = corps.get("listeIdMessagesRecus") or []
        if not isinstance(recus, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in recus):
            raise ErreurDonnees(
                "listeIdMessagesRecus : une liste d'entiers est attendue.", champ="listeIdMessagesRecus"
            )
        recus = [i for i in recus if est_identifiant(i)]
        acquittes = MessageCycleVie.objects.filter(structure=structure, pk__in=recus, remis_le__isnull=True).update(
            remis_le=timezone.now()
        )
        nombre = champ(corps, "nbMessagesMax", type_=int, defaut=PAR_APPEL_MAX)
        if not 1 <= nombre <= PAR_APPEL_MAX:
            raise ErreurDonnees(f"nbMessagesMax : entre 1 et {PAR_APPEL_MAX}.", champ="nbMessagesMax")
        messages = (
            MessageCycleVie.objects.filter(structure=structure, remis_le__isnull=True)
            .select_related("structure", "facture__fournisseur", "facture__destinataire", "flux_facture__flux")
            .order_by("cree_le", "pk")[:nombre]
        )
        return {
            "listeCyclesDeVie": [
                {
                    "idMessage": m.pk,
                    "numeroFacture": m.numero_facture,
                    "identifiantFactureCPP": m.facture_id,
                    "statut": m.statut,
                    "codeStatutReforme": m.code_cdar,
                    "dateStatut": m.date_statut.isoformat(),
                    "motif": m.motif,
                    "complementStatut": m.complement,
                    "messageCdar": base64.b64encode(contenu_message(m)).decode() if m.code_cdar else None,
                }
                for m in messages
            ],
            "nbMessagesAcquittes": acquittes,
        }
