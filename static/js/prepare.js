/* Preparing a workshop (facilitator/workshop.html): voting rules, names and results, the
   room screens' display, kept live as other facilitators change them. Running the sessions
   is the run view's (run.js). */
import { act, on, page, start } from "./console.js";

function fillSettings(settings) {
  const rules = document.getElementById("voting-rules");
  rules.elements.dots.value = settings.budget.dots;
  rules.elements.per_item.value = settings.budget.per_item;
  rules.elements.separate.checked = settings.budget.separate;
  rules.elements.sdg_limit.value = settings.sdg_limit;
  const display = document.getElementById("display-settings");
  display.elements.anonymity.value = settings.anonymity;
  display.elements.results_to_participants.checked = settings.results_to_participants;
  display.elements.authors_translate.checked = settings.authors_translate;
}

document.getElementById("voting-rules").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.target;
  act("workshop:set_voting_rules", {
    workshop_id: page.workshop_id, dots: form.elements.dots.value, per_item: form.elements.per_item.value,
    separate: form.elements.separate.checked, sdg_limit: form.elements.sdg_limit.value,
  }, form.querySelector(".form-status"));
});
document.getElementById("display-settings").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.target;
  act("workshop:set_display", {
    workshop_id: page.workshop_id, anonymity: form.elements.anonymity.value,
    results_to_participants: form.elements.results_to_participants.checked,
    authors_translate: form.elements.authors_translate.checked,
  }, form.querySelector(".form-status"));
});
/* The room screens: results hidden until the reveal, the whole-workshop screen's layout. */
const projectorForm = document.getElementById("projector-settings");
const reveal = document.getElementById("results-reveal");
function fillProjector(display) {
  reveal.dataset.hidden = String(!display.results_shown);
  reveal.textContent = display.results_shown ? reveal.dataset.hide : reveal.dataset.reveal;
  projectorForm.elements.layout.value = display.layout;
}
function setProjector(resultsShown) {
  act("workshop:set_projector", {
    workshop_id: page.workshop_id, results_shown: resultsShown, layout: projectorForm.elements.layout.value,
  }, projectorForm.querySelector(".form-status")).then((ack) => { if (ack && ack.ok) fillProjector(ack.projector); });
}
reveal.addEventListener("click", () => setProjector(reveal.dataset.hidden === "true"));
projectorForm.elements.layout.addEventListener("change", () => setProjector(reveal.dataset.hidden !== "true"));
projectorForm.addEventListener("submit", (event) => event.preventDefault());
on("projector:display", fillProjector);
on("watch", (ack) => {
  fillSettings(ack.settings);
  if (ack.projector) fillProjector(ack.projector);
});
on("session:settings", (message) => fillSettings(message.settings));
start([]);
