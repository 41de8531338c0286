// The rejection pop-up (templates/facturation/emises/_popup_rejets.html): the page carries the list as a notice,
// readable without JavaScript; here it moves into the DSFR modal, which opens once the DSFR has started.
(function () {
  function ouvrir() {
    var modale = document.getElementById("modale-rejets");
    var notice = document.getElementById("rejets-a-acquitter");
    if (!modale || !notice) { return; }
    var parent = notice.parentNode;
    var suivant = notice.nextSibling;
    var contenu = document.getElementById("modale-rejets-contenu");
    document.body.appendChild(modale);
    notice.classList.remove("fr-alert", "fr-alert--warning", "fr-mb-4w");
    notice.querySelector("h2").classList.add("fr-modal__title");
    contenu.appendChild(notice);
    var essais = 0;
    (function montrer() {
      if (modale.classList.contains("fr-modal--opened")) { return; }
      var instance = window.dsfr && window.dsfr(modale);
      // a DSFR still starting may ignore the call: try again until the modal is really open
      if (instance && instance.modal) { instance.modal.disclose(); }
      if (essais++ < 200) {
        window.setTimeout(montrer, 50);
        return;
      }
      // the DSFR never started: the list goes back into the page as a notice
      notice.classList.add("fr-alert", "fr-alert--warning", "fr-mb-4w");
      notice.querySelector("h2").classList.remove("fr-modal__title");
      parent.insertBefore(notice, suivant);
    })();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ouvrir);
  } else {
    ouvrir();
  }
})();
