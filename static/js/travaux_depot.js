// « Déposer » (Factures de travaux): offer only the cadres of the chosen role and show the blocks of the deposit
// type. The server checks the same rules (travaux.regles), so nothing depends on this script.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("depot-travaux");
  if (!form) { return; }
  var role = document.getElementById("id_role");
  var cadre = document.getElementById("id_cadre");
  var cadresParRole = JSON.parse(cadre.getAttribute("data-cadres-par-role") || "{}");
  var options = Array.prototype.slice.call(cadre.options);

  function filtrerCadres() {
    var offerts = cadresParRole[role.value] || null;
    options.forEach(function (option) {
      var garde = !option.value || !offerts || offerts.indexOf(option.value) !== -1;
      option.hidden = !garde;
      option.disabled = !garde;
    });
    if (cadre.selectedOptions.length && cadre.selectedOptions[0].disabled) { cadre.value = ""; }
  }

  function typeDepot() {
    var coche = form.querySelector("input[name='type_depot']:checked");
    return coche ? coche.value : "initial";
  }

  function afficherBlocs() {
    var association = typeDepot() === "association";
    document.getElementById("bloc-piece-precedente").hidden = !association;
    document.getElementById("acteurs-association").hidden = !association;
    form.querySelectorAll("#acteurs-saisis .fr-fieldset__element:not(#acteurs-association)").forEach(function (bloc) {
      bloc.hidden = association;
    });
    var parLaMoeOuMoa = role.value === "moe" || role.value === "moa";
    document.getElementById("bloc-fournisseur").hidden = association || !parLaMoeOuMoa;
    var avecValideur = role.value === "sous-traitant" || role.value === "cotraitant";
    document.getElementById("bloc-valideurs").hidden = association || !avecValideur;
    form.querySelectorAll("#bloc-valideurs .second-valideur").forEach(function (bloc) {
      bloc.hidden = role.value !== "sous-traitant";
    });
  }

  role.addEventListener("change", function () { filtrerCadres(); afficherBlocs(); });
  form.querySelectorAll("input[name='type_depot']").forEach(function (radio) {
    radio.addEventListener("change", afficherBlocs);
  });
  filtrerCadres();
  afficherBlocs();
});
