import type { Activation } from '../kernels/elementwise.ts';
import type { Shape, Tensor } from '../tensor/tensor.ts';
import type { Rng } from '../kernels/random.ts';

/** A named tensor a layer owns. Non-trainable ones (batch-norm running statistics) are state. */
export interface Parameter {
  /** PyTorch-style name within the layer: weight, bias, running_mean, running_var */
  readonly name: string;
  readonly tensor: Tensor;
  readonly trainable: boolean;
  /** receives the L2 penalty (Dense and Conv kernels; never biases or batch-norm parameters) */
  readonly regularized: boolean;
  /** this parameter's own L2 λ (a layer's kernel_regularizer); without it, the run-wide --l2 applies */
  readonly l2?: number;
}

export interface ForwardContext {
  readonly training: boolean;
  /** distinguishes dropout masks: a fresh stream per step and per layer */
  readonly step: number;
}

/** The JSON a layer saves in config.json and is rebuilt from. */
export type LayerConfig = { readonly type: string } & Readonly<Record<string, string | number | boolean | null | LayerConfig[]>>;

export abstract class Layer {
  /** Set when the layer is added to a model, unique there (dense, dense_1, …). */
  name = '';

  /** Creates the parameters for inputs of `inputShape` (without the batch axis); returns the output shape. */
  abstract build(inputShape: Shape, rng: Rng): Shape;
  abstract forward(x: Tensor, ctx: ForwardContext): Tensor;
  abstract config(): LayerConfig;

  /** Keras's class name, for summaries. */
  abstract readonly kind: string;

  parameters(): Parameter[] {
    return [];
  }

  /**
   * `forward` followed by `activation` in one pass, where the layer can fuse it (src/kernels/
   * activation.ts); null where it cannot, and the container runs the activation layer itself.
   */
  forwardWithActivation(_x: Tensor, _ctx: ForwardContext, _activation: Activation): Tensor | null {
    return null;
  }

  /** Layers nested inside this one (a residual block's convolutions), named relative to it. */
  children(): Layer[] {
    return [];
  }
}

/** A kernel layer's parameters: the weight takes the L2 penalty, the optional bias does not. */
export function weightAndBias(weight: Tensor | null, bias: Tensor | null, l2: number | null = null): Parameter[] {
  if (!weight) throw new Error('parameters(): build() the layer first');
  const ps: Parameter[] = [{ name: 'weight', tensor: weight, trainable: true, regularized: true, ...(l2 !== null ? { l2 } : {}) }];
  if (bias) ps.push({ name: 'bias', tensor: bias, trainable: true, regularized: false });
  return ps;
}
