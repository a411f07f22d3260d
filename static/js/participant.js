/* The participant's session page: post, edit and withdraw initiatives; the live board. */
"use strict";

(() => {
  const { t, el, announce, pageData } = Live;
  const socket = Live.connect({ session_id: pageData.session_id });
  const form = document.getElementById("initiative-form");
  const formStatus = document.getElementById("form-status");
  const submitButton = document.getElementById("submit-button");
  const cancelEdit = document.getElementById("cancel-edit");
  const banner = document.getElementById("phase-banner");
  const boardNode = document.getElementById("board");
  const items = new Map();
  let seq = -1;
  let phase = null;
  let editingId = null;
  let unseen = 0;
  let announceTimer = null;

  const outbox = new Live.Outbox(socket, `outbox:${pageData.session_id}:${pageData.participant_id}`, {
    done(item, ack) {
      if (ack.error) {
        showStatus(t("failed_queued", { message: ack.error.message }), true);
        if (item.event !== "initiative:withdraw") fillForm(item.payload);
        showFieldErrors(ack.error.fields || {});
        return;
      }
      if (ack.initiative) upsert(ack.initiative);
      if (item.event === "initiative:withdraw") { items.delete(ack.id); draw(); }
      const key = { "initiative:post": "posted", "initiative:edit": "updated" }[item.event] || "withdrawn";
      showStatus(t(key), false);
    },
  });

  function showStatus(text, isError) {
    formStatus.textContent = text;
    formStatus.classList.toggle("is-error", isError);
  }

  function showFieldErrors(fields) {
    for (const name of ["title", "description", "axis", "sdgs", "link"]) {
      const node = document.getElementById(`f-${name}-error`);
      node.textContent = fields[name] ? fields[name].message : "";
      const input = form.elements[name];
      if (input && input.setAttribute) {
        if (fields[name]) input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
      }
    }
    const first = ["title", "description", "axis", "sdgs", "link"].find((n) => fields[n]);
    if (first) {
      const target = form.querySelector(`[name="${first}"]`);
      if (target) target.focus();
    }
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

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = readForm();
    const fields = checkForm(data);
    showFieldErrors(fields);
    if (Object.keys(fields).length) return;
    if (editingId) outbox.add("initiative:edit", { ...data, id: editingId });
    else outbox.add("initiative:post", { ...data, client_id: Live.newId() });
    stopEditing();
    if (!socket.connected) showStatus(t("queued"), false);
  });

  cancelEdit.addEventListener("click", () => { stopEditing(); showStatus("", false); });

  function ownActions(item) {
    if (item.participant_id !== pageData.participant_id || phase !== "initiatives") return null;
    const edit = el("button", { type: "button" }, t("edit"));
    edit.addEventListener("click", () => {
      editingId = item.id;
      fillForm(item);
      submitButton.textContent = t("save_changes");
      cancelEdit.hidden = false;
      showStatus(t("editing"), false);
      form.elements.title.focus();
    });
    const withdraw = el("button", { type: "button", class: "danger" }, t("withdraw"));
    withdraw.addEventListener("click", () => {
      if (window.confirm(t("confirm_withdraw"))) outbox.add("initiative:withdraw", { id: item.id });
    });
    return el("div", { class: "actions" }, edit, withdraw);
  }

  function draw() {
    Board.render(boardNode, items, { taxonomy: pageData.taxonomy, textLang: pageData.text_lang, actions: ownActions });
  }

  function setPhase(value) {
    phase = value;
    banner.textContent = t(`phase_${value}`);
    banner.dataset.phase = value;
    document.getElementById("post-section").hidden = value !== "initiatives";
    if (value !== "initiatives") stopEditing();
  }

  function upsert(item) {
    items.set(item.id, item);
    draw();
  }

  function applySnapshot(board) {
    if (board.unchanged) return;
    items.clear();
    for (const item of board.initiatives) items.set(item.id, item);
    seq = board.seq;
    setPhase(board.phase);
    draw();
  }

  async function resync() {
    try {
      const ack = await Live.request(socket, "session:snapshot", { since_seq: seq });
      if (ack.ok) applySnapshot(ack);
    } catch (e) { /* the next connect retries */ }
  }

  /* A delta is applied only if it is the next one; a gap means we missed something. */
  function inOrder(message) {
    if (message.seq <= seq) return false;
    if (message.seq !== seq + 1) { resync(); return false; }
    seq = message.seq;
    return true;
  }

  function noteNew(item) {
    if (item.participant_id === pageData.participant_id) return;
    unseen += 1;
    window.clearTimeout(announceTimer);
    announceTimer = window.setTimeout(() => { announce(t("new_initiatives", { count: unseen })); unseen = 0; }, 3000);
  }

  socket.on("connect", resync);
  socket.on("initiative:upserted", (message) => {
    if (!inOrder(message)) return;
    if (!items.has(message.initiative.id)) noteNew(message.initiative);
    upsert(message.initiative);
  });
  socket.on("initiative:withdrawn", (message) => {
    if (!inOrder(message)) return;
    items.delete(message.id);
    draw();
  });
  socket.on("session:phase", (message) => {
    if (!inOrder(message)) return;
    setPhase(message.phase);
    draw();
  });
})();
