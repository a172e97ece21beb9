/**
 * The recurrent layers against PyTorch: golden outputs of nn.LSTM / nn.GRU / nn.RNN (worked out
 * once by torch from the weights below, always checked), and, when /usr/bin/python3 imports
 * torch, a model saved as safetensors loaded into those modules by name, with outputs and every
 * gradient compared. Also Keras's initialisation.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ReferenceBackend } from '../src/backends/reference.ts';
import { mul } from '../src/kernels/elementwise.ts';
import { sum } from '../src/kernels/reduce.ts';
import { Rng } from '../src/kernels/random.ts';
import { gatesOf, recurrent, type RnnCell } from '../src/kernels/rnn.ts';
import { saveSafetensors } from '../src/io/safetensors.ts';
import { orthogonal, Recurrent } from '../src/layers/recurrent.ts';
import { Sequential } from '../src/layers/sequential.ts';
import { backward } from '../src/tensor/autograd.ts';
import { scope, setBackend } from '../src/tensor/context.ts';
import { Tensor } from '../src/tensor/tensor.ts';

const backend = new ReferenceBackend('float64');
setBackend(backend);

/** The golden script's values: 0.5·sin(s + 1.3 i), rounded to 4 places. */
const wave = (n: number, s: number) => Array.from({ length: n }, (_, i) => Math.round(0.5 * Math.sin(s + 1.3 * i) * 1e4) / 1e4);

/** torch 1.13, float64: nn.LSTM/GRU/RNN(2, 3, batch_first=True) on x [1, 3, 2], outputs [1, 3, 3]. */
const golden: Record<RnnCell, number[]> = {
  lstm: [0.124537608, 0.023744366, -0.22896812, 0.180335599, -0.004108652, -0.420800855, 0.136411134, 0.18941836, -0.462252013],
  gru: [0.342090618, 0.040981692, -0.171301575, 0.603851705, 0.001079792, -0.357156288, 0.359219896, 0.258157548, -0.469909184],
  simple: [0.524519404, 0.712583085, 0.126322438, 0.479549059, 0.605871765, 0.372347845, 0.735595462, 0.422376622, 0.40774818],
};

describe('recurrent layers: golden values from PyTorch', () => {
  for (const cell of ['lstm', 'gru', 'simple'] as const) {
    it(`${cell} matches torch.nn.${cell === 'simple' ? 'RNN' : cell.toUpperCase()} over three steps`, async () => {
      const G = gatesOf[cell] * 3;
      const y = scope(() => recurrent(cell, Tensor.from(wave(6, 0.7), [1, 3, 2]), {
        weightIh: Tensor.from(wave(G * 2, 0.1), [G, 2]), weightHh: Tensor.from(wave(G * 3, 0.2), [G, 3]),
        biasIh: Tensor.from(wave(G, 0.3), [G]), biasHh: Tensor.from(wave(G, 0.4), [G]),
      }, true));
      const got = Array.from(await y.read());
      y.dispose();
      got.forEach((v, i) => expect(v).toBeCloseTo(golden[cell][i], 8));
    });
  }
});

describe("Keras's initialisation", () => {
  it('orthogonal matrices have orthonormal columns (tall) or rows (wide)', () => {
    for (const [r, c] of [[12, 3], [3, 12], [5, 5]]) {
      const m = orthogonal(r, c, new Rng(3));
      const [n, k] = r >= c ? [r, c] : [c, r];
      const v = (i: number, e: number) => (r >= c ? m[e * c + i] : m[i * c + e]);
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
        let dot = 0;
        for (let e = 0; e < n; e++) dot += v(i, e) * v(j, e);
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 5);
      }
    }
  });
  it('LSTM: forget-gate bias one, the rest zero; weights in PyTorch shapes', async () => {
    const model = new Sequential([new Recurrent('lstm', 4, false)], [7, 3]).build(1);
    const state = await model.stateDict();
    expect(Object.keys(state)).toEqual(['lstm.weight_ih_l0', 'lstm.weight_hh_l0', 'lstm.bias_ih_l0', 'lstm.bias_hh_l0']);
    expect(state['lstm.weight_ih_l0'].shape).toEqual([16, 3]);
    expect(state['lstm.weight_hh_l0'].shape).toEqual([16, 4]);
    expect(Array.from(state['lstm.bias_ih_l0'].data)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(state['lstm.bias_hh_l0'].data).every((v) => v === 0)).toBe(true);
    const limit = Math.sqrt(6 / (3 + 16));
    expect(Array.from(state['lstm.weight_ih_l0'].data).every((v) => Math.abs(v) <= limit)).toBe(true);
    model.dispose();
  });
});

const dir = mkdtempSync(join(tmpdir(), 'wgnn-rnn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Loads our safetensors into nn.LSTM → nn.GRU → nn.RNN by name; outputs and gradients, or null without torch. */
function torchRun(file: string, x: number[], xShape: number[], proj: number[]): { y: number[]; grads: Record<string, number[]> } | null {
  const script = `
import json, struct, sys, torch
torch.set_default_dtype(torch.float64)
raw = open(${JSON.stringify(file)}, 'rb').read()
n = struct.unpack('<Q', raw[:8])[0]
header = json.loads(raw[8:8 + n])
state = {}
for k, v in header.items():
    if k == '__metadata__': continue
    a, b = v['data_offsets']
    state[k] = torch.frombuffer(bytearray(raw[8 + n + a:8 + n + b]), dtype=torch.float32).to(torch.float64).reshape(v['shape'])
class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(3, 5, batch_first=True)
        self.gru = torch.nn.GRU(5, 4, batch_first=True)
        self.simple_rnn = torch.nn.RNN(4, 3, batch_first=True)
    def forward(self, x):
        h, _ = self.lstm(x)
        h, _ = self.gru(h)
        h, _ = self.simple_rnn(h)
        return h[:, -1]
net = Net()
net.load_state_dict(state, strict=True)
x = torch.tensor(${JSON.stringify(x)}).reshape(${JSON.stringify(xShape)})
y = net(x)
(y * torch.tensor(${JSON.stringify(proj)}).reshape(y.shape)).sum().backward()
print(json.dumps({'y': y.flatten().tolist(), 'grads': {k: p.grad.flatten().tolist() for k, p in net.named_parameters()}}))`;
  try {
    return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 120_000 })) as { y: number[]; grads: Record<string, number[]> };
  } catch {
    return null;
  }
}

describe('safetensors that torch.nn.LSTM / GRU / RNN load', () => {
  it('a stacked LSTM → GRU → SimpleRNN model: same outputs and gradients in torch (when torch imports)', async () => {
    const model = new Sequential([new Recurrent('lstm', 5, true), new Recurrent('gru', 4, true), new Recurrent('simple', 3, false)], [6, 3]).build(5);
    const file = join(dir, 'model.safetensors');
    saveSafetensors(file, await model.stateDict());
    const rng = new Rng(9);
    const x = Array.from({ length: 2 * 6 * 3 }, () => Math.fround(2 * rng.next() - 1));
    const proj = Array.from({ length: 2 * 3 }, () => 2 * rng.next() - 1);
    const ours = scope(() => {
      for (const p of model.parameters()) p.tensor.requiresGrad = true;
      const y = model.forward(Tensor.from(x, [2, 6, 3]), { training: true, step: 0 });
      backward(sum(mul(y, Tensor.from(proj, y.shape))));
      return { y, grads: model.parameters().map((p) => p.tensor.grad!) };
    });
    const y = Array.from(await ours.y.read());
    const theirs = torchRun(file, x, [2, 6, 3], proj);
    if (!theirs) {
      console.warn('torch comparison skipped: /usr/bin/python3 does not import torch');
      return;
    }
    y.forEach((v, i) => expect(v).toBeCloseTo(theirs.y[i], 6));
    for (const [k, p] of model.parameters().entries()) {
      const g = Array.from(await ours.grads[k].read());
      const want = theirs.grads[p.fullName];
      expect(want, p.fullName).toBeDefined();
      g.forEach((v, i) => expect(Math.abs(v - want[i]), `${p.fullName}[${i}]`).toBeLessThan(1e-6));
    }
    model.dispose();
  }, 120_000);
});
