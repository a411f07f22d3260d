/* Dynamic one on the participant page: post, edit and withdraw initiatives; the board.
   Posting and editing confirm under the form's button; withdrawing, at the top of the
   axis the card left. */
import { announce, el, inView, keepFocus, newId, t } from "./live.js";
import { request } from "./feed.js";
import { Paged, render, shownText } from "./board.js";
import { ownTranslations } from "./translated.js";

export default function initiatives() {
  const board = new Paged();
  const mine = new Set();
  let ctx = null;
  let form, submitButton, cancelEdit, boardNode, formStatus;
  let notice = null; // { axis, text } said where a withdrawn card was
  let editingId = null;
  let unseen = 0;
  let announceTimer = null;
  const FIELDS = ["title", "description", "axis", "sdgs", "link"];

  function showFieldErrors(fields) {
    for (const name of FIELDS) {
      document.getElementById(`f-${name}-error`).textContent = fields[name] ? fields[name].message : "";
      const input = form.querySelector(`[name="${name}"]`);
      if (fields[name]) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    }
    const first = FIELDS.find((n) => fields[n]);
    if (first) form.querySelector(`[name="${first}"]`).focus();
  }

  function readForm() {
    return {
      title: form.elements.title.value.trim(),
      description: form.elements.description.value.trim(),
      axis: (form.querySelector('input[name="axis"]:checked') || {}).value || "",
      sdgs: [...form.querySelectorAll('input[name="sdgs"]:checked')].map((c) => Number(c.value)),
      link: form.elements.link.value.trim(),
    };
  }

  function fillForm(data) {
    form.elements.title.value = data.title || "";
    form.elements.description.value = data.description || "";
    form.elements.link.value = data.link || "";
    for (const radio of form.querySelectorAll('input[name="axis"]')) radio.checked = radio.value === data.axis;
    const chosen = new Set(data.sdgs || []);
    for (const box of form.querySelectorAll('input[name="sdgs"]')) box.checked = chosen.has(Number(box.value));
  }

  /* Catch the obvious mistakes before sending; the server checks everything again. */
  function checkForm(data) {
    const fields = {};
    if (!data.title) fields.title = { message: t("required_title") };
    if (!data.axis) fields.axis = { message: t("required_axis") };
    if (!data.sdgs.length) fields.sdgs = { message: t("required_sdgs") };
    return fields;
  }

  function stopEditing() {
    editingId = null;
    form.reset();
    submitButton.textContent = t("post");
    cancelEdit.hidden = true;
  }

  /* One's own text in the other languages, to correct (where the workshop lets authors). */
  function ownTexts(item) {
    if (!(ctx.state.settings && ctx.state.settings.authors_translate)) return null;
    const fields = item.description ? ["title", "description"] : ["title"];
    return ownTranslations(item, fields, ctx.pageData.text_lang, `i${item.id}`, (change) =>
      request(ctx.socket, "translation:correct", { subject: "initiative", subject_id: item.id, ...change }));
  }

  function ownActions(item) {
    const own = mine.has(item.id) || item.participant_id === ctx.pageData.participant_id;
    if (!own) return null;
    if (ctx.state.phase !== "initiatives") return ownTexts(item);
    const focus = (what) => ({ "data-focus-key": `${item.id}:${what}`, "data-focus-group": `i${item.id}` });
    const edit = el("button", { type: "button", ...focus("edit") }, t("edit"));
    edit.addEventListener("click", () => {
      editingId = item.id;
      fillForm(item);
      submitButton.textContent = t("save_changes");
      cancelEdit.hidden = false;
      ctx.confirm(formStatus, t("editing"));
      form.elements.title.focus();
    });
    const withdraw = el("button", { type: "button", class: "danger", ...focus("withdraw") }, t("withdraw"));
    withdraw.addEventListener("click", () => {
      if (!window.confirm(t("confirm_withdraw"))) return;
      notice = { axis: item.axis, text: "" };
      ctx.outbox.add("initiative:withdraw", { id: item.id });
    });
    return [el("div", { class: "actions" }, edit, withdraw), ownTexts(item)];
  }

  function draw() {
    const options = {
      taxonomy: ctx.pageData.taxonomy, textLang: ctx.pageData.text_lang, actions: ownActions,
      paging: board, onOlder: showOlder, hiddenNote: "hidden_own",
    };
    keepFocus(boardNode, () => {
      if (!board.items.size && !board.total) {
        const said = notice && notice.text ? el("p", { class: "action-status" }, notice.text) : null;
        boardNode.replaceChildren(...[said, el("p", { class: "empty board-empty" }, t("board_empty"))].filter(Boolean));
        return;
      }
      render(boardNode, board.items, options);
      const column = notice && notice.text && boardNode.querySelector(`[data-axis="${CSS.escape(notice.axis)}"] h3`);
      if (column) column.after(el("p", { class: "action-status" }, notice.text));
    });
    const said = boardNode.querySelector(".action-status");
    if (said) inView(said);
  }

  /* "Show older initiatives": the next page goes below; the count is announced. */
  async function showOlder() {
    let ack;
    try {
      ack = await board.loadOlder((beforeId) => request(ctx.socket, "initiative:page", { before_id: beforeId }));
    } catch (e) {
      announce(t("offline"));
      return;
    }
    if (!ack) return;
    if (ack.error) { announce(ack.error.message); return; }
    draw();
    announce(shownText(board));
  }

  function noteNew(item) {
    if (mine.has(item.id) || item.participant_id === ctx.pageData.participant_id) return;
    unseen += 1;
    window.clearTimeout(announceTimer);
    announceTimer = window.setTimeout(() => { announce(t("new_initiatives", { count: unseen })); unseen = 0; }, 3000);
  }

  return {
    events: ["initiative:post", "initiative:edit", "initiative:withdraw"],
    init(context) {
      ctx = context;
      form = document.getElementById("initiative-form");
      submitButton = document.getElementById("submit-button");
      cancelEdit = document.getElementById("cancel-edit");
      boardNode = document.getElementById("board");
      formStatus = document.getElementById("form-status");
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        notice = null;
        const data = readForm();
        const fields = checkForm(data);
        showFieldErrors(fields);
        if (Object.keys(fields).length) return;
        if (editingId) ctx.outbox.add("initiative:edit", { ...data, id: editingId });
        else ctx.outbox.add("initiative:post", { ...data, client_id: newId() });
        stopEditing();
        ctx.confirm(formStatus, ctx.socket.connected ? t("sending") : t("queued"));
      });
      cancelEdit.addEventListener("click", () => { stopEditing(); ctx.confirm(formStatus, ""); });
      ctx.onDelta("initiative:upserted", (message) => {
        const known = board.items.has(message.initiative.id);
        if (!board.upsert(message.initiative, message)) return;
        if (!known && board.items.has(message.initiative.id)) noteNew(message.initiative);
        draw();
      });
      ctx.onDelta("initiative:withdrawn", (message) => {
        /* hidden by a facilitator: gone from the board, but its author keeps it, marked */
        const own = message.hidden && mine.has(message.id) && board.items.get(message.id);
        if (own) {
          board.counted(message);
          board.items.set(message.id, { ...own, hidden: true });
        } else board.withdraw(message.id, message);
        draw();
      });
    },
    done(item, ack) {
      if (ack.error) {
        if (item.event !== "initiative:withdraw") fillForm(item.payload);
        showFieldErrors(ack.error.fields || {});
        if (item.event === "initiative:withdraw" && notice) { notice.text = ack.error.message; draw(); }
        else ctx.confirm(formStatus, ack.error.message, true);
        return;
      }
      if (ack.initiative && !ack.initiative.withdrawn) {
        mine.add(ack.initiative.id);
        board.upsert(ack.initiative);
      }
      /* the count goes down with the broadcast `initiative:withdrawn` */
      if (item.event === "initiative:withdraw") board.items.delete(ack.id);
      if (item.event === "initiative:withdraw") {
        notice = { axis: notice ? notice.axis : "", text: t("withdrawn") };
        draw();
        announce(notice.text);
        return;
      }
      draw();
      ctx.confirm(formStatus, t(item.event === "initiative:post" ? "posted" : "updated"));
    },
    snapshot(snapshot) {
      board.reset(snapshot);
      mine.clear();
      for (const id of snapshot.my_initiatives) mine.add(id);
    },
    phase(phase) {
      if (phase !== "initiatives") stopEditing();
      notice = null;
      draw();
    },
  };
}
