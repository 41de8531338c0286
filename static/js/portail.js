// Move the focus to the error summary of an invalid form, so screen readers announce it first.
document.addEventListener("DOMContentLoaded", function () {
  var resume = document.getElementById("resume-erreurs");
  if (resume) { resume.focus(); }
});
