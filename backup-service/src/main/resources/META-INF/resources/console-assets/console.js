// Cairn's web console. The pages are frames rendered by the service; this module fills them from the REST API with
// the token the login page kept in this tab's sessionStorage, and follows the live feed (server-sent events read with
// fetch, since EventSource cannot send an Authorization header). No framework, no build step, nothing from elsewhere.

const TOKEN = 'cairn.token';
const body = document.body;
const page = body.dataset.page;
const domain = body.dataset.domain;
const $ = (id) => document.getElementById(id);
const enc = encodeURIComponent;

class NotLoggedIn extends Error {}

function token() {
  return sessionStorage.getItem(TOKEN);
}

/** An element with attributes ('text' sets its text, 'data' its dataset, 'on' its listeners) and children. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = value;
    else if (key === 'data') Object.assign(node.dataset, value);
    else if (key === 'on') Object.entries(value).forEach(([name, fn]) => node.addEventListener(name, fn));
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return node;
}

async function api(path, options = {}) {
  const headers = new Headers(options.headers || {});
  headers.set('Authorization', 'Bearer ' + token());
  if (!headers.has('Accept')) headers.set('Accept', 'application/json');
  const response = await fetch(path, { ...options, headers });
  if (response.status === 401) {
    sessionStorage.removeItem(TOKEN);
    location.assign('/console/login?expired=1');
    throw new NotLoggedIn('not logged in');
  }
  return response;
}

/** The API's error body (libvirt's error name and message) as an Error. */
async function problem(response) {
  let text = await response.text();
  try {
    const error = JSON.parse(text);
    text = [error.code, error.message].filter(Boolean).join(': ') || text;
  } catch (notJson) {
    // as it came
  }
  return new Error(`${response.status} ${text}`);
}

async function json(path) {
  const response = await api(path);
  if (!response.ok) throw await problem(response);
  return response.json();
}

function showError(error) {
  if (error instanceof NotLoggedIn) return;
  const box = $('error');
  box.textContent = error.message || String(error);
  box.hidden = false;
}

function clearError() {
  $('error').hidden = true;
}

function say(text) {
  const live = $('live');
  live.textContent = text;
  live.hidden = false;
}

/**
 * Follows the live feed: onReady runs when the stream is open (and again after every reconnect, since events may
 * have been missed while it was down), onEvent for each event. The stream stays open; it is opened again only when
 * it ends or fails, after a backoff: no polling.
 */
async function follow(onEvent, onReady) {
  let delay = 1000;
  // Leaving the page ends its stream at once, rather than leaving an open connection behind in the browser.
  const leaving = new AbortController();
  window.addEventListener('pagehide', () => leaving.abort());
  for (;;) {
    try {
      const response = await api('/api/v1/console/events', { headers: { Accept: 'text/event-stream' },
        signal: leaving.signal });
      if (!response.ok) throw await problem(response);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value.replace(/\r\n/g, '\n');
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let name = 'message';
          const data = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) name = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
          }
          if (data.length === 0) continue; // a keep-alive comment
          if (name === 'ready') {
            delay = 1000;
            await onReady();
            body.dataset.live = 'on';
            continue;
          }
          try {
            await onEvent(name, JSON.parse(data.join('\n')));
          } catch (error) {
            showError(error);
          }
        }
      }
    } catch (error) {
      if (error instanceof NotLoggedIn || leaving.signal.aborted) return;
      showError(new Error('live feed: ' + (error.message || error)));
    }
    body.dataset.live = 'off';
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 30000);
  }
}

function bytes(n) {
  if (n === undefined || n === null) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

function when(instant) {
  if (!instant) return '–';
  const date = new Date(typeof instant === 'number' ? instant * 1000 : instant);
  return date.toLocaleString();
}

function seconds(s) {
  if (!isFinite(s) || s < 0) return '–';
  if (s < 90) return `${Math.round(s)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

// ---------------------------------------------------------------------------------------------------------- login

function loginPage() {
  if (new URLSearchParams(location.search).has('expired')) {
    showError(new Error('Your token was refused or has expired: log in again.'));
  }
  $('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    clearError();
    const value = $('token').value.trim().replace(/^Bearer\s+/i, '');
    const response = await fetch('/api/v1/console/me', {
      headers: { Authorization: 'Bearer ' + value, Accept: 'application/json' },
    });
    if (!response.ok) {
      showError(response.status === 401 ? new Error('This token is refused.') : await problem(response));
      return;
    }
    sessionStorage.setItem(TOKEN, value);
    location.assign('/console/fleet');
  });
}

// ---------------------------------------------------------------------------------------------------------- fleet

async function fleetPage() {
  const refresh = async () => {
    const fleet = await json('/api/v1/console/fleet');
    $('caps').textContent = `Backups running: ${fleet.running} of at most ${fleet.maxInFleet} in the fleet, `
      + `${fleet.maxPerHost} per host; queued: ${fleet.queued}.`;
    const hosts = $('hosts');
    hosts.replaceChildren(...fleet.hosts.map((host) => el('section', { class: 'card host', data: { host: host.hostId } },
      el('h2', {}, host.hostId, ' ', el('span', { class: host.alive ? 'badge ok' : 'badge bad',
        text: host.alive ? 'agent alive' : 'agent silent' })),
      el('p', {}, `Last report ${when(host.lastReport)}; agent started ${when(host.agentStartedAt)}. `
        + `Backups running ${host.running} of ${fleet.maxPerHost}, queued ${host.queued}.`),
      host.domains.length === 0 ? el('p', { text: 'No domain of yours runs here.' }) : el('div', { class: 'scroll' },
        el('table', { class: 'domains' },
          el('thead', {}, el('tr', {}, ['Domain', 'State', 'Disks', 'Jobs']
            .map((h) => el('th', { scope: 'col', text: h })))),
          el('tbody', {}, host.domains.map((d) => el('tr', { data: { domain: d.name } },
            el('td', {}, el('a', { href: `/console/domains/${enc(d.name)}`, text: d.name })),
            el('td', { text: d.runState || '–' }),
            el('td', { text: (d.disks || []).map((disk) => `${disk.device} (${bytes(disk.virtualSize)})`).join(', ') }),
            el('td', { text: (d.jobs || []).join(', ') || '–' })))))))));
    if (fleet.hosts.length === 0) hosts.replaceChildren(el('p', { text: 'No host agent has reported yet.' }));
  };
  await follow((type) => (type.startsWith('backup-') ? refresh() : null), refresh);
}

// --------------------------------------------------------------------------------------------------------- domain

async function domainPage(me) {
  const base = `/api/v1/console/domains/${enc(domain)}/checkpoints`;
  let views = [];

  const showXml = async (name) => {
    clearError();
    let response = await api(`${base}/${enc(name)}?flags=SIZE`, { headers: { Accept: 'application/xml' } });
    if (!response.ok) {
      // The sizes need the domain's host; without them the definition is still worth showing.
      response = await api(`${base}/${enc(name)}`, { headers: { Accept: 'application/xml' } });
    }
    if (!response.ok) throw await problem(response);
    $('xml-name').textContent = name;
    $('xml').textContent = await response.text();
    $('xml-section').hidden = false;
  };

  const remove = async (name) => {
    const flags = $('delete-flags').value;
    const response = await api(`${base}/${enc(name)}${flags ? `?flags=${enc(flags)}` : ''}`, { method: 'DELETE' });
    if (!response.ok && response.status !== 202) throw await problem(response);
    say(`Checkpoint ${name}: delete sent.`);
  };

  const node = (view, children, current) => {
    const c = view.checkpoint;
    const broken = view.health && view.health !== 'active';
    const reasons = (view.brokenDisks || []).map((b) => `${b.disk}: ${b.message || b.problem}`).join('; ');
    return el('li', { data: { checkpoint: c.name }, class: broken ? 'broken' : null },
      el('div', { class: 'node' },
        el('button', { type: 'button', class: 'cp', 'aria-label': `Show the XML of checkpoint ${c.name}`,
          on: { click: () => showXml(c.name).catch(showError) } }, c.name),
        c.name === current ? el('span', { class: 'badge ok', text: 'current' }) : null,
        broken ? el('span', { class: 'badge bad', title: reasons, text: `${view.health}` }) : null,
        broken && reasons ? el('span', { class: 'reason', text: reasons }) : null,
        el('span', { class: 'meta', text: when(c.creationTime) }),
        me.operator ? el('button', { type: 'button', class: 'action danger', 'aria-label': `Delete checkpoint ${c.name}`,
          on: { click: () => remove(c.name).catch(showError) } }, 'Delete') : null),
      children.length ? el('ul', {}, children) : null);
  };

  const draw = () => {
    const names = new Set(views.map((v) => v.checkpoint.name));
    const children = new Map();
    for (const v of views) {
      const parent = v.checkpoint.parent && names.has(v.checkpoint.parent) ? v.checkpoint.parent : '';
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent).push(v);
    }
    // The current checkpoint: the newest, which the next incremental backup would start from.
    const newest = views.reduce((a, b) => ((b.checkpoint.creationTime || 0) >= (a?.checkpoint.creationTime || 0)
      ? b : a), null);
    const build = (parent) => (children.get(parent) || []).map((v) => node(v, build(v.checkpoint.name),
      newest?.checkpoint.name));
    $('tree').replaceChildren(el('ul', { class: 'lineage' }, build('')));
    $('tree-empty').hidden = views.length > 0;
    const select = $('backup-incremental');
    if (select) {
      const chosen = select.value;
      select.replaceChildren(el('option', { value: '', text: '(full backup)' }),
        ...views.filter((v) => !v.health || v.health === 'active')
          .map((v) => el('option', { value: v.checkpoint.name, text: v.checkpoint.name })));
      select.value = names.has(chosen) ? chosen : '';
    }
  };

  const refresh = async () => {
    const response = await api(base);
    if (!response.ok) throw await problem(response);
    views = await response.json();
    draw();
  };

  if (me.operator) {
    $('actions').hidden = false;
    $('delete-options').hidden = false;
    $('backup-form').addEventListener('submit', (event) => {
      event.preventDefault();
      clearError();
      const incremental = $('backup-incremental').value;
      const checkpoint = $('backup-checkpoint').value.trim();
      const request = { backup: { mode: 'push', ...(incremental ? { incremental } : {}) } };
      if (checkpoint) request.checkpoint = { name: checkpoint };
      api(`/api/v1/domains/${enc(domain)}/backup`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(request) })
        .then(async (response) => {
          if (!response.ok && response.status !== 202) throw await problem(response);
          const answer = await response.json();
          const job = answer.jobId || answer.job?.jobId || '';
          $('live').replaceChildren(`Backup ${job} started: `, el('a', { href: '/console/jobs', text: 'follow it on Jobs' }));
          $('live').hidden = false;
        }).catch(showError);
    });
    $('create-form').addEventListener('submit', (event) => {
      event.preventDefault();
      clearError();
      const definition = { name: $('create-name').value.trim() };
      const description = $('create-description').value.trim();
      if (description) definition.description = description;
      const flags = $('create-quiesce').checked ? '?flags=QUIESCE' : '';
      api(`${base}${flags}`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(definition) })
        .then(async (response) => {
          if (!response.ok && response.status !== 202) throw await problem(response);
          say(`Checkpoint ${definition.name}: create sent.`);
        }).catch(showError);
    });
  }
  await follow((type, event) => (type.startsWith('checkpoint-') || type === 'backup-completed'
    || (type === 'command-rejected' && event.domain === domain) ? refresh() : null), refresh);
}

// ----------------------------------------------------------------------------------------------------------- jobs

async function jobsPage(me) {
  const last = new Map(); // jobId -> {processed, at}: the rate between the last two reports

  const progressOf = (card, stats) => {
    const total = stats?.disk_total;
    const processed = stats?.disk_processed ?? 0;
    const bar = card.querySelector('progress');
    const text = card.querySelector('.progress-text');
    if (!total) {
      bar.removeAttribute('value');
      text.textContent = 'waiting for the first report';
      return;
    }
    const previous = last.get(card.dataset.job);
    const now = stats.time_elapsed ?? 0;
    let rate = now > 0 ? processed / (now / 1000) : NaN;
    if (previous && now > previous.at) rate = (processed - previous.processed) / ((now - previous.at) / 1000);
    last.set(card.dataset.job, { processed, at: now });
    const remaining = stats.disk_remaining ?? (total - processed);
    bar.max = total;
    bar.value = processed;
    card.dataset.processed = String(processed);
    text.textContent = `${bytes(processed)} of ${bytes(total)} (${Math.floor((100 * processed) / total)} %), `
      + `${isFinite(rate) ? bytes(rate) + '/s' : '–'}, ${seconds(remaining / rate)} left`;
  };

  const card = (job) => {
    const c = el('section', { class: 'card job', data: { job: job.jobId, domain: job.domain, state: job.state } },
      el('h3', {}, el('a', { href: `/console/domains/${enc(job.domain)}`, text: job.domain }), ' ',
        el('span', { class: 'meta', text: `${job.mode} backup ${job.jobId}` })),
      el('p', { class: 'state' }, job.state, job.queuePosition
        ? ` (place ${job.queuePosition.position} in the queue, held by the ${job.queuePosition.limit.toLowerCase()} cap)`
        : ''),
      el('progress', { max: '1', 'aria-label': `Progress of ${job.jobId}` }),
      el('p', { class: 'progress-text' }),
      me.operator ? el('button', { type: 'button', class: 'action danger', 'aria-label': `Abort backup of ${job.domain}`,
        on: { click: () => abort(job.domain).catch(showError) } }, 'Abort') : null);
    progressOf(c, job.statistics);
    return c;
  };

  const abort = async (name) => {
    const response = await api(`/api/v1/domains/${enc(name)}/backup`, { method: 'DELETE' });
    if (!response.ok && response.status !== 202) throw await problem(response);
    say(`Backup of ${name}: abort sent.`);
  };

  const row = (job) => el('tr', { data: { job: job.jobId, state: job.state } },
    el('td', {}, el('a', { href: `/console/domains/${enc(job.domain)}`, text: job.domain })),
    el('td', { text: job.jobId }),
    el('td', { text: job.mode }),
    el('td', { class: job.state === 'COMPLETED' ? 'ok' : 'bad', text: job.state }),
    el('td', { text: bytes(job.statistics?.disk_total) }),
    el('td', { text: when(job.endedAt) }),
    el('td', { text: job.error || '' }));

  const refresh = async () => {
    const jobs = await json('/api/v1/console/jobs');
    $('active').replaceChildren(...(jobs.active.length ? jobs.active.map(card)
      : [el('p', { text: 'No backup is running or queued.' })]));
    $('history').tBodies[0].replaceChildren(...jobs.history.map(row));
  };

  await follow((type, event) => {
    if (type === 'backup-progress') {
      const found = [...document.querySelectorAll('#active .job')].find((c) => c.dataset.job === event.jobId);
      if (found) {
        found.dataset.state = 'RUNNING';
        found.querySelector('.state').textContent = 'RUNNING';
        progressOf(found, event.statistics);
        return null;
      }
      return refresh();
    }
    if (type === 'backup-completed') {
      say(`Backup ${event.jobId} of ${event.domain}: ${event.status}${event.errmsg ? ' (' + event.errmsg + ')' : ''}.`);
      return refresh();
    }
    return type.startsWith('backup-') || type === 'command-rejected' ? refresh() : null;
  }, refresh);
}

// ------------------------------------------------------------------------------------------------- restore points

async function restorePointsPage(me) {
  // Operators' actions: the REST API's verify and restore (as copies beside the artifacts); their outcomes come back
  // on the live feed.
  const act = async (path, request, what) => {
    clearError();
    const response = await api(`/api/v1/domains/${enc(domain)}/${path}`, { method: 'POST',
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request) });
    if (!response.ok && response.status !== 202) throw await problem(response);
    say(`${what}: sent.`);
  };
  const actions = (p) => (me.operator ? el('p', { class: 'point-actions' },
    el('button', { type: 'button', class: 'action', 'aria-label': `Verify restore point ${p.checkpoint}`,
      on: { click: () => act('verify', { checkpoint: p.checkpoint }, `Verify of ${p.checkpoint}`).catch(showError) } },
      'Verify'), ' ',
    p.complete ? el('button', { type: 'button', class: 'action', 'aria-label': `Restore ${p.checkpoint} as copies`,
      on: { click: () => act('restore', { checkpoint: p.checkpoint }, `Restore of ${p.checkpoint}`)
        .catch(showError) } }, 'Restore as copies') : null) : null);
  const refresh = async () => {
    const points = await json(`/api/v1/domains/${enc(domain)}/restore-points`);
    $('points-empty').hidden = points.length > 0;
    $('points').replaceChildren(...points.map((p) => el('section', { class: 'card point', data: { checkpoint: p.checkpoint } },
      el('h2', {}, p.checkpoint, ' ', el('span', { class: p.complete ? 'badge ok' : 'badge bad',
        text: p.complete ? 'restorable' : 'incomplete' })),
      el('p', { class: 'meta', text: `backup ${p.jobId}, ${when(p.time)}` }),
      (p.problems || []).length ? el('p', { class: 'bad', text: p.problems.join('; ') }) : null,
      el('div', { class: 'scroll' }, el('table', {},
        el('thead', {}, el('tr', {}, ['Disk', 'Artifact', 'Size', 'SHA-256', 'Verified']
          .map((h) => el('th', { scope: 'col', text: h })))),
        el('tbody', {}, p.disks.flatMap((d) => d.chain.map((a, i) => el('tr', {},
          el('td', { text: i === 0 ? d.disk : '' }),
          el('td', { text: `${a.backupMode || ''} ${a.checkpoint || ''}`.trim() }),
          el('td', { text: bytes(a.size) }),
          el('td', { class: 'hash', title: a.sha256, text: (a.sha256 || '').slice(0, 12) }),
          el('td', { class: a.damage ? 'bad' : null, text: a.damage ? `damaged: ${a.damage}`
            : a.verifiedAt ? `intact (${when(a.verifiedAt)})` : 'not yet' }))))))),
      actions(p))));
  };
  await follow((type, event) => {
    if (event.domain !== domain) return null;
    if (type === 'restore-completed') {
      const disks = (event.disks || []).map((d) => `${d.name} → ${d.path}`).join(', ');
      say(`Restore of ${event.checkpoint}: ${event.success ? 'succeeded' : 'failed'}`
        + `${event.error ? ' (' + event.error.message + ')' : ''}${disks ? ': ' + disks : ''}.`);
      return null;
    }
    if (type === 'verify-completed') {
      say(`Verify of ${event.checkpoint || 'every artifact'}: ${event.success ? 'every artifact intact' : 'NOT INTACT'}.`);
    }
    return ['backup-completed', 'verify-completed', 'retention-applied', 'artifacts-registered'].includes(type)
      ? refresh() : null;
  }, refresh);
}

// ----------------------------------------------------------------------------------------------------------- start

async function start() {
  if (page === 'login') {
    loginPage();
    return;
  }
  if (!token()) {
    location.assign('/console/login');
    return;
  }
  const me = await json('/api/v1/console/me');
  if (!me.operator) {
    // A viewer's page has no action controls at all, not merely hidden ones (the server refuses them anyway).
    document.querySelectorAll('.operator').forEach((node) => node.remove());
  }
  $('who').textContent = `${me.name} (${me.admin ? 'admin' : me.operator ? 'operator' : 'viewer'})`;
  const logout = $('logout');
  logout.hidden = false;
  logout.addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN);
    location.assign('/console/login');
  });
  const pages = { fleet: fleetPage, domain: domainPage, jobs: jobsPage, 'restore-points': restorePointsPage };
  await pages[page](me);
}

start().catch(showError);
