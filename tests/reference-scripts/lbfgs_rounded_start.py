# Runs PyTorch's L-BFGS (as make_reference.py does) from the exact float64 noise and from that noise
# rounded to float32 (the x0_net that gatys-reference.safetensors stores), to show which start a
# reproduction can match. Needs PyTorch; reads copies of ../shared/reference files from .probe/.
# Output on PyTorch 2.11 (CPU, float64), 2026-11-26, avg pooling: exact start 1.612843e12 1.612837e12
# 1.310379e12 ...; float32-rounded start 1.612843e12 1.612837e12 2.491823e13 1.265690e12 1.089806e12
# 8.841321e11. Max pooling gives the same six losses from either start.
import json, struct, torch, torch.nn.functional as F
def load(path):
    b = open(path, 'rb').read(); n = struct.unpack('<Q', b[:8])[0]; h = json.loads(b[8:8+n]); out = {}
    for k, v in h.items():
        if k == '__metadata__': continue
        s, e = v['data_offsets']
        out[k] = torch.frombuffer(bytearray(b[8+n+s:8+n+e]), dtype=torch.float32).reshape(v['shape'])
    return out
W = load('.probe/vgg19-test-weights.safetensors'); R = load('.probe/gatys-reference.safetensors')
MEAN = torch.tensor([103.939, 116.779, 123.68], dtype=torch.float64).view(3, 1, 1)
LAYERS = ["conv1_1","conv1_2","pool1","conv2_1","conv2_2","pool2","conv3_1","conv3_2","conv3_3","conv3_4","pool3","conv4_1","conv4_2","conv4_3","conv4_4","pool4","conv5_1"]
STYLE = ["relu1_1","relu2_1","relu3_1","relu4_1","relu5_1"]
def feats(x, pooling):
    a = {}; x = x.unsqueeze(0)
    for n in LAYERS:
        if n.startswith('pool'): x = F.max_pool2d(x, 2) if pooling == 'max' else F.avg_pool2d(x, 2)
        else:
            x = F.relu(F.conv2d(x, W[n+'.weight'].double(), W[n+'.bias'].double(), padding=1)); a['relu'+n[4:]] = x
    return a
def gram(f): m = f.reshape(f.shape[1], -1); return m @ m.t()
def total(x, P, A, pooling):
    f = feats(x, pooling); lc = 0.5*((f['relu4_2']-P)**2).sum()
    ls = sum(((gram(f[l]) - A[l])**2).sum() / (4.0*f[l].shape[1]**2*(f[l].shape[2]*f[l].shape[3])**2) for l in STYLE) / 5
    return lc + 1000*ls
g = torch.Generator().manual_seed(1234); x0 = torch.randn(3, 96, 128, generator=g, dtype=torch.float64) * 50.0
print('x0 matches stored:', (x0.float() - R['x0_net']).abs().max().item())
for pooling in ('max', 'avg'):
    with torch.no_grad():
        fc = feats(R['content_rgb'].double().flip(0) - MEAN, pooling); fs = feats(R['style_rgb'].double().flip(0) - MEAN, pooling)
        P = fc['relu4_2']; A = {l: gram(fs[l]) for l in STYLE}
    for name, start in (('exact', x0), ('f32-rounded', x0.float().double()), ('rgb-roundtrip', ((x0.float().double() + MEAN).flip(0).flip(0) - MEAN))):
        x = start.clone().requires_grad_(True); hist = []
        opt = torch.optim.LBFGS([x], lr=1.0, max_iter=6, max_eval=6, history_size=100, tolerance_grad=-1, tolerance_change=-1)
        def closure():
            opt.zero_grad(); t = total(x, P, A, pooling); t.backward(); hist.append(t.item()); return t
        opt.step(closure)
        print(pooling, name, ['%.6e' % h for h in hist], flush=True)
