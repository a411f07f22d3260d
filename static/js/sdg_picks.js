/* Participants pick the main SDGs of each axis, up to the workshop's limit per axis. */
import { t } from "./live.js";

export default function sdgPicks() {
  let ctx = null;
  let picks = {};
  let limit = 3;

  function draw() {
    for (const fieldset of document.querySelectorAll(".axis-picks")) {
      const axis = fieldset.dataset.axis;
      const chosen = new Set(picks[axis] || []);
      const boxes = fieldset.querySelectorAll('input[type="checkbox"]');
      for (const box of boxes) {
        box.checked = chosen.has(Number(box.value));
        box.disabled = !box.checked && chosen.size >= limit;
      }
      fieldset.querySelector(".pick-count").textContent = t("picked_count", { count: chosen.size, limit });
    }
  }

  return {
    events: ["sdg:pick"],
    init(context) {
      ctx = context;
      for (const box of document.querySelectorAll(".axis-picks input[type=checkbox]")) {
        box.addEventListener("change", () => {
          const axis = box.closest(".axis-picks").dataset.axis;
          const sdg = Number(box.value);
          const current = new Set(picks[axis] || []);
          if (box.checked) current.add(sdg); else current.delete(sdg);
          picks = { ...picks, [axis]: [...current] };
          draw();
          ctx.outbox.add("sdg:pick", { axis, sdg, picked: box.checked });
        });
      }
      ctx.socket.on("sdg:mine", (mine) => { picks = mine.picks; limit = mine.limit; draw(); });
    },
    done(item, ack) {
      if (ack.error) { ctx.resync(true); return; }
      picks = ack.picks;
      limit = ack.limit;
      draw();
    },
    snapshot(snapshot) { picks = snapshot.picks; limit = snapshot.settings.sdg_limit; draw(); },
    settings(settings) { limit = settings.sdg_limit; draw(); },
  };
}
