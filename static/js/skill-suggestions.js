// The skill picker's suggestions (templates/includes/skill_picker.html) from the whole
// catalogue, as the visitor types: GET /skills/suggest/?q=… fills the box's <datalist>.
// Without JavaScript the list keeps the skills of the roles shown, and a typed name still
// filters when the form is sent.
document.querySelectorAll("input[data-suggest-url]").forEach((input) => {
  const list = document.getElementById(input.getAttribute("list"));
  if (!list || !window.fetch) return;
  let timer;
  let wanted = "";

  async function suggest() {
    const text = input.value.trim();
    if (text.length < 2 || text === wanted) return;
    wanted = text;
    try {
      const address = `${input.dataset.suggestUrl}?q=${encodeURIComponent(text)}`;
      const response = await fetch(address, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const { skills } = await response.json();
      if (text !== wanted) return; // the visitor typed on: a later answer is coming
      list.replaceChildren(
        ...skills.map((skill) => {
          const option = document.createElement("option");
          option.value = skill.name;
          // A browser shows only suggestions holding what was typed ("nodejs": Node.js).
          if (skill.also_called) option.label = `${skill.name} (${skill.also_called})`;
          return option;
        }),
      );
    } catch (error) {
      // Offline or refused: the suggestions already there stay.
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, 150);
  });
});
