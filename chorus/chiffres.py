"""Digits typed by a user or sent by a client: ASCII digits only.

`str.isdigit()` is true for « ٣ », « ³ » or « ３ », and `int()` reads several of them as numbers: an identifier
typed in Arabic-Indic digits would name object 3, a superscript one would make `int()` fail with a 500. Every
check of an identifier, a SIRET or a code goes through here. A number typed the French way (« 18 500,00 ») is read by
`nombre_francais`, for the forms' amount fields and the API alike.
"""

import re


def que_des_chiffres(texte):
    """Whether `texte` is a non-empty string of ASCII digits 0-9 (no sign, no space)."""
    return isinstance(texte, str) and texte.isascii() and texte.isdecimal()


# every Unicode space (\s covers U+00A0 and U+202F) and the euro sign a copied amount may carry
_BLANCS_ET_DEVISE = re.compile(r"[\s€]")


def nombre_francais(texte):
    """The text of a number as Python's Decimal reads it: « 18 500,00 » → « 18500.00 ».

    The last of « , » and « . » is the decimal separator when both appear (« 1.234,50 », « 1,234.50 »); a text that
    stays ambiguous (« 1,234,5 ») is returned as typed, so that the field refuses it with its message.
    """
    texte = _BLANCS_ET_DEVISE.sub("", texte or "")
    virgules, points = texte.count(","), texte.count(".")
    if virgules and points:
        decimal, milliers = (",", ".") if texte.rfind(",") > texte.rfind(".") else (".", ",")
        if texte.count(decimal) == 1:
            texte = texte.replace(milliers, "").replace(decimal, ".")
    elif virgules == 1:
        texte = texte.replace(",", ".")
    return texte
