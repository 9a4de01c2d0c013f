// The page view: the scan with the field boxes over it, the flagged fields first, keyboard first.
import { fieldLabel, ruleLabel } from './labels.js';

const ZOOM_STEP = 1.25;
const CHECK_DELAY_MS = 250;  // re-run the rules once the reviewer pauses typing

function $(id) { return document.getElementById(id); }

function shown(value) {
  if (value === true) return 'oui';
  if (value === false) return 'non';
  return value ?? '';
}

function percent(confidence) {
  return `${Math.round((confidence ?? 0) * 100)} %`;
}

export class ReviewView {
  constructor(api, { onDone, onStatus }) {
    this.api = api;
    this.onDone = onDone;
    this.onStatus = onStatus;
    this.scale = 1;
    this.work = null;
    this.inputs = new Map();  // target -> input
    this.ruleNotes = new Map();  // target -> the names of the rules that fail on it
    this.renewTimer = 0;
    this.checkTimer = 0;
    this.bind();
  }

  bind() {
    $('zoom-in').addEventListener('click', () => this.zoom(this.scale * ZOOM_STEP));
    $('zoom-out').addEventListener('click', () => this.zoom(this.scale / ZOOM_STEP));
    $('zoom-fit').addEventListener('click', () => this.fit());
    $('toggle-others').addEventListener('click', () => this.toggleOthers());
    $('approve').addEventListener('click', () => this.approve());
    $('reject').addEventListener('click', () => this.askReject());
    $('back').addEventListener('click', () => this.leave());
    $('fields-form').addEventListener('submit', (e) => e.preventDefault());
    $('reject-dialog').addEventListener('close', () => this.rejectClosed());
    document.addEventListener('keydown', (e) => this.shortcut(e));
    window.addEventListener('pagehide', () => this.releaseQuietly());
  }

  get active() { return this.work !== null && !$('review-view').hidden; }

  async open(claimId) {
    this.work = null;
    delete $('review-view').dataset.ready;
    const work = await this.api.lease(claimId);  // 409 when another reviewer holds it
    this.work = work;
    this.original = new Map(work.targets.map((t) => [t.target, shown(t.value)]));
    $('review-title').textContent = `Feuille ${work.form_type} — ${claimId}`;
    this.renderFields(work.targets);
    this.renderChecks(work.validation);
    this.renderAudit(work.audit);
    await this.loadImage(work.image_url);
    this.renderBoxes(work.targets);
    const renewEvery = Math.max(5, work.lease_seconds / 3) * 1000;
    clearInterval(this.renewTimer);
    this.renewTimer = setInterval(() => this.renew(), renewEvery);
    const first = this.inputs.values().next().value;
    if (first) first.focus();
    // For whoever waits on the page (a test, an assistive tool): the sheet is ready to work on.
    $('review-view').dataset.ready = claimId;
  }

  async renew() {
    if (!this.work) return;
    try {
      await this.api.lease(this.work.claim_id);
    } catch (e) {
      this.onStatus(`Verrou perdu : ${e.message}`, true);
    }
  }

  loadImage(url) {
    const img = $('page-image');
    return new Promise((resolve) => {
      img.onload = () => { this.fit(); resolve(); };
      img.onerror = () => { this.onStatus("L'image de la page n'a pas pu être chargée", true); resolve(); };
      img.src = url;
    });
  }

  zoom(scale) {
    const img = $('page-image');
    if (!img.naturalWidth) return;
    this.scale = Math.min(4, Math.max(0.1, scale));
    $('page-canvas').style.width = `${Math.round(img.naturalWidth * this.scale)}px`;
    $('zoom-level').textContent = `${Math.round(this.scale * 100)} %`;
  }

  fit() {
    const img = $('page-image');
    if (!img.naturalWidth) return;
    this.zoom(($('scroller').clientWidth - 4) / img.naturalWidth);
  }

  renderFields(targets) {
    this.inputs.clear();
    this.ruleNotes.clear();
    const flagged = $('flagged-fields');
    const others = $('other-fields');
    flagged.replaceChildren();
    others.replaceChildren();
    let flags = 0;
    for (const t of targets) {
      const row = this.fieldRow(t);
      (t.flagged ? flagged : others).append(row);
      if (t.flagged) flags += 1;
    }
    $('flag-count').textContent = `(${flags})`;
    this.setOthers(flags === 0);
  }

  fieldRow(t) {
    const li = document.createElement('li');
    li.className = 'field';
    li.dataset.target = t.target;
    const id = `field-${t.target.replace(/[^\w]/g, '_')}`;
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = fieldLabel(t.target, t.table);
    const crop = document.createElement('canvas');
    crop.className = 'crop';
    crop.setAttribute('role', 'img');
    crop.setAttribute('aria-label', `Extrait : ${label.textContent}`);
    crop.dataset.box = JSON.stringify(t.box || null);
    const input = document.createElement('input');
    input.id = id;
    input.value = shown(t.value);
    input.autocomplete = 'off';
    input.spellcheck = false;
    const help = document.createElement('span');
    help.id = `${id}-help`;
    help.className = 'meta';
    input.setAttribute('aria-describedby', help.id);
    const conf = document.createElement('span');
    conf.className = (t.confidence ?? 0) < 0.5 ? 'conf low' : 'conf';
    conf.textContent = `confiance ${percent(t.confidence)}${t.source === 'reviewer' ? ' · corrigé' : ''}`;
    const rules = document.createElement('span');
    rules.className = 'rules';
    rules.textContent = (t.findings || []).map((f) => ruleLabel(f.rule)).join(' · ');
    this.ruleNotes.set(t.target, rules);
    help.append(conf, rules);
    input.addEventListener('keydown', (e) => this.fieldKey(e, t.target));
    input.addEventListener('input', () => this.edited(t.target));
    input.addEventListener('focus', () => this.highlight(t.target));
    li.append(label, crop, input, help);
    this.inputs.set(t.target, input);
    return li;
  }

  drawCrops() {
    const img = $('page-image');
    for (const canvas of document.querySelectorAll('canvas.crop')) {
      const box = JSON.parse(canvas.dataset.box);
      if (!box || !img.naturalWidth) { canvas.hidden = true; continue; }
      const [x, y, w, h] = box;
      const scale = Math.min(1, 320 / w, 60 / h);
      canvas.width = Math.max(1, Math.round(w * scale));
      canvas.height = Math.max(1, Math.round(h * scale));
      canvas.getContext('2d').drawImage(img, x, y, w, h, 0, 0, canvas.width, canvas.height);
      canvas.hidden = false;
    }
  }

  renderBoxes(targets) {
    const img = $('page-image');
    const layer = $('boxes');
    layer.replaceChildren();
    if (!img.naturalWidth) return;
    for (const t of targets) {
      if (!t.box) continue;
      const [x, y, w, h] = t.box;
      const div = document.createElement('div');
      div.className = t.flagged ? 'box flagged' : 'box';
      div.dataset.target = t.target;
      div.style.left = `${(100 * x) / img.naturalWidth}%`;
      div.style.top = `${(100 * y) / img.naturalHeight}%`;
      div.style.width = `${(100 * w) / img.naturalWidth}%`;
      div.style.height = `${(100 * h) / img.naturalHeight}%`;
      div.addEventListener('click', () => this.focusTarget(t.target));
      layer.append(div);
    }
    this.drawCrops();
  }

  highlight(target) {
    for (const box of document.querySelectorAll('.box.current')) box.classList.remove('current');
    const box = document.querySelector(`.box[data-target="${CSS.escape(target)}"]`);
    if (!box) return;
    box.classList.add('current');
    box.scrollIntoView({ block: 'center', inline: 'center' });
  }

  focusTarget(target) {
    const input = this.inputs.get(target);
    if (!input) return;
    if (input.closest('#other-fields')) this.setOthers(true);
    input.focus();
  }

  setOthers(open) {
    $('other-fields').hidden = !open;
    $('toggle-others').setAttribute('aria-expanded', String(open));
  }

  toggleOthers() {
    const open = $('other-fields').hidden;
    this.setOthers(open);
    if (open) $('other-fields').querySelector('input')?.focus();
  }

  corrections() {
    const out = {};
    for (const [target, input] of this.inputs) {
      if (input.value !== this.original.get(target)) out[target] = input.value === '' ? null : input.value;
    }
    return out;
  }

  edited(target) {
    const input = this.inputs.get(target);
    input.closest('li').classList.toggle('changed', input.value !== this.original.get(target));
    clearTimeout(this.checkTimer);
    this.checkTimer = setTimeout(() => this.recheck(), CHECK_DELAY_MS);
  }

  async recheck() {
    if (!this.work) return;
    try {
      const verdict = await this.api.check(this.work.claim_id, this.corrections());
      this.renderChecks(verdict.validation);
      for (const t of verdict.targets) {
        const note = this.ruleNotes.get(t.target);
        if (note) note.textContent = (t.findings || []).map((f) => ruleLabel(f.rule)).join(' · ');
      }
    } catch (e) {
      this.onStatus(`Contrôle impossible : ${e.message}`, true);
    }
  }

  fieldKey(e, target) {
    const input = this.inputs.get(target);
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      input.value = this.original.get(target);
      this.edited(target);
    } else if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      input.closest('li').classList.add('confirmed');
      this.edited(target);
      const all = [...this.inputs.values()].filter((i) => !i.closest('[hidden]'));
      const next = all[all.indexOf(input) + 1];
      if (next) next.focus(); else $('approve').focus();
    }
  }

  shortcut(e) {
    if (!this.active || $('reject-dialog').open) return;
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      this.approve();
    } else if (e.altKey && (e.key === 'r' || e.key === 'R')) {
      e.preventDefault();
      this.askReject();
    } else if (e.altKey && (e.key === 't' || e.key === 'T')) {
      e.preventDefault();
      this.toggleOthers();
    }
  }

  renderChecks(findings) {
    const list = $('checks');
    list.replaceChildren();
    const errors = (findings || []).filter((f) => f.severity === 'error').length;
    for (const f of findings || []) {
      const li = document.createElement('li');
      li.className = f.severity;
      li.dataset.rule = f.rule;
      li.textContent = `${f.severity === 'error' ? 'Erreur' : 'Avertissement'} — ${ruleLabel(f.rule)} : ${f.message}`;
      list.append(li);
    }
    if (!findings || findings.length === 0) {
      const li = document.createElement('li');
      li.className = 'ok';
      li.textContent = 'Tous les contrôles passent.';
      list.append(li);
    }
    $('check-count').textContent = errors ? `(${errors} erreur${errors > 1 ? 's' : ''})` : '';
  }

  renderAudit(entries) {
    const list = $('audit');
    list.replaceChildren();
    for (const a of entries || []) {
      const li = document.createElement('li');
      li.textContent = `${new Date(a.at).toLocaleString('fr-FR')} — ${a.user} — ${fieldLabel(a.field)} : « ${a.before} » → « ${a.after} »`;
      list.append(li);
    }
    if (!entries || entries.length === 0) {
      const li = document.createElement('li');
      li.textContent = 'Aucune modification.';
      list.append(li);
    }
  }

  async approve() {
    if (!this.work) return;
    const { claim_id: id, version } = this.work;
    try {
      const claim = await this.api.approve(id, version, this.corrections());
      this.finish(`Feuille ${id} validée (${claim.review?.corrected?.length ?? 0} correction(s)).`);
    } catch (e) {
      this.onStatus(`Validation refusée : ${e.message}`, true);
    }
  }

  askReject() {
    if (!this.work) return;
    $('reject-dialog').showModal();
    $('reject-form').querySelector('input:checked').focus();
  }

  async rejectClosed() {
    const dialog = $('reject-dialog');
    if (dialog.returnValue !== 'confirm' || !this.work) return;
    dialog.returnValue = '';
    const reason = new FormData($('reject-form')).get('reason');
    const id = this.work.claim_id;
    try {
      await this.api.reject(id, reason);
      this.finish(`Feuille ${id} rejetée.`);
    } catch (e) {
      this.onStatus(`Rejet refusé : ${e.message}`, true);
    }
  }

  finish(message) {
    clearInterval(this.renewTimer);
    this.work = null;
    this.onStatus(message, false);
    this.onDone();
  }

  // Gives the claim back to the queue; `navigate` false when the reviewer already went elsewhere.
  async leave(navigate = true) {
    const work = this.work;
    clearInterval(this.renewTimer);
    this.work = null;
    if (work) await this.api.release(work.claim_id).catch(() => {});
    if (navigate) this.onDone();
  }

  releaseQuietly() {
    if (this.work) this.api.release(this.work.claim_id).catch(() => {});
  }
}
