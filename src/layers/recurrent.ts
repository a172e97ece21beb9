/**
 * SimpleRNN, GRU and LSTM layers over inputs [steps, features] (Keras's layout), parameters named
 * and laid out as PyTorch's nn.RNN / nn.GRU / nn.LSTM name theirs (weight_ih_l0 [gates·units,
 * features], weight_hh_l0 [gates·units, units], bias_ih_l0, bias_hh_l0; gate order LSTM i,f,g,o,
 * GRU r,z,n), so a saved model loads into those modules. Initialised as Keras initialises them:
 * Glorot-uniform input weights, orthogonal recurrent weights, zero biases but a forget-gate bias
 * of one (Keras's unit_forget_bias; PyTorch adds its two biases, so it sits in bias_ih alone).
 */
import { gatesOf, recurrent, type RnnCell } from '../kernels/rnn.ts';
import type { Rng } from '../kernels/random.ts';
import { keep } from '../tensor/context.ts';
import { Tensor, type Shape } from '../tensor/tensor.ts';
import { filled, glorotUniform } from './init.ts';
import { Layer, type ForwardContext, type LayerConfig, type Parameter } from './layer.ts';

/**
 * A [rows, cols] matrix with orthonormal columns (rows ≥ cols) or rows (rows < cols), from a
 * Gaussian one by modified Gram–Schmidt: Keras's Orthogonal initializer, gain 1.
 */
export function orthogonal(rows: number, cols: number, rng: Rng): Float32Array {
  const [n, m] = rows >= cols ? [rows, cols] : [cols, rows];
  // m vectors of length n, orthonormalised in float64
  const v = Array.from({ length: m }, () => Float64Array.from({ length: n }, () => rng.normal()));
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < i; k++) {
      let dot = 0;
      for (let e = 0; e < n; e++) dot += v[i][e] * v[k][e];
      for (let e = 0; e < n; e++) v[i][e] -= dot * v[k][e];
    }
    let norm = 0;
    for (let e = 0; e < n; e++) norm += v[i][e] * v[i][e];
    norm = Math.sqrt(norm);
    for (let e = 0; e < n; e++) v[i][e] /= norm;
  }
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = rows >= cols ? v[c][r] : v[r][c];
  return out;
}

const kinds: Readonly<Record<RnnCell, string>> = { simple: 'SimpleRNN', gru: 'GRU', lstm: 'LSTM' };
export const recurrentTypes: Readonly<Record<string, RnnCell>> = { simplernn: 'simple', gru: 'gru', lstm: 'lstm' };

export class Recurrent extends Layer {
  readonly kind: string;
  weightIh: Tensor | null = null;
  weightHh: Tensor | null = null;
  biasIh: Tensor | null = null;
  biasHh: Tensor | null = null;

  constructor(readonly cell: RnnCell, readonly units: number, readonly returnSequences = false) {
    super();
    this.kind = kinds[cell];
  }

  build(inputShape: Shape, rng: Rng): Shape {
    if (inputShape.length !== 2) throw new Error(`${this.name}: ${this.kind} expects inputs [steps, features], got [${inputShape.join(', ')}]`);
    const [steps, features] = inputShape;
    const H = this.units, GH = gatesOf[this.cell] * H;
    // Keras draws its kernel [features, G·H] with fans (features, G·H): the same limit.
    this.weightIh = keep(glorotUniform([GH, features], features, GH, rng));
    this.weightHh = keep(Tensor.from(orthogonal(GH, H, rng), [GH, H]));
    const bias = new Float32Array(GH);
    if (this.cell === 'lstm') bias.fill(1, H, 2 * H);
    this.biasIh = keep(Tensor.from(bias, [GH]));
    this.biasHh = keep(filled([GH], 0));
    return this.returnSequences ? [steps, H] : [H];
  }

  forward(x: Tensor, _ctx: ForwardContext): Tensor {
    return recurrent(this.cell, x, { weightIh: this.weightIh!, weightHh: this.weightHh!, biasIh: this.biasIh!, biasHh: this.biasHh! }, this.returnSequences);
  }

  override parameters(): Parameter[] {
    if (!this.weightIh) throw new Error('parameters(): build() the layer first');
    return [
      { name: 'weight_ih_l0', tensor: this.weightIh, trainable: true, regularized: true },
      { name: 'weight_hh_l0', tensor: this.weightHh!, trainable: true, regularized: true },
      { name: 'bias_ih_l0', tensor: this.biasIh!, trainable: true, regularized: false },
      { name: 'bias_hh_l0', tensor: this.biasHh!, trainable: true, regularized: false },
    ];
  }

  config(): LayerConfig {
    return { type: this.kind.toLowerCase(), units: this.units, returnSequences: this.returnSequences };
  }
}
