import { conv2d, convGeometry, type Padding } from '../kernels/conv2d.ts';
import { unary, type Activation } from '../kernels/elementwise.ts';
import { canFuse } from '../kernels/activation.ts';
import type { Rng } from '../kernels/random.ts';
import { keep } from '../tensor/context.ts';
import type { Shape, Tensor } from '../tensor/tensor.ts';
import { filled, glorotUniform } from './init.ts';
import { Layer, weightAndBias, type ForwardContext, type LayerConfig, type Parameter } from './layer.ts';

/** A square-kernel convolution over [c, h, w] inputs; weights [filters, c, k, k] as torch.nn.Conv2d. */
export class Conv2D extends Layer {
  readonly kind = 'Conv2D';
  weight: Tensor | null = null;
  bias: Tensor | null = null;

  constructor(
    readonly filters: number,
    readonly kernelSize = 3,
    readonly padding: Padding = 'valid',
    readonly stride = 1,
    readonly activation: Activation | null = null,
    readonly useBias = true,
  ) {
    super();
  }

  build(inputShape: Shape, rng: Rng): Shape {
    if (inputShape.length !== 3) throw new Error(`${this.name}: Conv2D expects [channels, height, width], got [${inputShape.join(', ')}]`);
    const [c, h, w] = inputShape;
    const k = this.kernelSize;
    this.weight = keep(glorotUniform([this.filters, c, k, k], c * k * k, this.filters * k * k, rng));
    this.bias = this.useBias ? keep(filled([this.filters], 0)) : null;
    return [this.filters, convGeometry(h, k, this.stride, this.padding).out, convGeometry(w, k, this.stride, this.padding).out];
  }

  forward(x: Tensor, _ctx: ForwardContext): Tensor {
    // An activation whose gradient follows from its output runs in the product's own pass.
    const fused = canFuse(this.activation) ? this.activation : undefined;
    const y = conv2d(x, this.weight!, { stride: this.stride, padding: this.padding, bias: this.bias ?? undefined, activation: fused });
    return this.activation && !fused ? unary(this.activation, y) : y;
  }

  override parameters(): Parameter[] {
    return weightAndBias(this.weight, this.bias);
  }

  config(): LayerConfig {
    return { type: 'conv2d', filters: this.filters, kernelSize: this.kernelSize, padding: this.padding, stride: this.stride, activation: this.activation, useBias: this.useBias };
  }
}
