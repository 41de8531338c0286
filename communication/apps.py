from django.apps import AppConfig


class CommunicationConfig(AppConfig):
    name = "communication"
    verbose_name = "Communication"

    def ready(self):
        from chorus.annonces import evenement_annonce
        from communication.services import notifier_evenement

        # the events of the apps below this one (organisation), announced through chorus.annonces
        def ecrire_les_messages(sender, *, gabarit, destinataires, contexte, **kwargs):
            notifier_evenement(gabarit=gabarit, destinataires=destinataires, contexte=contexte)

        evenement_annonce.connect(ecrire_les_messages, weak=False, dispatch_uid="communication-messages")
