class FormatInvalide(ValueError):
    """Le fichier déposé ne peut pas être lu comme une facture ; le message est montré tel quel au déposant."""
