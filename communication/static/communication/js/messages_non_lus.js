// « Mes messages » : le nombre de messages non lus est lu après le chargement de la page (une petite requête à part),
// pour qu'aucune page ne paie une requête SQL de plus pour l'en-tête. Sans script, le lien « Mes messages » suffit.
(function () {
  "use strict";
  var lien = document.getElementById("lien-mes-messages");
  if (!lien || !lien.dataset.nonLusUrl || !window.fetch) {
    return;
  }
  fetch(lien.dataset.nonLusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
    .then(function (reponse) {
      if (!reponse.ok) {
        throw new Error(reponse.status);
      }
      return reponse.json();
    })
    .then(function (donnees) {
      var n = donnees.non_lus;
      var libelle = n + " non lu" + (n > 1 ? "s" : "");
      document.querySelectorAll("[data-compteur-messages]").forEach(function (badge) {
        // empty until there is something to say: an empty span shows nothing, whatever the CSS
        badge.textContent = "";
        badge.className = "";
        if (!n) {
          return;
        }
        badge.className = "fr-badge fr-badge--sm fr-badge--new fr-ml-1w";
        if (badge.dataset.compteurMessages === "court") {
          // next to the menu button: the number is shown, the words are read
          badge.textContent = String(n);
          var mots = document.createElement("span");
          mots.className = "fr-sr-only";
          mots.textContent = " message" + (n > 1 ? "s" : "") + " " + libelle.replace(/^\d+ /, "");
          badge.appendChild(mots);
        } else {
          badge.textContent = libelle;
        }
      });
    })
    .catch(function () {
      // the count is a convenience: the link works without it
    });
})();
