"""A password or secret shown once, on the page the creation redirects to (POST, redirect, GET: a reload never
creates a second account, and never shows the secret again).

Between the POST and the GET the secret is kept split in two: the session (in the database) holds it encrypted
(Fernet), a short-lived cookie holds the key. Neither alone reveals it; the GET takes both and erases both."""

import json

from cryptography.fernet import Fernet, InvalidToken

CLE_SESSION = "raccordement_secret_unique"
COOKIE = "raccordement_cle_secret"
CHEMIN_COOKIE = "/raccordement/"
DUREE_COOKIE = 300  # seconds: the redirect follows at once


def confier(request, reponse, *, sorte, **donnees):
    """Keep `donnees` (the secret and what the page says with it) for the next page of kind `sorte`."""
    cle = Fernet.generate_key()
    request.session[CLE_SESSION] = Fernet(cle).encrypt(json.dumps({"sorte": sorte, **donnees}).encode()).decode()
    reponse.set_cookie(
        COOKIE,
        cle.decode(),
        max_age=DUREE_COOKIE,
        path=CHEMIN_COOKIE,
        httponly=True,
        samesite="Strict",
        secure=request.is_secure(),
    )
    return reponse


def reprendre(request, sorte):
    """The data kept for a page of kind `sorte`, once; None if there is none (or it was for another page, or its
    key is gone). The caller erases the cookie with `effacer`."""
    chiffre = request.session.pop(CLE_SESSION, None)
    cle = request.COOKIES.get(COOKIE)
    if not chiffre or not cle:
        return None
    try:
        donnees = json.loads(Fernet(cle.encode()).decrypt(chiffre.encode()))
    except (InvalidToken, ValueError):
        return None
    return donnees if donnees.get("sorte") == sorte else None


def effacer(request, reponse):
    if COOKIE in request.COOKIES:
        reponse.delete_cookie(COOKIE, path=CHEMIN_COOKIE, samesite="Strict")
    return reponse
