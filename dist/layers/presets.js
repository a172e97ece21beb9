/** The seed notebooks' models. */
import { BatchNorm } from "./batchnorm.js";
import { Conv2D } from "./conv2d.js";
import { Dense } from "./dense.js";
import { ResidualBlock } from "./residual.js";
import { Sequential } from "./sequential.js";
import { ActivationLayer, Dropout, Flatten, Pool2D } from "./simple.js";
export const presetNames = ['mlp', 'cnn', 'cnn-tuned', 'resnet'];
/** Conv → [BN] → act, twice, then pool, dropout and the dense head: the seed CNN's shape. */
function cnn(filters1, filters2, units, o) {
    const act = o.activation ?? 'relu';
    const bn = o.batchNorm ?? true;
    const block = (filters) => bn ? [new Conv2D(filters, 3), new BatchNorm(), new ActivationLayer(act)] : [new Conv2D(filters, 3, 'valid', 1, act)];
    return [
        ...block(filters1),
        ...block(filters2),
        new Pool2D('max', 2),
        new Dropout(o.dropout ?? 0.25),
        new Flatten(),
        new Dense(units, act),
        new Dropout(o.dropout ?? 0.5),
        new Dense(10),
    ];
}
function resnet(o) {
    const act = o.activation ?? 'relu';
    const stage = (filters) => [
        new Conv2D(filters, 3, 'same'),
        new BatchNorm(),
        new ActivationLayer(act),
        new ResidualBlock(filters),
        new Pool2D('max', 2),
        new Dropout(o.dropout ?? 0.25),
    ];
    return [
        ...stage(64),
        ...stage(128),
        new Flatten(),
        new Dense(256),
        new BatchNorm(),
        new ActivationLayer(act),
        new Dropout(o.dropout ?? 0.5),
        new Dense(10),
    ];
}
export function preset(name, o = {}) {
    switch (name) {
        case 'mlp': {
            const layers = [new Flatten(), new Dense(128, o.activation ?? 'relu')];
            if (o.dropout)
                layers.push(new Dropout(o.dropout));
            return new Sequential([...layers, new Dense(10)], o.inputShape);
        }
        case 'cnn': return new Sequential(cnn(32, 64, 128, o), o.inputShape);
        case 'cnn-tuned': return new Sequential(cnn(128, 192, 256, o), o.inputShape);
        case 'resnet': return new Sequential(resnet(o), o.inputShape);
        default:
            throw new Error(`unknown model "${name}": expected one of ${presetNames.join(', ')}`);
    }
}
