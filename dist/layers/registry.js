/** Rebuilds layers from the JSON they save, and checks that JSON field by field. */
import { activations } from "../kernels/elementwise.js";
import { BatchNorm } from "./batchnorm.js";
import { Conv2D } from "./conv2d.js";
import { Dense } from "./dense.js";
import { ResidualBlock } from "./residual.js";
import { ActivationLayer, Dropout, Flatten, Pool2D } from "./simple.js";
class ConfigReader {
    cfg;
    where;
    constructor(cfg, where) {
        this.cfg = cfg;
        this.where = where;
    }
    number(field, fallback) {
        const v = this.cfg[field] ?? fallback;
        if (typeof v !== 'number' || !Number.isFinite(v))
            throw new Error(`${this.where}: field "${field}" must be a number, got ${JSON.stringify(v)}`);
        return v;
    }
    int(field, fallback) {
        const v = this.number(field, fallback);
        if (!Number.isInteger(v) || v <= 0)
            throw new Error(`${this.where}: field "${field}" must be a positive integer, got ${v}`);
        return v;
    }
    bool(field, fallback) {
        const v = this.cfg[field] ?? fallback;
        if (typeof v !== 'boolean')
            throw new Error(`${this.where}: field "${field}" must be true or false, got ${JSON.stringify(v)}`);
        return v;
    }
    activation(field) {
        const v = this.cfg[field] ?? null;
        if (v === null)
            return null;
        if (!activations.includes(v))
            throw new Error(`${this.where}: field "${field}" must be one of ${activations.join(', ')} or null, got ${JSON.stringify(v)}`);
        return v;
    }
    oneOf(field, options, fallback) {
        const v = this.cfg[field] ?? fallback;
        if (!options.includes(v))
            throw new Error(`${this.where}: field "${field}" must be one of ${options.join(', ')}, got ${JSON.stringify(v)}`);
        return v;
    }
}
export function layerFromConfig(cfg, where) {
    if (!cfg || typeof cfg !== 'object')
        throw new Error(`${where}: expected a layer object, got ${JSON.stringify(cfg)}`);
    const r = new ConfigReader(cfg, where);
    const type = cfg.type;
    switch (type) {
        case 'dense': return new Dense(r.int('units'), r.activation('activation'), r.bool('useBias', true));
        case 'conv2d':
            return new Conv2D(r.int('filters'), r.int('kernelSize', 3), r.oneOf('padding', ['valid', 'same'], 'valid'), r.int('stride', 1), r.activation('activation'), r.bool('useBias', true));
        case 'batchnorm': return new BatchNorm(r.number('momentum', 0.99), r.number('eps', 1e-3));
        case 'flatten': return new Flatten();
        case 'activation': {
            const act = r.activation('activation');
            if (!act)
                throw new Error(`${where}: an activation layer needs "activation"`);
            return new ActivationLayer(act);
        }
        case 'maxpool2d': return new Pool2D('max', r.int('size', 2));
        case 'avgpool2d': return new Pool2D('avg', r.int('size', 2));
        case 'dropout': {
            const rate = r.number('rate');
            if (rate < 0 || rate >= 1)
                throw new Error(`${where}: field "rate" must be in [0, 1), got ${rate}`);
            return new Dropout(rate);
        }
        case 'residual': return new ResidualBlock(r.int('filters'));
        default:
            throw new Error(`${where}: unknown layer type ${JSON.stringify(type)} (expected dense, conv2d, batchnorm, flatten, activation, maxpool2d, avgpool2d, dropout or residual)`);
    }
}
