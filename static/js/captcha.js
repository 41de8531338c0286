// « Obtenir un autre code » on the CAPTCHA: asks for a new key and swaps the image, the sound and the hidden key.
document.querySelectorAll("[data-captcha]").forEach((bloc) => {
  const bouton = bloc.querySelector("[data-captcha-autre]");
  const champ = bloc.parentElement.querySelector("input[type=hidden][name$='_0']");
  if (!bouton || !champ) return;
  bouton.hidden = false;
  bouton.addEventListener("click", async () => {
    const reponse = await fetch(bloc.dataset.rafraichir, { headers: { "X-Requested-With": "XMLHttpRequest" } });
    if (!reponse.ok) return;
    const { key, image_url: image } = await reponse.json();
    const son = image.replace(/image\/[^/]+\/$/, `audio/${key}.wav`);
    champ.value = key;
    bloc.querySelector("[data-captcha-image]").src = image;
    const audio = bloc.querySelector("[data-captcha-audio]");
    audio.src = son;
    bloc.querySelectorAll("[data-captcha-lien-audio], [data-captcha-audio] a").forEach((a) => { a.href = son; });
    const reponseSaisie = bloc.parentElement.querySelector("input[name$='_1']");
    if (reponseSaisie) { reponseSaisie.value = ""; reponseSaisie.focus(); }
  });
});
