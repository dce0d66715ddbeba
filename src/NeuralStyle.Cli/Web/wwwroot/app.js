// The page of `neural-style serve`: it uses only the HTTP API under /api/jobs and /api/painters (see the README).
'use strict';
const $ = s => document.querySelector(s);
const state = { photo: null, paintings: [], startFrom: null, watching: null, source: null, history: [], shown: 100 };
const finished = s => ['Done', 'Cancelled', 'Failed', 'Interrupted'].includes(s);

function dropZone(zone, input, multiple, take) {
  input.addEventListener('change', () => take([...input.files]));
  zone.addEventListener('dragover', e => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', e => {
    e.preventDefault(); zone.classList.remove('over');
    const files = [...e.dataTransfer.files].filter(f => f.type.startsWith('image/'));
    take(multiple ? files : files.slice(0, 1));
  });
}

function thumbnails(target, files) {
  target.replaceChildren(...files.map(f => Object.assign(document.createElement('img'), { src: URL.createObjectURL(f), alt: f.name, title: f.name })));
}

dropZone($('#photo-drop'), $('#photo-input'), false, files => {
  state.photo = files[0] ?? null;
  thumbnails($('#photo-thumbs'), files);
  document.dispatchEvent(new CustomEvent('photo-chosen', { detail: state.photo }));
});
dropZone($('#painting-drop'), $('#painting-input'), true, files => { state.paintings = files; thumbnails($('#painting-thumbs'), files); });

// The form's fields are the settings' names; empty fields keep the library's defaults.
function settingsFromForm() {
  const settings = {};
  for (const field of $('#options').elements) {
    if (!field.name || field.value === '') continue;
    if (field.name === 'styleBlend') settings.styleBlend = field.value.split(',').map(Number);
    else settings[field.name] = field.type === 'number' ? Number(field.value) : field.value;
  }
  return settings;
}

function formFromSettings(settings) {
  for (const field of $('#options').elements) {
    if (!field.name) continue;
    const value = settings[field.name];
    field.value = value === undefined || value === null ? (field.defaultValue ?? '') : Array.isArray(value) ? value.join(',') : value;
  }
}

$('#settings-input').addEventListener('change', async e => {
  try { formFromSettings(JSON.parse(await e.target.files[0].text())); showError(''); }
  catch (err) { showError(`settings file: ${err.message}`); }
});

function showError(message) { $('#error').textContent = message; }

function setStartFrom(id) {
  state.startFrom = id;
  $('#start-from').hidden = !id;
  $('#start-from span').textContent = id ?? '';
}
$('#clear-start').addEventListener('click', () => setStartFrom(null));

$('#start').addEventListener('click', async () => {
  if (!state.photo || state.paintings.length === 0) { showError('Drop a photo and at least one painting first.'); return; }
  const form = new FormData();
  form.append('photo', state.photo);
  state.paintings.forEach(p => form.append('painting', p));
  [...$('#mask-input').files].forEach(m => form.append('mask', m));
  if ($('#coarse-input').files.length > 0) form.append('coarse', $('#coarse-input').files[0]);
  form.append('settings', JSON.stringify(settingsFromForm()));
  if (state.startFrom) form.append('startFrom', state.startFrom);
  const response = await fetch('/api/jobs', { method: 'POST', body: form });
  const body = await response.json();
  if (!response.ok) { showError(body.error); return; }
  showError('');
  watch(body.job.id);
  refreshGallery();
});

$('#cancel').addEventListener('click', async () => {
  const response = await fetch(`/api/jobs/${state.watching}/cancel`, { method: 'POST' });
  if (!response.ok) showError((await response.json()).error);
});

function watch(id) {
  state.source?.close();
  state.watching = id;
  state.history = [];
  $('#current').hidden = false;
  $('#job-id').textContent = id;
  $('#progress').textContent = '';
  $('#live').removeAttribute('src');
  const source = new EventSource(`/api/jobs/${id}/events`);
  state.source = source;
  source.onmessage = e => {
    const event = JSON.parse(e.data);
    if (event.type === 'progress') { state.history.push(event); showProgress(event); plot(); }
    else if (event.type === 'picture') $('#live').src = `/api/jobs/${id}/latest?i=${event.iteration}`;
    else if (event.type === 'status') showStatus(event.job);
  };
  source.onerror = () => { if (state.source === source && source.readyState === EventSource.CLOSED) state.source = null; };
}

function showStatus(job) {
  $('#status').textContent = job.status.toLowerCase() + (job.worker ? ` on ${job.worker}` : '') + (job.error ? ` (${job.error})` : '');
  $('#cancel').disabled = finished(job.status);
  if (job.hasPicture) $('#live').src = `/api/jobs/${job.id}/latest?s=${job.status}&i=${job.iteration}`;
  if (finished(job.status)) {
    state.source?.close(); refreshGallery();
    if (job.kind === 'Training' && job.status === 'Done') { showPainters(); document.dispatchEvent(new Event('painters-changed')); }
  }
}

function showProgress(p) {
  const rate = p.iteration / Math.max(p.seconds, 1e-9);
  // A training says what is left at its own pace (a resumed one's seconds count from its resumption).
  const eta = p.remaining ?? (p.workDone > 0 ? p.seconds * (1 - p.workDone) / p.workDone : 0);
  $('#progress').textContent = `${p.remaining === undefined ? 'iteration' : 'step'} ${p.iteration} of ${p.iterations} · ${rate.toFixed(2)} it/s · ETA ${Math.round(eta)} s · content ${p.content.toPrecision(3)} · style ${p.style.toPrecision(3)} · total ${p.total.toPrecision(3)}`;
}

// Each weighted term by iteration on a log scale.
function plot() {
  const canvas = $('#plot'), g = canvas.getContext('2d'), h = state.history;
  g.clearRect(0, 0, canvas.width, canvas.height);
  const terms = [['total', '#222'], ['content', '#27a'], ['style', '#c52']];
  const values = h.flatMap(p => terms.map(([t]) => p[t])).filter(v => v > 0);
  if (values.length === 0) return;
  // The iterations so far fill the width: a long job's curve is not squeezed against the left edge.
  const lo = Math.log10(Math.min(...values)), hi = Math.log10(Math.max(...values)) + 1e-9, n = Math.max(h[h.length - 1].iteration, 10);
  const x = i => 30 + (canvas.width - 40) * i / n, y = v => canvas.height - 20 - (canvas.height - 30) * (Math.log10(v) - lo) / (hi - lo || 1);
  g.font = '11px sans-serif';
  terms.forEach(([term, colour], k) => {
    g.strokeStyle = colour; g.beginPath();
    h.filter(p => p[term] > 0).forEach((p, i) => (i === 0 ? g.moveTo : g.lineTo).call(g, x(p.iteration), y(p[term])));
    g.stroke(); g.fillStyle = colour; g.fillText(term, 40 + 60 * k, 12);
  });
  g.fillStyle = '#555'; g.fillText(`1e${hi.toFixed(1)}`, 0, 24); g.fillText(`1e${lo.toFixed(1)}`, 0, canvas.height - 22);
  g.fillText(`iteration ${n}`, canvas.width - 90, canvas.height - 5);
}

// One line of a job: where it stands and what it was asked for.
function describe(job, settings, queuePosition) {
  const unit = job.kind === 'Training' ? 'steps' : 'iterations';
  const where = job.status === 'Queued' ? ` · waiting, position ${queuePosition}` : job.iterations ? ` · ${job.iteration}/${job.iterations} ${unit}, ${Math.round(job.seconds)} s` : '';
  const resumed = job.resumedFrom ? ` (resumed from step ${job.resumedFrom})` : '';
  const asked = job.kind === 'Training'
    ? `painter ${settings.painter} from ${settings.photos || 'all'} photos, ${settings.size} px crops, ${job.paintings} painting(s)`
    : `${settings.network ?? 'auto'}, ${settings.size} px, ${job.paintings} painting(s)`;
  return `${job.id} · ${job.status.toLowerCase()}${job.worker ? ' on ' + job.worker : ''}${where}${resumed} · ${asked}${job.error ? ' · ' + job.error : ''}`;
}

function paintingLinks(links, job, settings) {
  if (job.status === 'Done') links.append(Object.assign(document.createElement('a'), { href: `/api/jobs/${job.id}/result`, download: `neural-style-${job.id}.png`, textContent: 'Download PNG', className: 'download' }));
  links.append(Object.assign(document.createElement('a'), { href: `/api/jobs/${job.id}/settings`, download: `neural-style-${job.id}.json`, textContent: 'Settings (JSON)' }));
  const load = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Load settings' });
  load.addEventListener('click', () => formFromSettings(settings));
  links.append(load);
  if (job.hasPicture) {
    const again = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Start from this picture' });
    again.addEventListener('click', () => { formFromSettings(settings); setStartFrom(job.id); });
    links.append(again);
  }
}

// The newest jobs, as many as have been asked for; "Show older jobs" while the API says there are more.
async function refreshGallery() {
  const response = await fetch(`/api/jobs?limit=${state.shown}`);
  if (!response.ok) { showError((await response.json()).error); return; }
  const views = await response.json();
  $('#gallery').replaceChildren(...views.map(item));
  $('#older').hidden = !response.headers.get('Link') || state.shown >= 1000;
  const active = views.find(v => !finished(v.job.status));
  if (!state.watching && active) watch(active.job.id);
}

function item({ job, queuePosition }) {
  const li = document.createElement('li');
  li.dataset.job = job.id;
  const settings = JSON.parse(job.settings);
  const training = job.kind === 'Training';
  const picture = job.status === 'Done' && !training ? 'result' : 'latest';
  if (job.hasPicture) li.append(Object.assign(document.createElement('img'), { src: `/api/jobs/${job.id}/${picture}?s=${job.status}`, alt: `job ${job.id}` }));
  const meta = document.createElement('div');
  meta.className = 'meta';
  meta.append(Object.assign(document.createElement('div'), { textContent: describe(job, settings, queuePosition) }));
  const links = document.createElement('div');
  if (training) {
    if (job.status === 'Done') links.append(Object.assign(document.createElement('a'), { href: `/api/painters/${encodeURIComponent(settings.painter)}/file`, download: `${settings.painter}.onnx`, textContent: 'Download painter (ONNX)', className: 'download' }));
  } else {
    paintingLinks(links, job, settings);
  }
  if (finished(job.status)) {
    const remove = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Delete', className: 'delete' });
    remove.addEventListener('click', async () => {
      const response = await fetch(`/api/jobs/${job.id}`, { method: 'DELETE' });
      if (!response.ok) showError((await response.json()).error);
      refreshGallery();
    });
    links.append(remove);
  }
  if (!finished(job.status)) {
    const show = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Watch' });
    show.addEventListener('click', () => watch(job.id));
    links.append(show);
  }
  meta.append(links);
  li.append(meta);
  return li;
}

$('#older').addEventListener('click', () => { state.shown = Math.min(state.shown + 100, 1000); refreshGallery(); });

// Who the server takes this browser for: a name on a server with users.
async function showWho() {
  const response = await fetch('/api/me');
  if (!response.ok) return;
  const me = await response.json();
  $('#who').textContent = me.name ? `Signed in as ${me.name}${me.admin ? ' (admin: every job)' : ''}` : '';
}

// The trained painters of the server (/api/painters): one request paints the photo at once.
async function showPainters() {
  const response = await fetch('/api/painters');
  if (!response.ok) return;
  const painters = await response.json();
  $('#painter').replaceChildren(...painters.map(p => Object.assign(document.createElement('option'), { value: p.name, textContent: p.paintings.length ? `${p.name} (${p.paintings.join(', ')})` : p.name })));
  $('#painters').hidden = painters.length === 0;
}

$('#paint-now').addEventListener('click', async () => {
  $('#painter-error').textContent = '';
  if (!state.photo) { $('#painter-error').textContent = 'Drop a photo first.'; return; }
  const form = new FormData();
  form.append('photo', state.photo);
  const settings = settingsFromForm();
  for (const name of ['size', 'styleStrength', 'preserveColors']) if (settings[name] !== undefined) form.append(name, settings[name]);
  if (settings.styleBlend) form.append('styleBlend', settings.styleBlend.join(','));
  const response = await fetch(`/api/painters/${encodeURIComponent($('#painter').value)}/pictures`, { method: 'POST', body: form });
  if (!response.ok) { $('#painter-error').textContent = (await response.json()).error; return; }
  Object.assign($('#painted'), { src: URL.createObjectURL(await response.blob()), hidden: false });
});

// A painter trained on the server: the paintings dropped above and one of the server's photo folders.
async function showPhotoFolders() {
  const response = await fetch('/api/training-photos');
  if (!response.ok) return;
  const folders = await response.json();
  $('#train-photos').replaceChildren(...folders.map(f => Object.assign(document.createElement('option'), { value: f.name, textContent: `${f.name || 'all'} (${f.photos} photos)` })));
  $('#training').hidden = folders.length === 0;
}

$('#train').addEventListener('click', async () => {
  $('#train-error').textContent = '';
  if (state.paintings.length === 0) { $('#train-error').textContent = 'Drop one or more paintings first.'; return; }
  const form = new FormData();
  state.paintings.forEach(p => form.append('painting', p));
  const settings = { painter: $('#train-name').value, photos: $('#train-photos').value };
  for (const name of ['iterations', 'size']) if ($(`#train-${name}`).value !== '') settings[name] = Number($(`#train-${name}`).value);
  form.append('settings', JSON.stringify(settings));
  const response = await fetch('/api/trainings', { method: 'POST', body: form });
  const body = await response.json();
  if (!response.ok) { $('#train-error').textContent = body.error; return; }
  watch(body.job.id);
  refreshGallery();
});

showWho();
showPainters();
showPhotoFolders();
refreshGallery();
setInterval(refreshGallery, 5000);
