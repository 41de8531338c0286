// A DSFR modal that opens as the page loads, around content the page also shows without JavaScript (the rejection
// pop-up at login, « Corriger les montants » after « Erreur de montant »). The notice carries
// data-modale-au-chargement="<id of the dialog>" and data-modale-bouton="<label of the button that reopens it>".
//
// This script is loaded without defer right after the notice, so it runs before the DSFR starts. It moves the notice
// into the modal and puts in its place an opening button marked data-fr-opened="true": the DSFR then opens the modal
// itself as it starts. Calling disclose() from outside loses a race instead: a DSFR still starting later applies the
// initial state of the modal's buttons and closes it again.
(function () {
  var notices = document.querySelectorAll("[data-modale-au-chargement]:not([data-modale-prete])");
  Array.prototype.forEach.call(notices, function (notice) {
    var modale = document.getElementById(notice.getAttribute("data-modale-au-chargement"));
    var contenu = modale && modale.querySelector(".fr-modal__content");
    if (!contenu) { return; }
    notice.setAttribute("data-modale-prete", "");
    var bouton = document.createElement("button");
    bouton.type = "button";
    bouton.className = "fr-btn fr-btn--secondary fr-mb-4w";
    bouton.setAttribute("aria-controls", modale.id);
    bouton.setAttribute("data-fr-opened", "true");
    bouton.textContent = notice.getAttribute("data-modale-bouton");
    notice.parentNode.insertBefore(bouton, notice);
    notice.classList.remove("fr-alert", "fr-alert--warning", "fr-mb-4w");
    notice.querySelector("h2").classList.add("fr-modal__title");
    contenu.appendChild(notice);
  });
})();
