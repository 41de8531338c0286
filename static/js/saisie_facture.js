// « Saisir une facture »: search the recipient by name or SIRET, list its active services, show the validator
// fields for A9/A12 only, and estimate the totals while typing. Without this script the SIRET and code service
// fields work alone and « Recalculer les totaux » asks the server, which computes and checks everything anyway.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("saisie-facture");
  if (!form) { return; }

  // --- validator (A9, A12)
  var cadre = document.getElementById("id_cadre");
  var blocValideur = document.getElementById("bloc-valideur");
  function afficherValideur() {
    if (!cadre || !blocValideur) { return; }
    var enErreur = blocValideur.querySelector(".fr-input-group--error");
    var avecValideur = ["A9", "A12"].indexOf(cadre.value) !== -1;
    blocValideur.hidden = !enErreur && !avecValideur;
    marquer("siret_valideur", avecValideur, "");
  }
  if (cadre) { cadre.addEventListener("change", afficherValideur); afficherValideur(); }

  // --- avoir: the original number
  var typeFacture = document.getElementById("id_type_facture");
  var origine = document.getElementById("id_numero_facture_origine");
  function afficherOrigine() {
    if (!typeFacture || !origine) { return; }
    var groupe = origine.closest(".fr-input-group");
    if (groupe && !groupe.classList.contains("fr-input-group--error")) { groupe.hidden = typeFacture.value !== "AVOIR"; }
    marquer("numero_facture_origine", typeFacture.value === "AVOIR", "");
  }
  if (typeFacture) { typeFacture.addEventListener("change", afficherOrigine); afficherOrigine(); }

  // --- recipient: services and requirements. A field the recipient requires loses its « (Optionnel) » mention and
  // gets the required attributes; the server checks the same parameters at deposit (facturation/acheminement.py).
  var siret = document.getElementById("id_destinataire");
  var exigences = document.getElementById("exigences-destinataire");
  var dernierSiret = null;
  var destinataire = null;

  function champService() { return document.getElementById("id_code_service"); }

  function marquer(nom, obligatoire, aide) {
    var champ = document.getElementById("id_" + nom);
    if (!champ) { return; }
    var groupe = champ.closest("[data-champ-exigible]");
    var mention = groupe ? groupe.querySelector(".mention-optionnel") : null;
    if (mention) { mention.hidden = obligatoire; }
    if (obligatoire) {
      champ.setAttribute("required", "");
      champ.setAttribute("aria-required", "true");
    } else {
      champ.removeAttribute("required");
      champ.removeAttribute("aria-required");
    }
    var texteAide = document.getElementById("id_" + nom + "_helptext");
    if (texteAide) {
      if (!texteAide.dataset.initial) { texteAide.dataset.initial = texteAide.textContent; }
      texteAide.textContent = aide || texteAide.dataset.initial;
    }
  }

  function servicesAvecEngagement() {
    return destinataire ? destinataire.services.filter(function (s) { return s.engagement_obligatoire; }) : [];
  }

  function marquerEngagement() {
    if (!destinataire) { marquer("numero_engagement", false, ""); return; }
    var code = (champService() || {}).value || "";
    var avec = servicesAvecEngagement();
    var obligatoire = destinataire.engagement_obligatoire || avec.some(function (s) { return s.code === code; });
    var aide = "";
    if (destinataire.engagement_obligatoire) {
      aide = "Obligatoire pour " + destinataire.nom + ".";
    } else if (avec.length) {
      aide = "Obligatoire pour le service " + avec.map(function (s) { return "« " + s.code + " »"; }).join(", ") + " de " + destinataire.nom + ".";
    }
    marquer("numero_engagement", obligatoire, aide ? aide + " Le numéro du bon de commande ou de l'engagement juridique." : "");
  }

  function remplacerService(services, obligatoire) {
    var actuel = champService();
    if (!actuel) { return; }
    var valeur = actuel.value;
    var nouveau;
    if (services.length) {
      nouveau = document.createElement("select");
      nouveau.className = "fr-select";
      var vide = document.createElement("option");
      vide.value = ""; vide.textContent = obligatoire ? "Choisissez un service" : "Aucun service";
      nouveau.appendChild(vide);
      services.forEach(function (s) {
        var option = document.createElement("option");
        option.value = s.code; option.textContent = s.code + " – " + s.libelle;
        if (s.code === valeur || (obligatoire && services.length === 1 && !valeur)) { option.selected = true; }
        nouveau.appendChild(option);
      });
      nouveau.addEventListener("change", marquerEngagement);
    } else {
      nouveau = document.createElement("input");
      nouveau.type = "text"; nouveau.className = "fr-input"; nouveau.value = valeur; nouveau.maxLength = 100;
    }
    ["id", "name", "aria-describedby", "aria-invalid"].forEach(function (attribut) {
      if (actuel.hasAttribute(attribut)) { nouveau.setAttribute(attribut, actuel.getAttribute(attribut)); }
    });
    var groupe = actuel.closest(".fr-input-group, .fr-select-group");
    if (groupe) {
      var avant = services.length ? "fr-input-group" : "fr-select-group";
      var apres = services.length ? "fr-select-group" : "fr-input-group";
      groupe.className = groupe.className.split(avant).join(apres);
    }
    actuel.replaceWith(nouveau);
  }

  function chargerServices() {
    if (!siret) { return; }
    var valeur = siret.value.replace(/\s/g, "");
    if (valeur === dernierSiret) { return; }
    dernierSiret = valeur;
    if (valeur.length !== 14) {
      exigences.textContent = ""; destinataire = null;
      marquer("code_service", false, ""); marquerEngagement();
      return;
    }
    fetch(form.dataset.urlServices + "?siret=" + encodeURIComponent(valeur), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (donnees) {
        if (!donnees.trouve) {
          destinataire = null;
          exigences.textContent = "Aucune structure publique active n'a le SIRET " + valeur + ".";
          remplacerService([], false);
          marquer("code_service", false, ""); marquerEngagement();
          return;
        }
        destinataire = donnees;
        var textes = ["Destinataire : " + donnees.nom + "."];
        if (donnees.code_service_obligatoire) { textes.push(donnees.nom + " exige un code service : choisissez l'un de ses services."); }
        if (donnees.engagement_obligatoire) {
          textes.push(donnees.nom + " exige un numéro d'engagement.");
        } else if (servicesAvecEngagement().length) {
          var codes = servicesAvecEngagement().map(function (s) { return "« " + s.code + " »"; });
          textes.push("Le numéro d'engagement est obligatoire pour le" + (codes.length > 1 ? "s services " : " service ") + codes.join(", ") + ".");
        }
        if (donnees.engagement_ou_service && !donnees.code_service_obligatoire && !donnees.engagement_obligatoire) {
          textes.push(donnees.nom + " exige un code service ou un numéro d'engagement : renseignez l'un des deux.");
        }
        textes.push(donnees.services.length ? donnees.services.length + " service(s) actif(s)." : "Aucun service actif.");
        exigences.textContent = textes.join(" ");
        remplacerService(donnees.services, donnees.code_service_obligatoire);
        var aide = donnees.services.length
          ? (donnees.code_service_obligatoire ? "Obligatoire pour " + donnees.nom + " : choisissez l'un de ses services actifs." : "Les services actifs de " + donnees.nom + ". Facultatif pour ce destinataire.")
          : donnees.nom + " n'a aucun service actif.";
        marquer("code_service", donnees.code_service_obligatoire, aide);
        marquerEngagement();
      })
      .catch(function () { exigences.textContent = ""; });
  }
  if (siret) {
    siret.addEventListener("change", chargerServices);
    // a recipient already there (draft, prefill, page sent back with errors): its requirements at once
    if (siret.value.replace(/\s/g, "").length === 14) { chargerServices(); }
  }

  // --- recipient search
  var recherche = document.getElementById("recherche-destinataire");
  var texte = document.getElementById("recherche-destinataire-texte");
  var bouton = document.getElementById("recherche-destinataire-bouton");
  var etat = document.getElementById("recherche-destinataire-etat");
  var resultats = document.getElementById("recherche-destinataire-resultats");

  function choisir(resultat) {
    siret.value = resultat.siret;
    resultats.innerHTML = "";
    etat.textContent = "Destinataire choisi : " + resultat.nom + " (SIRET " + resultat.siret + ").";
    chargerServices();
    siret.focus();
  }

  function rechercher() {
    var q = texte.value.trim();
    if (q.length < 2) { etat.textContent = "Saisissez au moins 2 caractères."; return; }
    fetch(form.dataset.urlDestinataires + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (donnees) {
        resultats.innerHTML = "";
        var n = donnees.resultats.length;
        etat.textContent = n ? n + " structure(s) publique(s) trouvée(s) pour « " + q + " »." : "Aucune structure publique active ne correspond à « " + q + " ».";
        donnees.resultats.forEach(function (resultat) {
          var li = document.createElement("li");
          var b = document.createElement("button");
          b.type = "button";
          b.className = "fr-btn fr-btn--secondary";
          b.textContent = resultat.nom + " – " + resultat.siret + (resultat.ville ? " – " + resultat.ville : "");
          b.addEventListener("click", function () { choisir(resultat); });
          li.appendChild(b);
          resultats.appendChild(li);
        });
      })
      .catch(function () { etat.textContent = "La recherche n'a pas abouti : saisissez le SIRET directement."; });
  }
  if (recherche && siret) {
    recherche.hidden = false;
    bouton.addEventListener("click", rechercher);
    texte.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); rechercher(); } });
  }

  // --- live totals (an estimate: the server's computation is the one kept)
  var devise = document.getElementById("id_devise");
  var sansDecimales = ["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"];

  function nombre(valeur) {
    var n = parseFloat(String(valeur || "").replace(/\s/g, "").replace(",", "."));
    return isNaN(n) ? null : n;
  }
  function decimales() { return devise && sansDecimales.indexOf(devise.value) !== -1 ? 0 : 2; }
  function arrondir(n) { var f = Math.pow(10, decimales()); return Math.round(n * f + (n >= 0 ? 1e-9 : -1e-9)) / f; }
  function formater(n) {
    var code = devise ? devise.value : "EUR";
    return new Intl.NumberFormat("fr-FR", { minimumFractionDigits: decimales(), maximumFractionDigits: decimales() }).format(n) + "\u00a0" + (code === "EUR" ? "€" : code);
  }
  function valeurDe(ligne, nom) {
    var champ = ligne.querySelector("[name$='-" + nom + "']");
    return champ ? champ.value : "";
  }

  function recalculer() {
    var bases = {};
    var total = 0;
    var remplies = 0;
    form.querySelectorAll(".ligne-facture").forEach(function (ligne) {
      var quantite = nombre(valeurDe(ligne, "quantite"));
      var prix = nombre(valeurDe(ligne, "prix_unitaire_ht"));
      var remise = nombre(valeurDe(ligne, "remise")) || 0;
      var sortie = ligne.querySelector(".montant-ligne");
      if (quantite === null || prix === null) { if (sortie) { sortie.textContent = "—"; } return; }
      var montant = arrondir(quantite * prix - remise);
      var taux = valeurDe(ligne, "taux_tva");
      bases[taux] = (bases[taux] || 0) + montant;
      remplies += 1;
      if (sortie) { sortie.textContent = formater(montant); }
    });
    if (!remplies) { return; }
    var corps = document.getElementById("ventilation");
    corps.innerHTML = "";
    var remiseGlobale = nombre((document.getElementById("id_remise_globale") || {}).value) || 0;
    var cles = Object.keys(bases).sort(function (a, b) { return parseFloat(a) - parseFloat(b); });
    var ttcAvant = 0;
    cles.forEach(function (t) { var b = arrondir(bases[t]); ttcAvant += b + arrondir(b * parseFloat(t) / 100); });
    // facturation/calcul.py: the TTC discount reduces each base pro rata (an estimate, the server's split is kept)
    var ratio = remiseGlobale > 0 && ttcAvant > 0 && remiseGlobale <= ttcAvant ? remiseGlobale / ttcAvant : 0;
    var tva = 0;
    cles.forEach(function (taux) {
      var base = arrondir(bases[taux] - arrondir(bases[taux] * ratio));
      var montantTva = arrondir(base * parseFloat(taux) / 100);
      total += base; tva += montantTva;
      var tr = document.createElement("tr");
      [taux.replace(".", ",") + " %", formater(base), formater(montantTva)].forEach(function (t) {
        var td = document.createElement("td"); td.textContent = t; tr.appendChild(td);
      });
      corps.appendChild(tr);
    });
    document.getElementById("total-ht").textContent = formater(arrondir(total));
    document.getElementById("total-tva").textContent = formater(arrondir(tva));
    document.getElementById("total-ttc").textContent = formater(arrondir(total + tva));
    document.getElementById("net-a-payer").textContent = formater(arrondir(total + tva));
  }
  form.addEventListener("input", function (e) {
    if (e.target.closest(".ligne-facture") || e.target.id === "id_remise_globale") { recalculer(); }
  });
  form.addEventListener("change", function (e) {
    if (e.target.closest(".ligne-facture") || e.target === devise) { recalculer(); }
  });
  // « Valider et envoyer » renders the PDF/A-3 and checks everything: say so, and prevent a second deposit.
  var avis = document.getElementById("envoi-en-cours");
  form.addEventListener("submit", function (e) {
    if (!avis || !e.submitter || e.submitter.value !== "valider") { return; }
    avis.hidden = false;
    // disabled once the submission has read the button's value
    window.setTimeout(function () { e.submitter.disabled = true; }, 0);
  });
});
