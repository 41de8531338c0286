"""DRF's JSON parser, through the portal's bounded reader (chorus.json_borne): a body nested too deep or too large is
a ParseError (400 in the envelope) instead of a RecursionError (500)."""

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from chorus.json_borne import JsonRefuse, lire_flux


class JsonBorneParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return lire_flux(stream, taille_max=settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        except JsonRefuse as refus:
            raise ParseError(refus.message) from None
