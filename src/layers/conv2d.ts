import { conv2d, convGeometry, type Padding } from '../kernels/conv2d.ts';
import { unary, type Activation } from '../kernels/elementwise.ts';
import { canFuse } from '../kernels/activation.ts';
import type { Rng } from '../kernels/random.ts';
import { keep } from '../tensor/context.ts';
import type { Shape, Tensor } from '../tensor/tensor.ts';
import { kernelAndBias, type Initializer } from './init.ts';
import { Layer, weightAndBias, type ForwardContext, type LayerConfig, type Parameter } from './layer.ts';

/** A square-kernel convolution over [c, h, w] inputs; weights [filters, c, k, k] as torch.nn.Conv2d. */
export class Conv2D extends Layer {
  readonly kind = 'Conv2D';
  weight: Tensor | null = null;
  bias: Tensor | null = null;
  /** Keras's kernel_regularizer=l2(λ) on this layer alone; null: the run's --l2, if any */
  l2: number | null = null;

  constructor(
    readonly filters: number,
    readonly kernelSize = 3,
    readonly padding: Padding = 'valid',
    readonly stride = 1,
    readonly activation: Activation | null = null,
    readonly useBias = true,
    readonly init: Initializer = 'glorot',
  ) {
    super();
  }

  build(inputShape: Shape, rng: Rng): Shape {
    if (inputShape.length !== 3) throw new Error(`${this.name}: Conv2D expects [channels, height, width], got [${inputShape.join(', ')}]`);
    const [c, h, w] = inputShape;
    const k = this.kernelSize;
    const { weight, bias } = kernelAndBias(this.init, [this.filters, c, k, k], c * k * k, this.filters * k * k, this.useBias, rng);
    this.weight = keep(weight);
    this.bias = bias && keep(bias);
    return [this.filters, convGeometry(h, k, this.stride, this.padding).out, convGeometry(w, k, this.stride, this.padding).out];
  }

  forward(x: Tensor, _ctx: ForwardContext): Tensor {
    // An activation whose gradient follows from its output runs in the product's own pass.
    const fused = canFuse(this.activation) ? this.activation : undefined;
    const y = conv2d(x, this.weight!, { stride: this.stride, padding: this.padding, bias: this.bias ?? undefined, activation: fused });
    return this.activation && !fused ? unary(this.activation, y) : y;
  }

  override parameters(): Parameter[] {
    return weightAndBias(this.weight, this.bias, this.l2);
  }

  config(): LayerConfig {
    return { type: 'conv2d', filters: this.filters, kernelSize: this.kernelSize, padding: this.padding, stride: this.stride, activation: this.activation, useBias: this.useBias, ...(this.l2 !== null ? { l2: this.l2 } : {}), ...(this.init === 'glorot' ? {} : { init: this.init }) };
  }
}
