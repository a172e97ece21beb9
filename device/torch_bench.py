"""The device kit's PyTorch column: run.sh's workloads in PyTorch on the GPU, one JSON line.

    python3 torch_bench.py [--quick]        (from the kit's folder: it reads data/mnist)

matmul 1024³ and 4096³ in float32 with TF32 off (cuBLAS's exact-float32 path, what WGSL's f32
matches), the seed CNN's second convolution (64×32×26×26 → 64, 3×3, valid) forward and both
gradients, a seed-CNN training step at batch 64 (Adam), and the one-epoch `fast` recipe (Adam 1e-2
β (0.7, 0.9), OneCycleLR, batch 256, file order) with its wall time and test accuracy, run twice as
the kit runs its own (the second run is the figure). Each time is the median of samples that end
in torch.cuda.synchronize(), after a warm-up.
"""
import gzip
import json
import os
import struct
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

QUICK = '--quick' in sys.argv[1:] or os.environ.get('WGNN_KIT_QUICK') == '1'
HERE = os.path.dirname(os.path.abspath(__file__))
torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
dev = torch.device('cuda' if torch.cuda.is_available() else 'cpu')


def sync():
    if dev.type == 'cuda':
        torch.cuda.synchronize()


def median_ms(run, reps, samples):
    run()
    sync()
    times = []
    for _ in range(samples):
        t0 = time.perf_counter()
        for _ in range(reps):
            run()
        sync()
        times.append((time.perf_counter() - t0) / reps * 1e3)
    return sorted(times)[len(times) // 2]


def rate(label, flops, ms):
    return {'label': label, 'unit': 'GFLOP/s', 'rate': flops / (ms / 1e3) / 1e9, 'ms': ms}


def matmul(s):
    a, b = torch.rand(s, s, device=dev), torch.rand(s, s, device=dev)
    return rate(f'matmul {s}×{s} · {s}×{s}', 2 * s ** 3, median_ms(lambda: torch.mm(a, b), 1 if QUICK else (3 if s >= 4096 else 10), 1 if QUICK else 5))


def convs():
    n, c, h, w, k, kh, oh = 64, 32, 26, 26, 64, 3, 24
    x = torch.rand(n, c, h, w, device=dev)
    wt = torch.rand(k, c, kh, kh, device=dev)
    dy = torch.rand(n, k, oh, oh, device=dev)
    flops = 2 * n * k * c * kh * kh * oh * oh
    reps, samples = (1, 1) if QUICK else (10, 5)
    return {
        'conv2d-fwd': rate('conv2d 64×26×26×32 → 64 3×3', flops, median_ms(lambda: F.conv2d(x, wt), reps, samples)),
        'conv2d-dx': rate('conv2d input-gradient, same', flops, median_ms(lambda: torch.nn.grad.conv2d_input(x.shape, wt, dy), reps, samples)),
        'conv2d-dw': rate('conv2d weight-gradient, same', flops, median_ms(lambda: torch.nn.grad.conv2d_weight(x, wt.shape, dy), reps, samples)),
    }


def seed_cnn():
    # Keras's BatchNormalization(momentum=0.9) is torch's momentum 0.1, eps 1e-3.
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.BatchNorm2d(32, eps=1e-3, momentum=0.1), nn.ReLU(),
        nn.Conv2d(32, 64, 3), nn.BatchNorm2d(64, eps=1e-3, momentum=0.1), nn.ReLU(),
        nn.MaxPool2d(2), nn.Dropout(0.25), nn.Flatten(),
        nn.Linear(9216, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10))


def fast_model():
    return nn.Sequential(
        nn.Conv2d(1, 24, 5), nn.MaxPool2d(2), nn.ReLU(),
        nn.Conv2d(24, 32, 3), nn.MaxPool2d(2), nn.ReLU(),
        nn.Flatten(), nn.Linear(800, 256), nn.ReLU(), nn.Linear(256, 10))


def training():
    batch = 64
    net = seed_cnn().to(dev).train()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    x = torch.rand(batch, 1, 28, 28, device=dev)
    y = torch.randint(0, 10, (batch,), device=dev)

    def step():
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(net(x), y).backward()
        opt.step()
    ms = median_ms(step, 1 if QUICK else 5, 1 if QUICK else 5)
    return {'model': 'cnn', 'batch': batch, 'imagesPerSecond': batch / (ms / 1e3), 'msPerStep': ms}


def read_idx(name):
    path = os.path.join(HERE, 'data', 'mnist', name)
    with (gzip.open(path + '.gz', 'rb') if os.path.exists(path + '.gz') else open(path, 'rb')) as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack('>' + 'I' * dims, data[4:4 + 4 * dims])
    return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


def recipe():
    started = time.perf_counter()
    torch.manual_seed(0)
    norm = lambda t: ((t.float() / 255 - 0.1307) / 0.3081).to(dev)
    images = 512 if QUICK else 60000
    x_train = norm(read_idx('train-images-idx3-ubyte')[:images]).unsqueeze(1)
    y_train = read_idx('train-labels-idx1-ubyte')[:images].long().to(dev)
    x_test = norm(read_idx('t10k-images-idx3-ubyte')).unsqueeze(1)
    y_test = read_idx('t10k-labels-idx1-ubyte').long().to(dev)
    net = fast_model().to(dev)
    batch = 256
    steps = (len(x_train) + batch - 1) // batch
    opt = torch.optim.Adam(net.parameters(), lr=1e-2, betas=(0.7, 0.9))
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1e-2, total_steps=steps, cycle_momentum=False)
    sync()
    t0 = time.perf_counter()
    net.train()
    for i in range(steps):
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(net(x_train[i * batch:(i + 1) * batch]), y_train[i * batch:(i + 1) * batch]).backward()
        opt.step()
        sched.step()
    sync()
    train_seconds = time.perf_counter() - t0
    net.eval()
    with torch.no_grad():
        correct = sum(int((net(x_test[i:i + 1000]).argmax(1) == y_test[i:i + 1000]).sum()) for i in range(0, len(x_test), 1000))
    return {'preset': 'fast', 'batch': batch, 'epochs': 1, 'images': images, 'wallSeconds': time.perf_counter() - started,
            'trainSeconds': train_seconds, 'testAccuracy': correct / len(x_test)}


if __name__ == '__main__':
    started = time.perf_counter()
    kernels = {}
    for s in ([64, 96] if QUICK else [1024, 4096]):
        kernels[f'matmul-{s}'] = matmul(s)
    kernels.update(convs())
    print(json.dumps({
        'date': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()),
        'quick': QUICK,
        'torch': torch.__version__,
        'device': torch.cuda.get_device_name(0) if dev.type == 'cuda' else 'cpu (no CUDA device)',
        'tf32': False,
        'kernels': kernels,
        'training': training(),
        # as the kit's side: a first run (cuDNN picks its algorithms), then the figure
        'recipeFirstRun': recipe(),
        'recipe': recipe(),
        'totalSeconds': time.perf_counter() - started,
    }))
