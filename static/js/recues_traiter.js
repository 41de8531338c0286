// « Traiter »: the motif list only for a suspension or a rejection (with that status's motifs only), the mandate
// number only for « Mandatée ». Without this script every field stays visible and the server checks the same rules.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("form-traiter");
  var donnees = document.getElementById("motifs-par-statut");
  if (!form || !donnees) { return; }
  var groupes = JSON.parse(donnees.textContent);
  var blocMotif = document.getElementById("bloc-motif");
  var blocMandat = document.getElementById("bloc-mandat");
  var motif = blocMotif ? blocMotif.querySelector("select") : null;

  function statutChoisi() {
    var coche = form.querySelector("input[name='statut_cible']:checked");
    return coche ? coche.value : "";
  }

  function actualiser() {
    var statut = statutChoisi();
    if (blocMotif) {
      var groupe = groupes[statut];
      blocMotif.hidden = !groupe;
      motif.querySelectorAll("optgroup").forEach(function (og) {
        var visible = og.label === groupe;
        og.hidden = !visible;
        og.disabled = !visible;
      });
      var option = motif.selectedOptions[0];
      if (option && option.parentElement.tagName === "OPTGROUP" && option.parentElement.disabled) {
        motif.value = "";
      }
    }
    if (blocMandat) { blocMandat.hidden = statut !== "MANDATEE"; }
  }

  form.addEventListener("change", function (evenement) {
    if (evenement.target.name === "statut_cible") { actualiser(); }
  });
  actualiser();
});
