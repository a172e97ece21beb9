export class Layer {
    /** Set when the layer is added to a model, unique there (dense, dense_1, …). */
    name = '';
    parameters() {
        return [];
    }
    /** Layers nested inside this one (a residual block's convolutions), named relative to it. */
    children() {
        return [];
    }
}
/** A kernel layer's parameters: the weight takes the L2 penalty, the optional bias does not. */
export function weightAndBias(weight, bias) {
    if (!weight)
        throw new Error('parameters(): build() the layer first');
    const ps = [{ name: 'weight', tensor: weight, trainable: true, regularized: true }];
    if (bias)
        ps.push({ name: 'bias', tensor: bias, trainable: true, regularized: false });
    return ps;
}
