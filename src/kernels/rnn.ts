/**
 * Recurrent layers through time: SimpleRNN, GRU (reset-after, as Keras's default and PyTorch's
 * nn.GRU) and LSTM, with PyTorch's weight layout and gate order (LSTM i,f,g,o; GRU r,z,n).
 *
 * One recorded op per layer and sequence (cuDNN's shape, not one node per step): the input
 * projection of every step is one matmul, each step is a recurrent matmul h·W_hhᵀ + b_hh through
 * the matmul kernel plus one fused kernel for the gate arithmetic, and backward runs through time
 * with one fused gate-gradient kernel and one matmul per step, then three matmuls for the weights.
 *
 * Sequences are batch-major [batch, steps, features], as Keras feeds them. Per step the fused
 * kernels read and write step t of whole-sequence buffers in place: what backward needs (the
 * gate activations, LSTM's cell, the previous hidden state) is saved there once.
 */
import { record } from '../tensor/autograd.ts';
import { noGrad } from '../tensor/context.ts';
import { launchInPlace, Tensor } from '../tensor/tensor.ts';
import type { Kernel } from './kernel.ts';
import { matmul } from './matmul.ts';
import { sumTo } from './reduce.ts';
import { describe } from './shape.ts';
import { block, opCodes, shaderFamily, type Values } from './spec.ts';
import { ceilDiv } from './gpu.ts';

export const rnnCells = ['simple', 'gru', 'lstm'] as const;
export type RnnCell = (typeof rnnCells)[number];
export const rnnCellCodes = opCodes('CELL', rnnCells);

/** Gate pre-activations per unit: W_ih is [gates·hidden, inputs]. */
export const gatesOf: Readonly<Record<RnnCell, number>> = { simple: 1, gru: 3, lstm: 4 };
/** Values per unit saved by the forward step: simple h; GRU r, z, n and h·W_hnᵀ + b_hn; LSTM i, f, g, o and c. */
export const savedOf: Readonly<Record<RnnCell, number>> = { simple: 1, gru: 4, lstm: 5 };

/** The names the three layers' ops record under (GradOp). */
export const rnnOpName = { simple: 'simpleRnn', gru: 'gru', lstm: 'lstm' } as const;
export type RnnOp = (typeof rnnOpName)[RnnCell];

export const rnnStepFields = { batch: 'u32', steps: 'u32', hidden: 'u32', t: 'u32', cell: 'u32', seq: 'u32' } as const;
const rnnStepBlock = block('rnnStep', rnnStepFields);

export interface RnnStepParams {
  cell: RnnCell;
  batch: number;
  steps: number;
  hidden: number;
  /** the time step this launch computes */
  t: number;
  /** backward only: the upstream gradient covers every step [B,T,H] (returnSequences), else only the last [B,H] */
  seq: boolean;
}

/** shaders/rnn.wgsl: one thread per (sequence, unit); backward reads `saved` as `state`, `hprev` as `hbefore`. */
export const rnnShader = shaderFamily('rnn', {
  rnn_step: { uniforms: rnnStepBlock, inputs: ['xproj', 'hproj'], outputs: ['hseq', 'saved', 'hprev', 'hcur'] },
  rnn_step_grad: { uniforms: rnnStepBlock, inputs: ['state', 'hbefore', 'dh', 'dhrec'], outputs: ['carry', 'dxproj', 'dhproj', 'dhcur'] },
}, [rnnCellCodes]);

export function rnnStepUniforms(p: RnnStepParams): Values<typeof rnnStepFields> {
  return { batch: p.batch, steps: p.steps, hidden: p.hidden, t: p.t, cell: rnnCellCodes.code(p.cell), seq: p.seq ? 1 : 0 };
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * Forward step t. Inputs: xproj [B,T,G·H] (x·W_ihᵀ + b_ih for every step), hproj [B,G·H]
 * (h_{t−1}·W_hhᵀ + b_hh). In place: hseq [B,T,H] and saved [B,T,S·H] at step t, hprev [B,T,H]
 * (h_{t−1}, for the recurrent weight's gradient), hcur [B,H] (h_t, the next step's matmul input).
 */
export const rnnStepKernel: Kernel<RnnStepParams> = {
  name: 'rnnStep',
  cpu([xproj, hproj], [hseq, saved, hprev, hcur], { cell, batch, steps: T, hidden: H, t }) {
    const G = gatesOf[cell] * H, S = savedOf[cell] * H;
    for (let b = 0; b < batch; b++) {
      const x0 = (b * T + t) * G, s0 = (b * T + t) * S, sp = (b * T + t - 1) * S, h0 = (b * T + t) * H;
      for (let j = 0; j < H; j++) {
        const hPrev = t === 0 ? 0 : hseq[h0 - H + j];
        let h: number;
        if (cell === 'simple') {
          h = Math.tanh(xproj[x0 + j] + hproj[b * G + j]);
          saved[s0 + j] = h;
        } else if (cell === 'gru') {
          const r = sigmoid(xproj[x0 + j] + hproj[b * G + j]);
          const z = sigmoid(xproj[x0 + H + j] + hproj[b * G + H + j]);
          const hn = hproj[b * G + 2 * H + j];
          const n = Math.tanh(xproj[x0 + 2 * H + j] + r * hn);
          h = (1 - z) * n + z * hPrev;
          saved[s0 + j] = r;
          saved[s0 + H + j] = z;
          saved[s0 + 2 * H + j] = n;
          saved[s0 + 3 * H + j] = hn;
        } else {
          const i = sigmoid(xproj[x0 + j] + hproj[b * G + j]);
          const f = sigmoid(xproj[x0 + H + j] + hproj[b * G + H + j]);
          const g = Math.tanh(xproj[x0 + 2 * H + j] + hproj[b * G + 2 * H + j]);
          const o = sigmoid(xproj[x0 + 3 * H + j] + hproj[b * G + 3 * H + j]);
          const cPrev = t === 0 ? 0 : saved[sp + 4 * H + j];
          const c = f * cPrev + i * g;
          h = o * Math.tanh(c);
          saved[s0 + j] = i;
          saved[s0 + H + j] = f;
          saved[s0 + 2 * H + j] = g;
          saved[s0 + 3 * H + j] = o;
          saved[s0 + 4 * H + j] = c;
        }
        hprev[h0 + j] = hPrev;
        hseq[h0 + j] = h;
        hcur[b * H + j] = h;
      }
    }
  },
  gpu(ctx, [xproj, hproj], [hseq, saved, hprev, hcur], p) {
    ctx.dispatch(rnnShader.dispatch('rnn_step', {
      inputs: { xproj, hproj }, outputs: { hseq, saved, hprev, hcur }, uniforms: rnnStepUniforms(p), workgroups: ceilDiv(p.batch * p.hidden, 64),
    }));
  },
};

/**
 * Backward step t. Inputs: saved, hprev (from the forward), dh (the upstream gradient: [B,T,H],
 * or [B,H] for the last step only), dhrec [B,H] (step t+1's dhproj·W_hh). In place: carry [B,H]
 * (what flows to step t−1 outside the matmul: LSTM's dc, GRU's z·dh; read, then replaced),
 * dxproj and dhproj [B,T,G·H] at step t (the gradients of the two projections, which differ in
 * GRU's n gate), dhcur [B,G·H] (step t's dhproj, the next matmul's input).
 */
export const rnnStepGradKernel: Kernel<RnnStepParams> = {
  name: 'rnnStepGrad',
  cpu([saved, hprev, dhIn, dhrec], [carry, dxproj, dhproj, dhcur], { cell, batch, steps: T, hidden: H, t, seq }) {
    const G = gatesOf[cell] * H, S = savedOf[cell] * H;
    for (let b = 0; b < batch; b++) {
      const s0 = (b * T + t) * S, x0 = (b * T + t) * G;
      for (let j = 0; j < H; j++) {
        const up = seq ? dhIn[(b * T + t) * H + j] : t === T - 1 ? dhIn[b * H + j] : 0;
        const dh = up + dhrec[b * H + j];
        if (cell === 'simple') {
          const h = saved[s0 + j];
          const da = dh * (1 - h * h);
          dxproj[x0 + j] = da;
          dhproj[x0 + j] = da;
          dhcur[b * G + j] = da;
        } else if (cell === 'gru') {
          const r = saved[s0 + j], z = saved[s0 + H + j], n = saved[s0 + 2 * H + j], hn = saved[s0 + 3 * H + j];
          const d = dh + carry[b * H + j];
          const dan = d * (1 - z) * (1 - n * n);
          const daz = d * (hprev[(b * T + t) * H + j] - n) * z * (1 - z);
          const dar = dan * hn * r * (1 - r);
          carry[b * H + j] = d * z;
          dxproj[x0 + j] = dar;
          dxproj[x0 + H + j] = daz;
          dxproj[x0 + 2 * H + j] = dan;
          dhproj[x0 + j] = dar;
          dhproj[x0 + H + j] = daz;
          dhproj[x0 + 2 * H + j] = dan * r;
          dhcur[b * G + j] = dar;
          dhcur[b * G + H + j] = daz;
          dhcur[b * G + 2 * H + j] = dan * r;
        } else {
          const i = saved[s0 + j], f = saved[s0 + H + j], g = saved[s0 + 2 * H + j], o = saved[s0 + 3 * H + j], c = saved[s0 + 4 * H + j];
          const cPrev = t === 0 ? 0 : saved[s0 - S + 4 * H + j];
          const tc = Math.tanh(c);
          const dc = carry[b * H + j] + dh * o * (1 - tc * tc);
          const da = [dc * g * i * (1 - i), dc * cPrev * f * (1 - f), dc * i * (1 - g * g), dh * tc * o * (1 - o)];
          carry[b * H + j] = dc * f;
          for (let k = 0; k < 4; k++) {
            dxproj[x0 + k * H + j] = da[k];
            dhproj[x0 + k * H + j] = da[k];
            dhcur[b * G + k * H + j] = da[k];
          }
        }
      }
    }
  },
  gpu(ctx, [state, hbefore, dh, dhrec], [carry, dxproj, dhproj, dhcur], p) {
    ctx.dispatch(rnnShader.dispatch('rnn_step_grad', {
      inputs: { state, hbefore, dh, dhrec }, outputs: { carry, dxproj, dhproj, dhcur }, uniforms: rnnStepUniforms(p), workgroups: ceilDiv(p.batch * p.hidden, 64),
    }));
  },
};

export interface RecurrentWeights {
  /** [G·H, inputs] */
  weightIh: Tensor;
  /** [G·H, H] */
  weightHh: Tensor;
  /** [G·H] */
  biasIh: Tensor;
  /** [G·H] */
  biasHh: Tensor;
}

const zeros = (shape: readonly number[], like: Tensor) => Tensor.from(new Float32Array(shape.reduce((p, d) => p * d, 1)), shape, like.backend);

/**
 * Runs `cell` over x [B,T,I] from a zero state: [B,T,H] when `returnSequences`, else the last
 * step's [B,H]. Differentiable in x and every weight.
 */
export function recurrent(cell: RnnCell, x: Tensor, w: RecurrentWeights, returnSequences: boolean): Tensor {
  if (x.shape.length !== 3) throw new Error(`${cell}: expected [batch, steps, features], got ${describe(x.shape)}`);
  const [B, T, I] = x.shape;
  const GH = w.weightIh.shape[0];
  const H = w.weightHh.shape[1];
  if (GH !== gatesOf[cell] * H || w.weightIh.shape[1] !== I || w.weightHh.shape[0] !== GH || w.biasIh.size !== GH || w.biasHh.size !== GH) {
    throw new Error(`${cell}: weights ${describe(w.weightIh.shape)}, ${describe(w.weightHh.shape)} do not fit inputs of ${I} features and ${gatesOf[cell]} gates`);
  }
  const step = (t: number, seq = false): RnnStepParams => ({ cell, batch: B, steps: T, hidden: H, t, seq });
  const x2 = x.view([B * T, I]);
  const { hseq, saved, hprev, hcur } = noGrad(() => {
    const xproj = matmul(x2, w.weightIh, { transB: true, bias: w.biasIh });
    const hseq = Tensor.empty([B, T, H], x.backend);
    const saved = Tensor.empty([B, T, savedOf[cell] * H], x.backend);
    const hprev = Tensor.empty([B, T, H], x.backend);
    const hcur = zeros([B, H], x);
    for (let t = 0; t < T; t++) {
      const hproj = matmul(hcur, w.weightHh, { transB: true, bias: w.biasHh });
      launchInPlace(rnnStepKernel, [xproj, hproj], [hseq, saved, hprev, hcur], step(t));
      hproj.dispose();
    }
    xproj.dispose();
    return { hseq, saved, hprev, hcur };
  });
  x2.dispose();
  const out = returnSequences ? hseq : hcur;
  (returnSequences ? hcur : hseq).dispose();
  const inputs = [x, w.weightIh, w.weightHh, w.biasIh, w.biasHh];
  const result = record(out, rnnOpName[cell], inputs, (g) => {
    const carry = zeros([B, H], x);
    const dxproj = Tensor.empty([B, T, GH], x.backend);
    const dhproj = Tensor.empty([B, T, GH], x.backend);
    const dhcur = Tensor.empty([B, GH], x.backend);
    let dhrec = zeros([B, H], x);
    for (let t = T - 1; t >= 0; t--) {
      launchInPlace(rnnStepGradKernel, [saved, hprev, g, dhrec], [carry, dxproj, dhproj, dhcur], step(t, returnSequences));
      dhrec.dispose();
      if (t > 0) dhrec = matmul(dhcur, w.weightHh);
    }
    const dx2 = dxproj.view([B * T, GH]);
    const dh2 = dhproj.view([B * T, GH]);
    const hp2 = hprev.view([B * T, H]);
    const xs2 = x.view([B * T, I]);
    const dxFlat = matmul(dx2, w.weightIh);
    const grads = [
      dxFlat.view(x.shape),
      matmul(dx2, xs2, { transA: true }),
      matmul(dh2, hp2, { transA: true }),
      sumTo(dx2, [GH]),
      sumTo(dh2, [GH]),
    ];
    for (const t of [carry, dxproj, dhproj, dhcur, dx2, dh2, hp2, xs2, dxFlat, saved, hprev]) t.dispose();
    return grads;
  });
  // Evaluation records nothing: what only backward reads goes now.
  if (!result.node) {
    saved.dispose();
    hprev.dispose();
  }
  return result;
}

export const rnnKernels = { rnnStep: rnnStepKernel, rnnStepGrad: rnnStepGradKernel };
