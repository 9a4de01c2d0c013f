// The reviewer page: log in, the queue, a claim under review, the supervisor's figures.
// Views are picked by the URL's fragment: #/file, #/feuille/<claim id>, #/supervision.
import { Api, ApiError } from './api.js';
import { FORMS, fieldLabel, reasonLabel } from './labels.js';
import { ReviewView } from './review.js';

const api = new Api();
const VIEWS = ['login-view', 'queue-view', 'review-view', 'supervision-view'];
let me = null;

function $(id) { return document.getElementById(id); }

function show(view) {
  for (const v of VIEWS) $(v).hidden = v !== view;
  $('nav').hidden = view === 'login-view';
}

function status(message, isError) {
  const el = $('status');
  el.textContent = message;
  el.classList.toggle('error', Boolean(isError));
}

function since(iso) {
  const minutes = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60000));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h`;
  return `${Math.round(minutes / 1440)} j`;
}

function duration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

const review = new ReviewView(api, {
  onDone: () => { location.hash = '#/file'; route(); },
  onStatus: status,
});

async function logIn(event) {
  event.preventDefault();
  $('login-error').textContent = '';
  try {
    me = await api.logIn($('login-user').value, $('login-password').value);
    $('login-password').value = '';
    enter();
  } catch (e) {
    $('login-error').textContent = e.status === 401
      ? 'Identifiant ou mot de passe incorrect.'
      : `Connexion impossible : ${e.message}`;
  }
}

function enter() {
  $('whoami').textContent = `${me.username} (${me.role === 'admin' ? 'administrateur' : 'réviseur'})`;
  $('nav-supervision').hidden = me.role !== 'admin';
  if (!location.hash || location.hash === '#/connexion') location.hash = '#/file';
  route();
}

function fillSelect(select, counts, label, current) {
  select.replaceChildren(new Option(`Tous (${Object.values(counts || {}).reduce((a, b) => a + b, 0)})`, ''));
  for (const [key, n] of Object.entries(counts || {})) {
    select.append(new Option(`${label(key)} (${n})`, key, false, key === current));
  }
  select.value = current && counts && current in counts ? current : '';
}

async function showQueue() {
  show('queue-view');
  $('queue-error').textContent = '';
  const filters = {
    office: $('filter-office').value,
    form_type: $('filter-form').value,
    reason: $('filter-reason').value,
  };
  let data;
  try {
    data = await api.queue(filters);
  } catch (e) {
    $('queue-error').textContent = `File indisponible : ${e.message}`;
    return;
  }
  const c = data.counts;
  $('queue-count').textContent = `(${c.shown} sur ${c.total})`;
  fillSelect($('filter-office'), c.office, (k) => k, filters.office);
  fillSelect($('filter-form'), c.form_type, (k) => FORMS[k] || k, filters.form_type);
  fillSelect($('filter-reason'), c.reason, reasonLabel, filters.reason);
  const rows = $('queue-rows');
  rows.replaceChildren();
  for (const item of data.items) {
    const tr = document.createElement('tr');
    const cells = [
      since(item.waiting_since),
      item.office,
      FORMS[item.form_type] || item.form_type,
      item.reasons.map(reasonLabel).join(', '),
    ];
    for (const text of cells) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    const td = document.createElement('td');
    const open = document.createElement('a');
    open.href = `#/feuille/${item.claim_id}`;
    open.textContent = 'Réviser';
    open.setAttribute('aria-label', `Réviser la feuille ${item.claim_id}`);
    open.className = 'open';
    td.append(open);
    tr.append(td);
    rows.append(tr);
  }
  if (data.items.length === 0) {
    const tr = document.createElement('tr');
    const td = document.createElement('td');
    td.colSpan = 5;
    td.textContent = 'Aucune feuille à réviser.';
    tr.append(td);
    rows.append(tr);
  }
}

async function showReview(claimId) {
  show('review-view');
  try {
    await review.open(claimId);
  } catch (e) {
    const message = e instanceof ApiError && e.status === 409 && e.problem.type?.endsWith('review-locked')
      ? 'Cette feuille est en cours de révision par un autre réviseur.'
      : `Feuille indisponible : ${e.message}`;
    status(message, true);
    location.hash = '#/file';
  }
}

async function showSupervision() {
  if (me.role !== 'admin') {
    status('La supervision est réservée aux administrateurs.', true);
    location.hash = '#/file';
    return;
  }
  show('supervision-view');
  try {
    const s = await api.supervisor();
    $('sup-waiting').textContent = String(s.backlog.waiting);
    $('sup-oldest').textContent = duration(s.backlog.oldest_wait_seconds);
    $('sup-reviewed').textContent = String(s.reviewed);
    $('sup-median').textContent = duration(s.median_review_seconds);
    const rows = $('sup-rows');
    rows.replaceChildren();
    for (const r of s.corrections) {
      const tr = document.createElement('tr');
      for (const text of [FORMS[r.form_type] || r.form_type, fieldLabel(r.field), r.count,
        r.reviewed, `${Math.round(r.share * 100)} %`]) {
        const td = document.createElement('td');
        td.textContent = String(text);
        tr.append(td);
      }
      rows.append(tr);
    }
  } catch (e) {
    status(`Supervision indisponible : ${e.message}`, true);
  }
}

function route() {
  if (!me) { show('login-view'); $('login-user').focus(); return; }
  const hash = location.hash;
  const claim = /^#\/feuille\/([0-9a-f]+)$/.exec(hash);
  if (review.work && !(claim && claim[1] === review.work.claim_id)) review.leave(false);
  if (claim) {
    if (!review.work) showReview(claim[1]);
  } else if (hash === '#/supervision') {
    showSupervision();
  } else {
    showQueue();
  }
}

async function start() {
  $('login-form').addEventListener('submit', logIn);
  $('logout').addEventListener('click', async () => {
    await review.leave(false);
    await api.logOut().catch(() => {});
    me = null;
    location.hash = '#/connexion';
    route();
  });
  for (const id of ['filter-office', 'filter-form', 'filter-reason']) {
    $(id).addEventListener('change', showQueue);
  }
  window.addEventListener('hashchange', route);
  try {
    me = await api.me();
    if (!me.csrf_token) me = null;  // an office's key, not a reviewer
  } catch {
    me = null;
  }
  if (me) enter(); else route();
}

start();
