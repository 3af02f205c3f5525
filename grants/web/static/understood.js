// Beside each amount field, what the server reads it as ("= $250,000.00"), asked of
// the server rather than worked out here: the page's language decides how an amount
// reads, and one reading, the server's, is the one recorded.
for (const output of document.querySelectorAll("output[data-money-for]")) {
  const input = document.getElementById(output.dataset.moneyFor);
  if (!input) continue;
  let timer;
  const show = async () => {
    const value = input.value.trim();
    if (!value) {
      output.textContent = "";
      return;
    }
    const response = await fetch(`/money/understood?value=${encodeURIComponent(value)}`, {
      headers: { Accept: "application/json" },
    });
    if (!response.ok || input.value.trim() !== value) return; // typed on meanwhile
    const answer = await response.json();
    output.textContent = answer.understood ?? answer.refused ?? "";
    output.classList.toggle("refused", !answer.understood);
  };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(show, 250);
  });
  show();
}
