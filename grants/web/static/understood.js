// Beside each amount field, what the server reads it as ("= $250,000.00"), asked of
// the server rather than worked out here: the page's language decides how an amount
// reads, and one reading, the server's, is the one recorded. A section with a running
// total (a cash flow) adds up what the server read.
const lang = document.documentElement.lang === "fr" ? "fr-CA" : "en-CA";
const dollars = new Intl.NumberFormat(lang, { style: "currency", currency: "CAD" });

function total(output) {
  const fieldset = output.closest("fieldset");
  if (!fieldset) return;
  let cents = 0;
  for (const read of fieldset.querySelectorAll("output[data-money-for]")) {
    cents += Number(read.dataset.cents || 0);
  }
  for (const sum of fieldset.querySelectorAll("output[data-total-of]")) {
    sum.textContent = dollars.format(cents / 100);
  }
}

for (const output of document.querySelectorAll("output[data-money-for]")) {
  const input = document.getElementById(output.dataset.moneyFor);
  if (!input) continue;
  let timer;
  const show = async () => {
    const value = input.value.trim();
    if (!value) {
      output.textContent = "";
      output.dataset.cents = "";
      total(output);
      return;
    }
    const response = await fetch(`/money/understood?value=${encodeURIComponent(value)}`, {
      headers: { Accept: "application/json" },
    });
    if (!response.ok || input.value.trim() !== value) return; // typed on meanwhile
    const answer = await response.json();
    output.textContent = answer.understood ?? answer.refused ?? "";
    output.classList.toggle("refused", !answer.understood);
    output.dataset.cents = answer.cents ?? "";
    total(output);
  };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(show, 250);
  });
  show();
}
