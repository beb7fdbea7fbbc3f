// "Copy as plain text" on role pages: fetches the plain-text description (/roles/<slug>.txt,
// no Markdown marks) and puts it on the clipboard. Without JavaScript the button stays
// hidden and the download link still works.
document.querySelectorAll("button.copy-text").forEach((button) => {
  if (!navigator.clipboard) return;
  const status = button.parentElement.querySelector(".copy-status");
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      const response = await fetch(button.dataset.source, { credentials: "same-origin" });
      if (!response.ok) throw new Error(response.statusText);
      await navigator.clipboard.writeText(await response.text());
      status.textContent = "Copied to the clipboard.";
    } catch (error) {
      status.textContent = "Copying failed; use the Markdown download instead.";
    }
  });
});
