// « Suivi des flux » : tant que le flux n'est pas dans un état final, on relit son état et sa progression
// (« n / N factures traitées ») toutes les 2 secondes et on les annonce dans la zone « status » ; à l'état final,
// la page est rechargée pour montrer le compte rendu.
// Sans script, le lien « Actualiser la page » fait la même chose.
(function () {
  "use strict";
  var bloc = document.getElementById("suivi-etat");
  if (!bloc || !bloc.dataset.etatUrl) {
    return;
  }
  var libelle = document.getElementById("etat-libelle");
  var progression = document.getElementById("etat-progression");
  var essais = 0;
  function relire() {
    essais += 1;
    fetch(bloc.dataset.etatUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (reponse) {
        if (!reponse.ok) {
          throw new Error(reponse.status);
        }
        return reponse.json();
      })
      .then(function (donnees) {
        if (libelle && libelle.textContent !== donnees.libelle) {
          libelle.textContent = donnees.libelle;
        }
        if (progression && donnees.progression && progression.textContent !== donnees.progression) {
          progression.textContent = donnees.progression;
        }
        if (donnees.final) {
          window.location.reload();
        } else if (essais < 900) {
          window.setTimeout(relire, 2000);
        }
      })
      .catch(function () {
        if (essais < 900) {
          window.setTimeout(relire, 5000);
        }
      });
  }
  window.setTimeout(relire, 1000);
})();
