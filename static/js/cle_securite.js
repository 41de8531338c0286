// Security keys (WebAuthn): add one on "Mes facteurs d'authentification" (#cle-ajout), use one at the second
// login step (#cle-connexion). The server speaks JSON, where WebAuthn's binary fields travel as base64url.
(function () {
  "use strict";

  var REFUS_DEFAUT = "La clé de sécurité n'a pas pu être utilisée. Réessayez.";

  function versTampon(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    base64 += "===".slice((base64.length + 3) % 4);
    var brut = atob(base64);
    var octets = new Uint8Array(brut.length);
    for (var i = 0; i < brut.length; i++) { octets[i] = brut.charCodeAt(i); }
    return octets.buffer;
  }

  function versBase64url(tampon) {
    var octets = new Uint8Array(tampon);
    var brut = "";
    for (var i = 0; i < octets.length; i++) { brut += String.fromCharCode(octets[i]); }
    return btoa(brut).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descripteurs(liste) {
    return (liste || []).map(function (c) { return Object.assign({}, c, { id: versTampon(c.id) }); });
  }

  function optionsCreation(o) {
    return Object.assign({}, o, {
      challenge: versTampon(o.challenge),
      user: Object.assign({}, o.user, { id: versTampon(o.user.id) }),
      excludeCredentials: descripteurs(o.excludeCredentials),
    });
  }

  function optionsDemande(o) {
    return Object.assign({}, o, {
      challenge: versTampon(o.challenge),
      allowCredentials: descripteurs(o.allowCredentials),
    });
  }

  function commun(cle) {
    return {
      id: cle.id,
      rawId: versBase64url(cle.rawId),
      type: cle.type,
      clientExtensionResults: cle.getClientExtensionResults(),
      authenticatorAttachment: cle.authenticatorAttachment || null,
    };
  }

  function enregistrement(cle) {
    var r = cle.response;
    return Object.assign(commun(cle), {
      response: {
        clientDataJSON: versBase64url(r.clientDataJSON),
        attestationObject: versBase64url(r.attestationObject),
        transports: typeof r.getTransports === "function" ? r.getTransports() : [],
      },
    });
  }

  function assertion(cle) {
    var r = cle.response;
    return Object.assign(commun(cle), {
      response: {
        clientDataJSON: versBase64url(r.clientDataJSON),
        authenticatorData: versBase64url(r.authenticatorData),
        signature: versBase64url(r.signature),
        userHandle: r.userHandle ? versBase64url(r.userHandle) : null,
      },
    });
  }

  function jetonCsrf() {
    var champ = document.querySelector("input[name='csrfmiddlewaretoken']");
    return champ ? champ.value : "";
  }

  // Resolves to the JSON answer; rejects with the server's French message (and where to go, if it says so).
  async function appeler(url, corps) {
    var reponse = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": jetonCsrf() },
      body: JSON.stringify(corps || {}),
    });
    if (reponse.redirected) {
      // a session that ended meanwhile: the server answered with the login page
      var fin = new Error(REFUS_DEFAUT);
      fin.redirection = reponse.url;
      throw fin;
    }
    var donnees = {};
    try { donnees = await reponse.json(); } catch (e) { donnees = {}; }
    if (!reponse.ok) {
      var erreur = new Error(donnees.detail || REFUS_DEFAUT);
      erreur.redirection = donnees.redirect_url;
      throw erreur;
    }
    return donnees;
  }

  // The browser's own refusals (cancel, timeout, key already there) become French sentences.
  function message(erreur) {
    switch (erreur && erreur.name) {
      case "NotAllowedError":
        return "L'opération a été annulée ou le délai est dépassé. Réessayez en touchant votre clé.";
      case "InvalidStateError":
        return "Cette clé de sécurité est déjà enregistrée sur votre compte.";
      case "SecurityError":
        return "Ce site ne peut pas utiliser de clé de sécurité à cette adresse.";
      case "AbortError":
        return "L'opération a été interrompue. Réessayez.";
      default:
        return (erreur && erreur.message) || REFUS_DEFAUT;
    }
  }

  function brancher(conteneur, declencheur, ceremonie) {
    var bouton = conteneur.querySelector("[data-cle-bouton]");
    var alerte = conteneur.querySelector("[data-cle-erreur]");

    function afficher(texte) {
      alerte.querySelector("p").textContent = texte;
      alerte.hidden = !texte;
    }

    declencheur.addEventListener(declencheur === bouton ? "click" : "submit", async function (evenement) {
      evenement.preventDefault();
      if (bouton.disabled) { return; }
      bouton.disabled = true;
      afficher("");
      try {
        var resultat = await ceremonie();
        window.location.assign(resultat.redirect_url);
      } catch (erreur) {
        if (erreur.redirection) {
          window.location.assign(erreur.redirection);
          return;
        }
        afficher(message(erreur));
        bouton.disabled = false;
      }
    });
    conteneur.hidden = false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var ajout = document.getElementById("cle-ajout");
    var connexion = document.getElementById("cle-connexion");
    if (!window.PublicKeyCredential || !navigator.credentials) {
      document.querySelectorAll("[data-cle-non-prise-en-charge]").forEach(function (p) { p.hidden = false; });
      return;
    }
    if (ajout) {
      brancher(ajout, ajout, async function () {
        var options = await appeler(ajout.dataset.debut, { nom: ajout.elements.nom.value });
        var cle = await navigator.credentials.create({ publicKey: optionsCreation(options) });
        return appeler(ajout.dataset.fin, enregistrement(cle));
      });
    }
    if (connexion) {
      brancher(connexion, connexion.querySelector("[data-cle-bouton]"), async function () {
        var options = await appeler(connexion.dataset.debut);
        var cle = await navigator.credentials.get({ publicKey: optionsDemande(options) });
        return appeler(connexion.dataset.fin, assertion(cle));
      });
    }
  });
})();
