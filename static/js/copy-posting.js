// "Copy" buttons on the job-posting page: each puts the text of the box it names
// (data-copy-target) on the clipboard. Without JavaScript the buttons stay hidden, and the
// boxes can be selected and copied by hand.
document.querySelectorAll("button[data-copy-target]").forEach((button) => {
  const box = document.getElementById(button.dataset.copyTarget);
  if (!navigator.clipboard || !box) return;
  const status = button.parentElement.querySelector(".copy-status");
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(box.value);
      status.textContent = "Copied to the clipboard.";
    } catch (error) {
      box.select();
      status.textContent = "Copying failed: the text is selected, copy it with Ctrl+C (⌘C on a Mac).";
    }
  });
});
