// The reviewer page end to end: Debian's chromium driven by playwright-core against a real
// `carescan serve` (real SQLite file, real reading workers) delivering to a real
// `carescan engine-sink`, all on loopback.
//
//   node review.e2e.mjs --binary build/src/cli/carescan [--screenshot docs/images/review-page.png]
//
// Prints one line per check and closes with "N passed, N failed"; exits 1 on any failure.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const args = process.argv.slice(2);
const option = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const binary = resolve(option('--binary') || join(root, 'build', 'src', 'cli', 'carescan'));
const screenshot = option('--screenshot');
const browserPath = process.env.CARESCAN_CHROMIUM || '/usr/bin/chromium';
const PASSWORD = 'correct horse battery';  // synthetic accounts in a throw-away store
const SAMPLE = join(root, 'samples', '0003-ambulatoire-photo.jpg');
const SECOND_SAMPLE = join(root, 'samples', '0007-ald-scan.pdf');

let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) { passed += 1; console.log(`ok   ${name}`); } else { failed += 1; console.log(`FAIL ${name} ${detail}`); }
  return ok;
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
    s.on('error', rej);
  });
}

async function waitFor(what, test, seconds) {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    try { const v = await test(); if (v) return v; } catch { /* not yet */ }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// The repository's configuration with absolute paths, its data in `dir`, the date rules pinned.
function writeConfig(dir, port, enginePort) {
  const cfg = JSON.parse(readFileSync(join(root, 'config', 'carescan.json'), 'utf8'));
  // Relative paths in the file name the repository's files (forms, models, vocabulary...).
  const anchor = (node) => {
    for (const [k, v] of Object.entries(node)) {
      if (typeof v === 'string' && v && !isAbsolute(v) && existsSync(join(root, v))) node[k] = join(root, v);
      else if (v && typeof v === 'object') anchor(v);
    }
  };
  anchor(cfg);
  cfg.paths.data_dir = join(dir, 'data');
  cfg.reader.workers = 1;
  if (cfg.mailroom) cfg.mailroom.dir = join(dir, 'mailroom');
  cfg.claims.today = '2025-03-20';
  Object.assign(cfg.service, {
    port, password_iterations: 10000, worker_idle_ms: 50,
    engine_url: `http://127.0.0.1:${enginePort}/claims`,
  });
  mkdirSync(join(dir, 'config'), { recursive: true });
  const file = join(dir, 'config', 'carescan.json');
  writeFileSync(file, JSON.stringify(cfg, null, 2));
  return file;
}

function carescan(env, argv, input) {
  const r = spawnSync(binary, argv, { env, input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`carescan ${argv.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

async function logIn(page, base, user) {
  await page.goto(`${base}/review`);
  await page.getByLabel('Identifiant').waitFor();
  // Keyboard only: the login form's focus order is user, password, button.
  await page.getByLabel('Identifiant').focus();
  await page.keyboard.type(user);
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await page.locator('#queue-view:not([hidden]), #review-view:not([hidden])').first().waitFor();
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'carescan-e2e-'));
  const children = [];
  let browser;
  try {
    const [port, enginePort] = [await freePort(), await freePort()];
    const config = writeConfig(dir, port, enginePort);
    const env = { PATH: '/usr/bin:/bin', CARESCAN_CONFIG: config };
    carescan(env, ['admin', 'office', 'add', 'office-a', '--name', 'Bureau A (test)']);
    const key = carescan(env, ['admin', 'key', 'issue', 'office-a', '--label', 'e2e']).split('\n').pop();
    carescan(env, ['admin', 'user', 'add', 'rev', '--role', 'reviewer'], `${PASSWORD}\n`);
    carescan(env, ['admin', 'user', 'add', 'rev2', '--role', 'reviewer'], `${PASSWORD}\n`);
    carescan(env, ['admin', 'user', 'add', 'boss', '--role', 'admin'], `${PASSWORD}\n`);

    const start = (argv, log) => {
      const child = spawn(binary, argv, { env, stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr.on('data', (d) => { if (process.env.CARESCAN_E2E_VERBOSE) process.stderr.write(`[${log}] ${d}`); });
      children.push(child);
      return child;
    };
    start(['engine-sink', '--listen', `127.0.0.1:${enginePort}`, '--data', join(dir, 'sink')], 'sink');
    start(['serve', '--workers', '1'], 'serve');
    const base = `http://127.0.0.1:${port}`;
    await waitFor('the service', async () => (await fetch(`${base}/readyz`)).ok, 30);

    const upload = await fetch(`${base}/api/v1/documents`, {
      method: 'POST', headers: { Authorization: `Bearer ${key}` }, body: readFileSync(SAMPLE),
    });
    check('an office uploads a care sheet', upload.status === 202, `status ${upload.status}`);
    const location = upload.headers.get('location');
    const doc = await waitFor('the page to be read', async () => {
      const d = await (await fetch(`${base}${location}`, { headers: { Authorization: `Bearer ${key}` } })).json();
      return d.state === 'done' ? d : null;
    }, 180);
    const claimId = doc.claims[0].claim_id;
    check('the page waits for review', doc.claims[0].state === 'needs_review', doc.claims[0].state);

    browser = await chromium.launch({ executablePath: browserPath, args: ['--no-sandbox'] });
    const viewport = { width: 1366, height: 768 };
    const rev = await (await browser.newContext({ viewport, locale: 'fr-FR' })).newPage();
    const errors = [];
    rev.on('pageerror', (e) => errors.push(e.message));

    // Log in, and the queue: oldest first, with counts.
    await logIn(rev, base, 'rev');
    check('the page is in French', (await rev.getAttribute('html', 'lang')) === 'fr');
    await rev.locator('#queue-rows a.open').first().waitFor();
    check('the queue shows its counts', (await rev.textContent('#queue-count')).includes('(1 sur 1)'),
      await rev.textContent('#queue-count'));
    check('a reviewer is not offered the supervision', await rev.locator('#nav-supervision').isHidden());

    // Open the sheet from the queue with the keyboard.
    await rev.locator('#queue-rows a.open').first().focus();
    await rev.keyboard.press('Enter');
    await rev.locator(`#review-view[data-ready="${claimId}"]`).waitFor();
    check('the page view opens on the first flagged field',
      await rev.evaluate(() => document.activeElement === document.querySelector('#flagged-fields input')));
    check('field boxes are drawn over the page image', (await rev.locator('#boxes .box').count()) > 10);
    check('flagged fields come first', (await rev.locator('#flagged-fields li').count()) > 0);

    // Tab and Shift-Tab move between fields.
    const firstId = await rev.evaluate(() => document.activeElement.id);
    await rev.keyboard.press('Tab');
    const secondId = await rev.evaluate(() => document.activeElement.id);
    await rev.keyboard.press('Shift+Tab');
    check('Tab / Shift-Tab move between fields', secondId !== firstId && secondId.startsWith('field-')
      && (await rev.evaluate(() => document.activeElement.id)) === firstId, `${firstId} ${secondId}`);

    // The CIN, wherever it is listed: Alt+T shows the other fields.
    const cin = rev.locator('#field-cin');
    if (await cin.isHidden()) await rev.keyboard.press('Alt+t');
    await cin.focus();
    const cinRead = await cin.inputValue();
    await rev.keyboard.press('Control+a');
    await rev.keyboard.type('xx');
    await rev.keyboard.press('Escape');
    check('Esc restores the value read', (await cin.inputValue()) === cinRead);
    await rev.keyboard.press('Control+a');
    await rev.keyboard.type('12');
    await rev.waitForSelector('#checks li[data-rule="cin_format"]', { timeout: 10000 });
    check('the rules re-run as the reviewer types (a bad CIN is reported)', true);
    await rev.keyboard.press('Control+a');
    await rev.keyboard.type('be 123456');
    await rev.waitForFunction(() => !document.querySelector('#checks li[data-rule="cin_format"]'),
      null, { timeout: 10000 });
    check('a good CIN clears the finding', true);
    await rev.waitForFunction(() => !document.querySelector('li[data-target="cin"] .rules').textContent.includes('CIN'),
      null, { timeout: 10000 });
    check("the field's own note follows the rules", true);
    await rev.keyboard.press('Enter');
    check('Enter confirms and moves to the next field',
      await rev.evaluate(() => document.activeElement.id !== 'field-cin'
        && document.querySelector('li[data-target="cin"]').classList.contains('confirmed')));

    // A second reviewer cannot open the leased page, nor the administrators' view.
    const rev2 = await (await browser.newContext({ viewport, locale: 'fr-FR' })).newPage();
    await logIn(rev2, base, 'rev2');
    await rev2.goto(`${base}/review#/feuille/${claimId}`);
    await rev2.waitForFunction(() => document.getElementById('status').textContent.includes('autre réviseur'));
    check('a second reviewer cannot open a leased page', await rev2.locator('#review-view').isHidden());
    await rev2.goto(`${base}/review#/supervision`);
    await rev2.waitForFunction(() => document.getElementById('status').textContent.includes('administrateurs'));
    check('a reviewer cannot see the supervision view', await rev2.locator('#supervision-view').isHidden());
    const forbidden = await rev2.evaluate(async () => (await fetch('/api/v1/review/supervisor')).status);
    check('a reviewer is refused the supervisor figures by the server', forbidden === 403, String(forbidden));

    if (screenshot) {
      await rev.locator('#field-cin').focus();
      await rev.screenshot({ path: resolve(screenshot) });
      console.log(`screenshot: ${resolve(screenshot)}`);
    }

    // Approve with the shortcut; the claim reaches the engine with the reviewer's CIN.
    await rev.keyboard.press('Control+Enter');
    await rev.waitForFunction(() => document.getElementById('status').textContent.includes('validée'));
    check('Ctrl+Enter approves and returns to the queue', await rev.locator('#queue-view').isVisible());
    const kept = join(dir, 'sink', 'claims', `${claimId}.json`);
    await waitFor('the claim at the engine', () => existsSync(kept), 30);
    const delivered = JSON.parse(readFileSync(kept, 'utf8'));
    check('the delivered claim carries the corrected CIN', delivered.fields.cin.value === 'BE123456',
      delivered.fields.cin.value);
    check('the corrected field says source reviewer', delivered.fields.cin.source === 'reviewer');
    check('the delivered claim is accepted by rev', delivered.status === 'accepted' && delivered.review?.by === 'rev');
    const audit = await rev.evaluate(async (id) => (await fetch(`/api/v1/review/claims/${id}/audit`)).json(), claimId);
    const cinEntry = audit.items.find((a) => a.field === 'cin');
    check('the audit holds who changed the CIN, from what to what',
      cinEntry && cinEntry.user === 'rev' && cinEntry.after === 'BE123456' && cinEntry.before === cinRead,
      JSON.stringify(cinEntry));
    check('the audit holds the approval', audit.items.some((a) => a.field === 'status' && a.after === 'accepted'));

    // Another sheet, rejected from the keyboard with a reason.
    const second = await fetch(`${base}/api/v1/documents`, {
      method: 'POST', headers: { Authorization: `Bearer ${key}` }, body: readFileSync(SECOND_SAMPLE),
    });
    const secondDoc = await waitFor('the second page to be read', async () => {
      const d = await (await fetch(`${base}${second.headers.get('location')}`, { headers: { Authorization: `Bearer ${key}` } })).json();
      return d.state === 'done' ? d : null;
    }, 180);
    const rejectedId = secondDoc.claims[0].claim_id;
    await rev.goto(`${base}/review#/feuille/${rejectedId}`);
    await rev.locator(`#review-view[data-ready="${rejectedId}"]`).waitFor();
    await rev.keyboard.press('Alt+r');
    await rev.locator('#reject-dialog[open]').waitFor();
    await rev.keyboard.press('ArrowDown');
    await rev.keyboard.press('ArrowDown');
    await rev.keyboard.press('Enter');
    await rev.waitForFunction(() => document.getElementById('status').textContent.includes('rejetée'));
    const rejected = await rev.evaluate(async (id) => (await fetch(`/api/v1/claims/${id}`)).json(), rejectedId);
    check('Alt+R rejects with the reason picked by keyboard',
      rejected.tracking?.state === 'rejected' && rejected.review?.reason === 'duplicate',
      JSON.stringify({ state: rejected.tracking?.state, review: rejected.review }));

    // The administrator sees the figures, with the CIN correction counted.
    const boss = await (await browser.newContext({ viewport, locale: 'fr-FR' })).newPage();
    await logIn(boss, base, 'boss');
    await boss.getByRole('link', { name: 'Supervision' }).click();
    await boss.locator('#sup-rows tr').first().waitFor();
    check('the administrator sees the reviewed count', (await boss.textContent('#sup-reviewed')) === '2',
      await boss.textContent('#sup-reviewed'));
    check('corrections are counted per field and form type',
      (await boss.textContent('#sup-rows')).includes('CIN'), await boss.textContent('#sup-rows'));
    check('no script error in the page', errors.length === 0, errors.join('; '));
  } catch (e) {
    check('the run completes', false, e.stack);
  } finally {
    if (browser) await browser.close().catch(() => {});
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.on('exit', r)))));
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

main();
