// "Déposer une facture": the checks of a large file take a few seconds; say so and prevent a second submission.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("form-depot-fichier");
  var avis = document.getElementById("depot-en-cours");
  var bouton = document.getElementById("bouton-deposer");
  if (!form || !avis || !bouton) { return; }
  form.addEventListener("submit", function () {
    avis.hidden = false;
    // disabled after the submit event has started, so the browser still sends the form
    window.setTimeout(function () { bouton.disabled = true; }, 0);
  });
});
