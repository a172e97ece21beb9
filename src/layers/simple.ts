/** The layers without parameters. */
import { dropout } from '../kernels/dropout.ts';
import { affine, flatten, unary, type Activation } from '../kernels/elementwise.ts';
import { avgPool2d, maxPool2d, maxPool2dAct } from '../kernels/pool.ts';
import { canFuse } from '../kernels/activation.ts';
import { hash32 } from '../kernels/random.ts';
import type { Shape, Tensor } from '../tensor/tensor.ts';
import { Layer, type ForwardContext, type LayerConfig } from './layer.ts';

export class Flatten extends Layer {
  readonly kind = 'Flatten';
  build(inputShape: Shape): Shape {
    return [inputShape.reduce((p, d) => p * d, 1)];
  }
  forward(x: Tensor): Tensor {
    // NCHW memory is already channel, row, column: PyTorch's flatten order, no copy.
    return flatten(x);
  }
  config(): LayerConfig {
    return { type: 'flatten' };
  }
}

export class ActivationLayer extends Layer {
  readonly kind = 'Activation';
  constructor(readonly activation: Activation) {
    super();
  }
  build(inputShape: Shape): Shape {
    return inputShape;
  }
  forward(x: Tensor): Tensor {
    return unary(this.activation, x);
  }
  config(): LayerConfig {
    return { type: 'activation', activation: this.activation };
  }
}

/**
 * (x − mean) / std on every input value: the standardisation PyTorch's MNIST examples apply to
 * the data (0.1307, 0.3081 over pixels in [0, 1]), kept in the model so that evaluation, predict
 * and serve see the same inputs as training.
 */
export class Standardize extends Layer {
  readonly kind = 'Standardize';
  constructor(readonly mean: number, readonly std: number) {
    super();
    if (!Number.isFinite(mean) || !(std > 0) || !Number.isFinite(std)) throw new Error(`Standardize: expected a finite mean and a positive std, got ${mean} and ${std}`);
  }
  build(inputShape: Shape): Shape {
    return inputShape;
  }
  forward(x: Tensor): Tensor {
    return affine(x, 1 / this.std, -this.mean / this.std);
  }
  config(): LayerConfig {
    return { type: 'standardize', mean: this.mean, std: this.std };
  }
}

export class Pool2D extends Layer {
  readonly kind: string;
  constructor(readonly mode: 'max' | 'avg', readonly size = 2) {
    super();
    this.kind = mode === 'max' ? 'MaxPooling2D' : 'AveragePooling2D';
  }
  build(inputShape: Shape): Shape {
    const [c, h, w] = inputShape;
    if (inputShape.length !== 3 || h < this.size || w < this.size) {
      throw new Error(`${this.name}: cannot pool [${inputShape.join(', ')}] with a ${this.size}×${this.size} window`);
    }
    return [c, Math.floor(h / this.size), Math.floor(w / this.size)];
  }
  forward(x: Tensor): Tensor {
    return this.mode === 'max' ? maxPool2d(x, this.size) : avgPool2d(x, this.size);
  }

  /**
   * Max pooling, then a monotone activation: the activation of the pooled values in the pool's
   * own pass, forward and backward (src/kernels/pool.ts maxPool2dAct); exactly the unfused pair.
   */
  override forwardWithActivation(x: Tensor, _ctx: ForwardContext, activation: Activation): Tensor | null {
    return this.mode === 'max' && canFuse(activation) ? maxPool2dAct(x, activation, this.size) : null;
  }

  /**
   * An activation, then this max pooling, in one op; null where the container must run both.
   * Only ReLU: for it both orders give the same gradient (a window whose maximum is not positive
   * gets none). A saturating activation (tanh, sigmoid, softsign) can round distinct inputs to
   * one float32 output, and the unfused order then routes the gradient to the first of them
   * rather than to the first maximum of x: equal forward, a different element's gradient.
   */
  forwardAfterActivation(x: Tensor, activation: Activation): Tensor | null {
    return this.fusesActivationBefore(activation) ? maxPool2dAct(x, 'relu', this.size) : null;
  }

  fusesActivationBefore(activation: Activation): boolean {
    return this.mode === 'max' && activation === 'relu';
  }
  config(): LayerConfig {
    return { type: this.mode === 'max' ? 'maxpool2d' : 'avgpool2d', size: this.size };
  }
}

export class Dropout extends Layer {
  readonly kind = 'Dropout';
  /** Set by the model: the layer's stream among the model's dropout layers. */
  stream = 0;
  constructor(public rate: number) {
    super();
  }
  build(inputShape: Shape): Shape {
    return inputShape;
  }
  forward(x: Tensor, ctx: ForwardContext): Tensor {
    if (!ctx.training || this.rate === 0) return x;
    return dropout(x, this.rate, hash32((Math.imul(ctx.step, 0x9e3779b1) + this.stream) >>> 0));
  }
  config(): LayerConfig {
    return { type: 'dropout', rate: this.rate };
  }
}
