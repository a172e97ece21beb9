import { isGradEnabled, noGrad } from './context.ts';
import { sameShape, Tensor, type GradNode } from './tensor.ts';

/** Attaches a gradient rule to `out` when gradients are on and some input needs one. */
export function record(out: Tensor, op: string, inputs: readonly Tensor[], backward: GradNode['backward']): Tensor {
  if (isGradEnabled() && inputs.some((t) => t.requiresGrad)) {
    out.requiresGrad = true;
    out.node = { op, inputs, backward };
  }
  return out;
}

/**
 * Iterative depth-first topological order from `root` (ResNet graphs are deep enough to blow a
 * recursive walk's stack).
 */
function topoOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>([root]);
  const stack: Array<[Tensor, number]> = [[root, 0]];
  while (stack.length) {
    const top = stack[stack.length - 1];
    const [t, next] = top;
    const inputs = t.node?.inputs ?? [];
    if (next < inputs.length) {
      top[1]++;
      const child = inputs[next];
      if (child.requiresGrad && !seen.has(child)) {
        seen.add(child);
        stack.push([child, 0]);
      }
    } else {
      order.push(t);
      stack.pop();
    }
  }
  return order.reverse();
}

/**
 * Back-propagates from a scalar (or from `seed`, the gradient of `root`), accumulating into the
 * `.grad` of every tensor that requires one. Intermediate gradients are freed as soon as their
 * node has run; leaves (parameters) keep theirs.
 */
export function backward(root: Tensor, seed?: Tensor): void {
  if (!root.requiresGrad) throw new Error('backward(): the tensor does not depend on anything that requires a gradient');
  if (!seed && root.size !== 1) throw new Error(`backward(): root has shape [${root.shape.join(', ')}]; pass its gradient or reduce it to a scalar`);
  noGrad(() => {
    root.grad = accumulate(root.grad, seed ? copy(seed) : Tensor.from(new Array<number>(root.size).fill(1), root.shape, root.backend));
    // A rule may pass its incoming gradient straight through (add, reshape) or hand one tensor to
    // two inputs; such a tensor is copied before it becomes somebody's accumulator.
    const owned = new Set<Tensor>();
    for (const t of topoOrder(root)) {
      const node = t.node;
      if (!node || !t.grad) continue;
      owned.add(t.grad);
      const grads = node.backward(t.grad);
      node.inputs.forEach((input, i) => {
        let g = grads[i];
        if (!g || !input.requiresGrad) return;
        if (owned.has(g)) g = copy(g);
        owned.add(g);
        input.grad = accumulate(input.grad, g);
      });
      if (t !== root) {
        t.grad.dispose();
        t.grad = null;
      }
    }
  });
}

function accumulate(existing: Tensor | null, g: Tensor): Tensor {
  if (!existing) return g;
  if (!sameShape(existing.shape, g.shape) || existing.backend !== g.backend) {
    throw new Error(`backward(): a gradient of shape [${g.shape.join(', ')}] on ${g.backend.name} cannot add into [${existing.shape.join(', ')}] on ${existing.backend.name}`);
  }
  existing.backend.accumulate(existing.storage, g.storage);
  g.dispose();
  return existing;
}

function copy(t: Tensor): Tensor {
  const c = Tensor.empty(t.shape, t.backend);
  t.backend.copy(t.storage, c.storage);
  return c;
}
