"""The bench's PyTorch column: the same workloads as bench/workloads.ts and bench/training.ts,
in PyTorch on 2 threads, and the one-epoch MNIST recipe that the `fast` preset reproduces.

    python3 bench/torch_bench.py kernels '<json list of {key, kind, args}>' [--quick]
    python3 bench/torch_bench.py recipe <mnist dir> [seed]

`kernels` prints one JSON object {key: milliseconds per run (median)}; `recipe` prints
{"trainSeconds", "testAccuracy"}. The caller times the recipe's wall clock from the process start.
"""
import gzip
import json
import os
import struct
import sys
import time
import timeit

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(2)


def matmul(m, k, n):
    a, b = torch.rand(m, k), torch.rand(k, n)
    return lambda: torch.mm(a, b)


def conv_tensors(a):
    x = torch.rand(a['n'], a['c'], a['h'], a['w'])
    w = torch.rand(a['k'], a['c'], a['kh'], a['kw'])
    dy = torch.rand(a['n'], a['k'], a['oh'], a['ow'])
    return x, w, dy


def conv(kind, a):
    x, w, dy = conv_tensors(a)
    s, p = a['stride'], a['padTop']
    if kind == 'conv-fwd':
        return lambda: F.conv2d(x, w, stride=s, padding=p)
    if kind == 'conv-dx':
        return lambda: torch.nn.grad.conv2d_input(x.shape, w, dy, stride=s, padding=p)
    return lambda: torch.nn.grad.conv2d_weight(x, w.shape, dy, stride=s, padding=p)


def model(name):
    if name == 'mlp':
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    if name == 'cnn':
        # Keras's BatchNormalization(momentum=0.9) is torch's momentum 0.1, eps 1e-3.
        return nn.Sequential(
            nn.Conv2d(1, 32, 3), nn.BatchNorm2d(32, eps=1e-3, momentum=0.1), nn.ReLU(),
            nn.Conv2d(32, 64, 3), nn.BatchNorm2d(64, eps=1e-3, momentum=0.1), nn.ReLU(),
            nn.MaxPool2d(2), nn.Dropout(0.25), nn.Flatten(),
            nn.Linear(9216, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10))
    if name == 'fast':
        return fast_model()
    if name == 'cifar-cnn':
        def conv(cin, cout):
            return [nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout, eps=1e-3, momentum=0.1), nn.ReLU()]
        return nn.Sequential(
            *conv(3, 32), *conv(32, 32), nn.MaxPool2d(2), nn.Dropout(0.25),
            *conv(32, 64), *conv(64, 64), nn.MaxPool2d(2), nn.Dropout(0.25),
            nn.Flatten(), nn.Linear(4096, 256), nn.ReLU(), nn.Dropout(0.5), nn.Linear(256, 10))
    raise ValueError(f'no torch model "{name}"')


def fast_model():
    return nn.Sequential(
        nn.Conv2d(1, 24, 5), nn.MaxPool2d(2), nn.ReLU(),
        nn.Conv2d(24, 32, 3), nn.MaxPool2d(2), nn.ReLU(),
        nn.Flatten(), nn.Linear(800, 256), nn.ReLU(), nn.Linear(256, 10))


class SpokenDigits(nn.Module):
    """wgnn's lstm preset: LSTM(64, all steps) → LSTM(64, last step) → Linear(10)."""

    def __init__(self, features, units=64):
        super().__init__()
        self.first = nn.LSTM(features, units, batch_first=True)
        self.second = nn.LSTM(units, units, batch_first=True)
        self.out = nn.Linear(units, 10)

    def forward(self, x):
        h, _ = self.first(x)
        h, _ = self.second(h)
        return self.out(h[:, -1])


def train_step(a):
    net = SpokenDigits(a['features']) if a['model'] == 'lstm' else model(a['model'])
    net.train()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    if a['model'] == 'lstm':
        x = torch.rand(a['batch'], a['steps'], a['features'])
    else:
        x = torch.rand(a['batch'], *[int(d) for d in a.get('shape', '1x28x28').split('x')])
    y = torch.randint(0, 10, (a['batch'],))

    def run():
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(net(x), y).backward()
        opt.step()
    return run


def prepare(item):
    kind, a = item['kind'], item['args']
    if kind == 'matmul':
        return matmul(a['m'], a['k'], a['n'])
    if kind.startswith('conv-'):
        return conv(kind, a)
    if kind == 'train':
        return train_step(a)
    raise ValueError(f'unknown workload kind "{kind}"')


def kernels(items, quick):
    out = {}
    for item in items:
        run = prepare(item)
        run()
        t = timeit.Timer(run)
        n, _ = t.autorange()
        reps = [t.timeit(n) / n for _ in range(3 if quick else 7)]
        out[item['key']] = sorted(reps)[len(reps) // 2] * 1e3
    print(json.dumps(out))


def read_idx(path):
    # MNIST ships gzipped in data/mnist; a directory of plain files works too.
    if not os.path.exists(path):
        path += '.gz'
    with (gzip.open if path.endswith('.gz') else open)(path, 'rb') as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack('>' + 'I' * dims, data[4:4 + 4 * dims])
    return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


def recipe(data_dir, seed):
    """The public one-epoch recipe: Adam 1e-2 β (0.7, 0.9), OneCycleLR, batch 256, file order."""
    torch.manual_seed(seed)
    norm = lambda x: (x.float() / 255 - 0.1307) / 0.3081
    x_train = norm(read_idx(os.path.join(data_dir, 'train-images-idx3-ubyte'))).unsqueeze(1)
    y_train = read_idx(os.path.join(data_dir, 'train-labels-idx1-ubyte')).long()
    x_test = norm(read_idx(os.path.join(data_dir, 't10k-images-idx3-ubyte'))).unsqueeze(1)
    y_test = read_idx(os.path.join(data_dir, 't10k-labels-idx1-ubyte')).long()
    net = fast_model()
    batch = 256
    steps = (len(x_train) + batch - 1) // batch
    opt = torch.optim.Adam(net.parameters(), lr=1e-2, betas=(0.7, 0.9))
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1e-2, total_steps=steps, cycle_momentum=False)
    started = time.perf_counter()
    net.train()
    for i in range(steps):
        xb, yb = x_train[i * batch:(i + 1) * batch], y_train[i * batch:(i + 1) * batch]
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(net(xb), yb).backward()
        opt.step()
        sched.step()
    train_seconds = time.perf_counter() - started
    net.eval()
    with torch.no_grad():
        correct = sum(int((net(x_test[i:i + 1000]).argmax(1) == y_test[i:i + 1000]).sum()) for i in range(0, len(x_test), 1000))
    print(json.dumps({'trainSeconds': train_seconds, 'testAccuracy': correct / len(x_test)}))


if __name__ == '__main__':
    if sys.argv[1] == 'kernels':
        kernels(json.loads(sys.argv[2]), '--quick' in sys.argv[3:])
    elif sys.argv[1] == 'recipe':
        recipe(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 0)
    else:
        raise SystemExit(f'unknown command {sys.argv[1]}')
