/* Participants' texts with their translations (`translations` of an initiative or item:
   {lang: {field: {text, origin, by}}}). Phones and the console show the translation into
   the reader's interface language in place of the original, labelled ("Machine
   translation", "Translated by …"), the original one button away; the room screen shows
   the translation big and the original smaller under it. Every text keeps its `lang`. */
import { el, pageData, t } from "./live.js";

const opened = new Set(); // texts whose reader asked for the original (kept across redraws)

export function reader() {
  return pageData().locale;
}

/* The translation of `data[field]` into `lang` when the text is in another language. */
export function translationOf(data, field, textLang, lang = reader()) {
  if (!data || !data.translations || !textLang || textLang === lang) return null;
  const entry = (data.translations[lang] || {})[field];
  return entry && entry.text ? entry : null;
}

/* "Machine translation", "Translated by Ana" or "Human translation" (name withheld). */
export function kindLabel(entry) {
  if (entry.origin !== "human") return t("machine_translation");
  return entry.by ? t("translated_by", { name: entry.by }) : t("human_translation");
}

/* A text (or a card's texts) for a phone or the console. `key` names it ("i12", "t7");
   `fields` are the payload's field names. Returns {node(tag, attrs, field), note}: draw
   each field with `node` and put `note` (null when nothing is translated) after them:
   the label, "Show original"/"Show translation", and "Correct translation" when
   `options.correct(changes)` is given (resolves with the ack of `translation:correct`). */
export function texts(data, fields, textLang, key, options = {}) {
  const lang = reader();
  const entries = new Map(fields.map((f) => [f, translationOf(data, f, textLang, lang)]).filter(([, e]) => e));
  const nodes = [];
  const showing = () => (opened.has(key) ? "original" : "translation");
  const paint = (node) => {
    const entry = entries.get(node.dataset.field);
    const original = !entry || showing() === "original";
    node.textContent = original ? data[node.dataset.field] : entry.text;
    node.setAttribute("lang", original ? textLang : lang);
  };
  const node = (tag, attrs, field) => {
    const made = el(tag, { ...attrs, "data-field": field });
    if (entries.has(field)) made.classList.add("is-translated");
    paint(made);
    nodes.push(made);
    return made;
  };
  if (!entries.size) return { node, note: null };
  const [first] = entries.values();
  const label = el("span", { class: "tr-label" }, kindLabel(first));
  const toggle = el("button", { type: "button", class: "tr-toggle link-button", "data-focus-key": `${key}:tr` });
  const paintToggle = () => {
    const original = showing() === "original";
    toggle.textContent = original ? t("show_translation") : t("show_original");
    label.hidden = original;
  };
  toggle.addEventListener("click", () => {
    if (opened.has(key)) opened.delete(key);
    else opened.add(key);
    nodes.forEach(paint);
    paintToggle();
  });
  paintToggle();
  const note = el("p", { class: "tr-note" }, label, " ", toggle);
  if (options.correct) {
    const fix = el("button", { type: "button", class: "tr-correct link-button", "data-focus-key": `${key}:fix` },
      t("correct_translation"));
    fix.addEventListener("click", () => {
      if (note.nextElementSibling && note.nextElementSibling.classList.contains("tr-form")) return;
      note.after(correctionForm(entries, lang, options, () => fix.focus()));
    });
    note.append(" ", fix);
  }
  return { node, note };
}

/* An author's own text in the workshop's other languages, each labelled, with "Correct
   translation" (`correct(change)`, when the workshop lets authors translate); null while
   nothing is translated. */
export function ownTranslations(data, fields, textLang, key, correct) {
  const langs = Object.keys(data.translations || {}).filter((l) => l !== textLang).sort();
  const blocks = langs.map((lang) => {
    const entries = new Map(fields.map((f) => [f, translationOf(data, f, textLang, lang)]).filter(([, e]) => e));
    if (!entries.size) return null;
    const [first] = entries.values();
    const fix = el("button", { type: "button", class: "tr-correct link-button", "data-focus-key": `${key}:fix:${lang}` },
      t("correct_translation"));
    const note = el("p", { class: "tr-note" }, el("span", { class: "lang-tag" }, lang), " ",
      el("span", { class: "tr-label" }, kindLabel(first)), " ", fix);
    fix.addEventListener("click", () => {
      if (note.nextElementSibling && note.nextElementSibling.classList.contains("tr-form")) return;
      note.after(correctionForm(entries, lang, { correct }, () => fix.focus()));
    });
    return el("div", { class: "own-translation" },
      [...entries.values()].map((e) => el("p", { lang }, e.text)), note);
  }).filter(Boolean);
  if (!blocks.length) return null;
  return el("details", { class: "own-translations" }, el("summary", {}, t("your_text_translated")), blocks);
}

let formCount = 0;

/* The inline form that replaces machine translations with a person's: one box per field. */
function correctionForm(entries, lang, options, done) {
  formCount += 1;
  const boxes = [...entries].map(([field, entry]) => {
    const id = `tr-fix-${formCount}-${field}`;
    const box = el("textarea", { id, name: field, rows: field === "description" ? 3 : 2, lang, required: true });
    box.value = entry.text;
    return el("div", { class: "tr-field" },
      el("label", { for: id }, t(`translation_field_${field}`)), box);
  });
  const status = el("p", { class: "form-status", role: "status" });
  const form = el("form", { class: "tr-form" }, boxes,
    el("div", { class: "tr-actions" },
      el("button", { type: "submit" }, t("save_translation")),
      el("button", { type: "button", class: "tr-cancel" }, t("cancel"))),
    status);
  const close = () => { form.remove(); done(); };
  form.querySelector(".tr-cancel").addEventListener("click", close);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    for (const [field, entry] of entries) {
      const text = form.elements[field].value.trim();
      if (!text || text === entry.text) continue;
      let ack;
      try {
        ack = await options.correct({ field, language: lang, text });
      } catch (e) {
        ack = null;
      }
      if (!ack || !ack.ok) {
        status.textContent = ack ? ack.error.message : t("offline");
        status.classList.add("is-error");
        return;
      }
    }
    close();
  });
  window.setTimeout(() => form.querySelector("textarea").focus(), 0);
  return form;
}

/* The room screen: the translation big, the original smaller under it with its label;
   the original alone when there is no translation. `cls` classes the main line. */
export function bothTexts(tag, cls, data, field, textLang) {
  const entry = translationOf(data, field, textLang);
  if (!entry) return [el(tag, { class: cls, lang: textLang }, data[field])];
  return [
    el(tag, { class: `${cls} is-translated`, lang: reader() }, entry.text),
    el("p", { class: "tr-original-small" },
      el("span", { lang: textLang }, data[field]), " ",
      el("span", { class: "tr-tag" }, kindLabel(entry))),
  ];
}

/* Whether machine translation runs: the page data's `translation`, then each
   `translation:status` (setStatus); absent: off. */
let status = null;

export function setStatus(message) {
  if (message) status = message;
}

/* "Machine translation is off" (or unavailable) in `node` where texts in another
   language appear (`mixed`); hidden otherwise. */
export function statusNote(node, mixed) {
  if (!node) return;
  if (!status) status = pageData().translation || { enabled: false, available: false };
  const off = !status.enabled ? t("translation_off") : !status.available ? t("translation_unavailable") : "";
  node.textContent = mixed ? off : "";
  node.hidden = !mixed || !off;
}
