// The virtual assistant in the corner of every page (templates/assistant/_widget.html).
// Without this script the corner link opens the assistant's page; with it, a non-modal panel opens in place:
// focus goes to the question, Escape or « Fermer » closes it and gives the focus back to the button, and the
// answer is the same view's fragment (?fragment=1), announced by a live region.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var racine = document.getElementById("assistant");
  if (!racine || !window.fetch) { return; }
  var lien = document.getElementById("assistant-lien");
  var bouton = document.getElementById("assistant-ouvrir");
  var panneau = document.getElementById("assistant-panneau");
  var fermer = document.getElementById("assistant-fermer");
  var formulaire = document.getElementById("assistant-formulaire");
  var champ = document.getElementById("assistant-question");
  var zone = document.getElementById("assistant-reponse");
  var aide = "assistant-question-aide";

  lien.hidden = true;
  bouton.hidden = false;

  function ouvrir() {
    panneau.hidden = false;
    bouton.setAttribute("aria-expanded", "true");
    champ.focus();
  }

  function refermer() {
    panneau.hidden = true;
    bouton.setAttribute("aria-expanded", "false");
    bouton.focus();
  }

  bouton.addEventListener("click", function () {
    if (panneau.hidden) { ouvrir(); } else { refermer(); }
  });
  fermer.addEventListener("click", refermer);
  racine.addEventListener("keydown", function (evenement) {
    if (evenement.key === "Escape" && !panneau.hidden) {
      evenement.preventDefault();
      refermer();
    }
  });

  function signalerErreur(message) {
    var groupe = champ.closest(".fr-input-group");
    if (message) {
      groupe.classList.add("fr-input-group--error");
      champ.classList.add("fr-input--error");
      champ.setAttribute("aria-invalid", "true");
    } else {
      groupe.classList.remove("fr-input-group--error");
      champ.classList.remove("fr-input--error");
      champ.removeAttribute("aria-invalid");
    }
  }

  formulaire.addEventListener("submit", function (evenement) {
    evenement.preventDefault();
    var parametres = new URLSearchParams(new FormData(formulaire));
    parametres.set("fragment", "1");
    zone.setAttribute("aria-busy", "true");
    fetch(formulaire.dataset.fragment + "?" + parametres.toString(), {
      credentials: "same-origin",
      headers: { "Accept": "text/html" }
    }).then(function (reponse) {
      if (!reponse.ok) { throw new Error(reponse.status); }
      return reponse.text();
    }).then(function (html) {
      zone.innerHTML = html;
      var bloc = zone.querySelector("[data-erreur]");
      signalerErreur(bloc ? bloc.getAttribute("data-erreur") : "");
      champ.setAttribute("aria-describedby", bloc ? aide + " assistant-reponse" : aide);
      zone.removeAttribute("aria-busy");
    }).catch(function () {
      // the page of the assistant gives the same answer
      formulaire.submit();
    });
  });
});
