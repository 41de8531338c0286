"""Bodies sent with `Transfer-Encoding: chunked` (no Content-Length): some HTTP libraries send a file read as a stream
this way. Production WSGI servers (gunicorn, uWSGI, werkzeug) decode the chunks and say so with
`wsgi.input_terminated` (the input ends where the body ends), but Django reads a request without Content-Length as
empty, so the API's middleware reads such a body itself, within the size limit. Django's development server (runserver,
and the live server of the tests) does not decode chunks at all and hides them behind a zero-length stream:
`installer_serveur_de_developpement` teaches it what the production servers do, so that the API behaves the same
whichever server runs it."""

from wsgiref import simple_server

from django.core.servers import basehttp


def est_par_morceaux(environ):
    codages = environ.get("HTTP_TRANSFER_ENCODING", "").lower()
    return "chunked" in codages and not environ.get("CONTENT_LENGTH")


class LecteurParMorceaux:
    """The decoded body of a chunked stream (RFC 9112 §7.1): size line in hex (extensions ignored), data, CRLF, …,
    a zero-size chunk then optional trailer lines up to an empty line."""

    def __init__(self, brut):
        self._brut = brut
        self._reste = 0  # bytes left in the current chunk
        self._fini = False

    def _chunk_suivant(self):
        ligne = self._brut.readline(65537)
        if not ligne:  # the client went away mid-body
            self._fini = True
            return
        try:
            taille = int(ligne.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise ValueError("Corps par morceaux illisible : taille de morceau invalide.") from None
        if taille == 0:
            while self._brut.readline(65537) not in (b"\r\n", b"\n", b""):
                pass  # trailer fields: nothing the portal reads
            self._fini = True
        self._reste = taille

    def read(self, size=-1, /):
        morceaux = []
        while not self._fini and (size is None or size < 0 or size > 0):
            if self._reste == 0:
                self._chunk_suivant()
                continue
            a_lire = self._reste if size is None or size < 0 else min(size, self._reste)
            donnees = self._brut.read(a_lire)
            if not donnees:
                self._fini = True
                break
            morceaux.append(donnees)
            self._reste -= len(donnees)
            if size is not None and size >= 0:
                size -= len(donnees)
            if self._reste == 0:
                self._brut.readline(3)  # the CRLF closing the chunk
        return b"".join(morceaux)

    def readline(self, size=-1, /):
        ligne = bytearray()
        while size is None or size < 0 or len(ligne) < size:
            octet = self.read(1)
            if not octet:
                break
            ligne += octet
            if octet == b"\n":
                break
        return bytes(ligne)


class _ServerHandlerParMorceaux(basehttp.ServerHandler):
    def __init__(self, stdin, stdout, stderr, environ, **kwargs):
        if est_par_morceaux(environ):
            environ["wsgi.input_terminated"] = True
            # Django's handler would cap the input at Content-Length, i.e. nothing: the decoder ends the body itself
            simple_server.ServerHandler.__init__(self, LecteurParMorceaux(stdin), stdout, stderr, environ, **kwargs)
        else:
            super().__init__(stdin, stdout, stderr, environ, **kwargs)

    def close(self):
        # what the application left unread is drained piece by piece (Django's handler reads it at once), so that a
        # refused body too large is not held in memory, and the connection is ready for the next request
        entree = self.get_stdin()
        if isinstance(entree, LecteurParMorceaux):
            while entree.read(64 * 1024):
                pass
        super().close()


def installer_serveur_de_developpement():
    # the development server looks its handler class up in its module at each request
    if basehttp.ServerHandler is not _ServerHandlerParMorceaux:
        basehttp.ServerHandler = _ServerHandlerParMorceaux
