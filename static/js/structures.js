// "Créer une nouvelle structure": show the hint and the fields of the chosen identifier type. Without this script
// every field is shown and each hint says to which types it applies; the server decides either way.
document.addEventListener("DOMContentLoaded", function () {
  var choix = document.getElementById("id_type_identifiant");
  if (!choix || !choix.dataset.aides) { return; }
  var aides = JSON.parse(choix.dataset.aides);
  var aide = document.getElementById("id_identifiant_helptext");
  var champs = {
    identifiant: function (type) { return type !== "PARTICULIER" && type !== "EN_COURS_IMMATRICULATION"; },
    raison_sociale: function (type) { return type !== "PARTICULIER"; },
    nom: function (type) { return type === "PARTICULIER"; },
    prenom: function (type) { return type === "PARTICULIER"; }
  };

  function groupe(nom) {
    var champ = document.getElementById("id_" + nom);
    return champ ? champ.closest(".fr-input-group") : null;
  }

  function appliquer() {
    var type = choix.value;
    if (aide && aides[type]) { aide.textContent = aides[type]; }
    Object.keys(champs).forEach(function (nom) {
      var bloc = groupe(nom);
      // a field in error stays visible: the error summary links to it
      if (bloc && !bloc.classList.contains("fr-input-group--error")) { bloc.hidden = !champs[nom](type); }
    });
  }

  choix.addEventListener("change", appliquer);
  appliquer();
});
