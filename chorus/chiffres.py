"""Digits typed by a user or sent by a client: ASCII digits only.

`str.isdigit()` is true for « ٣ », « ³ » or « ３ », and `int()` reads several of them as numbers: an identifier
typed in Arabic-Indic digits would name object 3, a superscript one would make `int()` fail with a 500. Every
check of an identifier, a SIRET or a code goes through here.
"""


def que_des_chiffres(texte):
    """Whether `texte` is a non-empty string of ASCII digits 0-9 (no sign, no space)."""
    return isinstance(texte, str) and texte.isascii() and texte.isdecimal()
