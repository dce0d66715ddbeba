// The live camera: a trained painter runs in this page (onnxruntime-web, which the server serves from
// /ort/: WebGPU where the browser has it, WebAssembly otherwise). The camera's frames never leave the
// browser: the only requests are for the runtime, the list of painters and a painter's file.
const $ = selector => document.querySelector(selector);
const live = { ort: null, backend: '', painter: null, pending: null, stream: null, running: false, times: [], frames: 0 };

async function runtime() {
  if (live.ort) return live.ort;
  let ort;
  try {
    ort = await import('/ort/ort.min.mjs');
  } catch {
    throw new Error('this server was built without npm, so the live camera has no runtime');
  }
  ort.env.wasm.wasmPaths = '/ort/';
  // Threads need cross-origin isolation, which the server's headers give.
  ort.env.wasm.numThreads = crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;
  const adapter = navigator.gpu ? await navigator.gpu.requestAdapter().catch(() => null) : null;
  live.backend = adapter ? 'webgpu' : 'wasm';
  live.ort = ort;
  return ort;
}

// A painter takes `photo` [N, 3, H, W] and gives one picture, RGB 0–255; one of several styles also
// takes `style` [styles], the blend. Anything else is refused here, in one line.
async function loadPainter(bytes, label, paintings) {
  const ort = await runtime();
  let session;
  try {
    session = await ort.InferenceSession.create(new Uint8Array(bytes), { executionProviders: [live.backend] });
  } catch {
    throw new Error(`${label} is not a painter: not an ONNX model`);
  }
  const photo = session.inputMetadata.find(m => m.name === 'photo');
  const style = session.inputMetadata.find(m => m.name === 'style');
  const extra = session.inputNames.filter(n => n !== 'photo' && n !== 'style');
  if (!photo || photo.shape?.length !== 4 || photo.shape[1] !== 3 || extra.length > 0 || session.outputNames.length !== 1) {
    await session.release();
    throw new Error(`${label} is not a painter: it takes ${session.inputNames.join(', ')}, not one photo [N, 3, H, W]`);
  }
  const styles = style && typeof style.shape?.[0] === 'number' ? style.shape[0] : 1;
  return { session, label, styles, paintings: paintings ?? [] };
}

function showBlend(painter) {
  const sliders = Array.from({ length: painter.styles > 1 ? painter.styles : 0 }, (_, i) => {
    const label = document.createElement('label');
    label.textContent = `${painter.paintings[i] ?? `style ${i + 1}`} `;
    label.append(Object.assign(document.createElement('input'), { type: 'range', min: 0, max: 1, step: 0.05, value: i === 0 ? 1 : 0 }));
    return label;
  });
  $('#live-blend').replaceChildren(...sliders);
}

function blend(styles) {
  const shares = [...document.querySelectorAll('#live-blend input')].map(i => Number(i.value));
  const sum = shares.reduce((a, b) => a + b, 0);
  return Float32Array.from({ length: styles }, (_, i) => sum > 0 ? shares[i] / sum : 1 / styles);
}

async function choosePainter(load) {
  $('#live-error').textContent = '';
  try {
    const painter = await load();
    showBlend(painter);
    // A running camera takes the new painter between two frames.
    if (live.running) live.pending = painter; else { await live.painter?.session.release(); live.painter = painter; }
  } catch (e) {
    $('#live-error').textContent = e.message;
  }
}

async function serverPainter() {
  const option = $('#live-painter').selectedOptions[0];
  if (!option) throw new Error('no painter: pick one of the server\'s or a painter file');
  const response = await fetch(`/api/painters/${encodeURIComponent(option.value)}/file`);
  if (!response.ok) throw new Error((await response.json()).error);
  return loadPainter(await response.arrayBuffer(), option.value, JSON.parse(option.dataset.paintings));
}

// A camera's frame or a photo at the painter's size, whose sides are multiples of 4 (the painter
// halves it twice).
function grab(source, sourceWidth, sourceHeight, longest) {
  const scale = longest / Math.max(sourceWidth, sourceHeight);
  const width = Math.max(4, Math.round(sourceWidth * scale / 4) * 4);
  const height = Math.max(4, Math.round(sourceHeight * scale / 4) * 4);
  const canvas = $('#live-frame');
  Object.assign(canvas, { width, height });
  const context = canvas.getContext('2d', { willReadFrequently: true });
  context.drawImage(source, 0, 0, width, height);
  return context.getImageData(0, 0, width, height);
}

async function paintFrame(source = $('#live-video'), sourceWidth = source.videoWidth, sourceHeight = source.videoHeight) {
  const { ort, painter } = live;
  const frame = grab(source, sourceWidth, sourceHeight, Number($('#live-size').value));
  const { width, height, data } = frame;
  const plane = width * height;
  const photo = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    photo[i] = data[4 * i];
    photo[plane + i] = data[4 * i + 1];
    photo[2 * plane + i] = data[4 * i + 2];
  }
  const feeds = { photo: new ort.Tensor('float32', photo, [1, 3, height, width]) };
  if (painter.session.inputNames.includes('style')) feeds.style = new ort.Tensor('float32', blend(painter.styles), [painter.styles]);
  const output = (await painter.session.run(feeds))[painter.session.outputNames[0]];
  const picture = await output.getData();
  output.dispose();
  const strength = Number($('#live-strength').value);
  const painted = new ImageData(width, height);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) painted.data[4 * i + c] = strength * picture[c * plane + i] + (1 - strength) * photo[c * plane + i];
    painted.data[4 * i + 3] = 255;
  }
  const canvas = $('#live-painted');
  Object.assign(canvas, { width, height });
  canvas.getContext('2d').putImageData(painted, 0, 0);
  canvas.dataset.frames = ++live.frames;
  showSpeed(width, height);
}

function showSpeed(width, height) {
  live.times.push(performance.now());
  if (live.times.length > 20) live.times.shift();
  const seconds = (live.times.at(-1) - live.times[0]) / 1000;
  const fps = seconds > 0 ? (live.times.length - 1) / seconds : 0;
  const threads = live.backend === 'wasm' ? `, ${live.ort.env.wasm.numThreads} thread${live.ort.env.wasm.numThreads > 1 ? 's' : ''}` : '';
  $('#live-fps').textContent = `${fps.toFixed(1)} frames a second · ${width}×${height} · ${live.painter.label} on ${live.backend}${threads}`;
}

async function run() {
  while (live.running) {
    if (live.pending) { await live.painter.session.release(); live.painter = live.pending; live.pending = null; }
    if ($('#live-video').readyState >= 2) {
      try {
        await paintFrame();
      } catch (e) {
        $('#live-error').textContent = `the painter failed on a frame: ${e.message}`;
        stop();
      }
    }
    await new Promise(resolve => setTimeout(resolve, 0));
  }
}

async function start() {
  $('#live-error').textContent = '';
  try {
    if (!live.painter) await choosePainter(serverPainter);
    if (!live.painter) return;
    live.stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: false });
  } catch (e) {
    $('#live-error').textContent = e.name === 'NotAllowedError' ? 'the browser was not allowed to use the camera' : e.message;
    return;
  }
  const video = $('#live-video');
  video.srcObject = live.stream;
  await video.play();
  Object.assign(live, { running: true, times: [] });
  for (const [id, disabled] of [['#live-start', true], ['#live-stop', false], ['#live-snapshot', false]]) $(id).disabled = disabled;
  run();
}

function stop() {
  live.running = false;
  live.stream?.getTracks().forEach(track => track.stop());
  live.stream = null;
  for (const [id, disabled] of [['#live-start', false], ['#live-stop', true], ['#live-snapshot', true]]) $(id).disabled = disabled;
}

// A snapshot stays in the page (a link to save it); it is not sent anywhere.
function snapshot() {
  $('#live-painted').toBlob(blob => {
    const url = URL.createObjectURL(blob);
    const item = document.createElement('li');
    const name = `snapshot-${$('#snapshots').children.length + 1}.png`;
    item.append(Object.assign(document.createElement('img'), { src: url, alt: name }), Object.assign(document.createElement('a'), { href: url, download: name, textContent: 'save' }));
    $('#snapshots').prepend(item);
  }, 'image/png');
}

async function listPainters() {
  const response = await fetch('/api/painters');
  if (!response.ok) return;
  const painters = await response.json();
  $('#live-painter').replaceChildren(...painters.map(p => {
    const option = Object.assign(document.createElement('option'), { value: p.name, textContent: p.paintings.length ? `${p.name} (${p.paintings.join(', ')})` : p.name });
    option.dataset.paintings = JSON.stringify(p.paintings);
    return option;
  }));
}

$('#live-painter').addEventListener('change', () => choosePainter(serverPainter));
$('#live-file').addEventListener('change', () => {
  const file = $('#live-file').files[0];
  if (file) choosePainter(async () => loadPainter(await file.arrayBuffer(), file.name));
});
// The photo dropped above, painted here at once, as a frame of the camera would be.
let photo = null;
document.addEventListener('photo-chosen', e => { photo = e.detail; });
async function paintPhoto() {
  $('#live-error').textContent = '';
  if (!photo) { $('#live-error').textContent = 'Drop a photo first.'; return; }
  if (!live.painter) await choosePainter(serverPainter);
  if (!live.painter || live.running) return;
  try {
    const bitmap = await createImageBitmap(photo);
    await paintFrame(bitmap, bitmap.width, bitmap.height);
  } catch (e) {
    $('#live-error').textContent = `the painter failed on the photo: ${e.message}`;
  }
}

document.addEventListener('painters-changed', listPainters);
$('#live-photo').addEventListener('click', paintPhoto);
$('#live-start').addEventListener('click', start);
$('#live-stop').addEventListener('click', stop);
$('#live-snapshot').addEventListener('click', snapshot);
listPainters();
