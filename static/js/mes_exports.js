// « Mes exports » : tant qu'un export est en préparation, on relit son avancement toutes les 2 secondes (barre et
// nombre de lignes) ; quand il est terminé, la page est rechargée pour montrer le lien de téléchargement.
// Sans script, le lien « Actualiser la page » fait la même chose.
(function () {
  "use strict";
  var blocs = document.querySelectorAll(".export-avancement[data-etat-url]");
  var essais = 0;
  function relire(bloc) {
    essais += 1;
    fetch(bloc.dataset.etatUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (reponse) {
        if (!reponse.ok) {
          throw new Error(reponse.status);
        }
        return reponse.json();
      })
      .then(function (donnees) {
        if (donnees.termine) {
          window.location.reload();
          return;
        }
        var barre = bloc.querySelector("progress");
        var libelle = bloc.querySelector("label");
        var texte = bloc.querySelector("[role=status]");
        barre.value = donnees.pourcentage;
        barre.textContent = donnees.pourcentage + " %";
        libelle.textContent = donnees.libelle;
        texte.textContent = donnees.lignes_ecrites + (donnees.lignes_total ? " / " + donnees.lignes_total : "") +
          " lignes écrites";
        if (essais < 2000) {
          window.setTimeout(function () { relire(bloc); }, 2000);
        }
      })
      .catch(function () {
        if (essais < 2000) {
          window.setTimeout(function () { relire(bloc); }, 5000);
        }
      });
  }
  Array.prototype.forEach.call(blocs, function (bloc) {
    window.setTimeout(function () { relire(bloc); }, 1000);
  });
})();
