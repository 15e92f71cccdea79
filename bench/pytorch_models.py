"""PyTorch peer of bench/SparsityKit.ModelBench: the speed table's models in PyTorch eager, the same work.

Models (all on MNIST's 1x28x28 images, as SparsityKit's BenchModels builds them): lenet5 (Caffe LeNet-5: conv 5x5 20,
pool, conv 5x5 50, pool, fc 800-500, ReLU, fc 500-10), resnet20 (He et al.'s CIFAR ResNet-20, 1x1 projection shortcuts
on the subsampled input, batch norm), conv4 (Frankle and Carbin's Conv-4: 64, 64, pool, 128, 128, pool, fc 256, 256,
10), mlp1200 (784-1200-1200-10, ReLUs), vit-small (the zoo's VisionTransformer: 4x4 patches by a strided
convolution, class token, learned positions, 6 pre-norm encoder layers of width 128 with 4 heads, separate q/k/v/out
projections and a GELU MLP of 256, final layer norm, linear head; op for op as SparsityKit computes it). Adam 1.2e-3, batches drawn by index from a random permutation.

Modes, as ModelBench's: train (a dense and a masked model, random mask of --sparsity on every weight of two or more
dimensions re-applied after each step, advanced in lockstep in alternating blocks, the first block untimed), profile
(microseconds per phase: data, forward, backward, optimizer with the mask), check (float32 forward and backward against
float64 under each convolution backend). --mkldnn 0 turns oneDNN off (torch.backends.mkldnn.enabled = False).
--turns IN OUT (train): before each block wait for a byte on the FIFO IN, after it write one to OUT, so that this process
and ModelBench (given the same FIFOs crossed) take turns block by block: ratios of runs interleaved this finely do not
move with the machine's speed drifting between runs (bench/models.sh does this).

Run through bench/peer.sh's environment (a private PyTorch 1.13 in /opt/peer-torch), e.g.
  bash bench/peer.sh --script bench/pytorch_models.py --data data/mnist --model lenet5 --threads 1
"""
import argparse, os, time

p = argparse.ArgumentParser()
p.add_argument("mode", nargs="?", default="train", choices=["train", "profile", "check"])
p.add_argument("--data", required=True)
p.add_argument("--model", default="lenet5", choices=["lenet5", "resnet20", "conv4", "mlp1200", "vit-small"])
p.add_argument("--threads", type=int, default=1)
p.add_argument("--steps", type=int, default=200)
p.add_argument("--batch", type=int, default=60)
p.add_argument("--sparsity", type=float, default=0.9)
p.add_argument("--mkldnn", type=int, default=1)
p.add_argument("--block", type=int, default=10)
p.add_argument("--channels-last", type=int, default=0, help="1: 4-D weights and images in channels-last (NHWC) memory")
p.add_argument("--turns", nargs=2, metavar=("IN", "OUT"))
a = p.parse_args()
# torch.set_num_threads does not reach Debian's pthread OpenBLAS: set these before numpy and torch load.
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(a.threads)
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(a.threads)
torch.backends.mkldnn.enabled = bool(a.mkldnn)
backend = "onednn" if a.mkldnn else "native"


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1, self.conv2 = nn.Conv2d(1, 20, 5), nn.Conv2d(20, 50, 5)
        self.fc1, self.fc2 = nn.Linear(800, 500), nn.Linear(500, 10)

    def forward(self, x):
        x = F.max_pool2d(self.conv1(x), 2)
        x = F.max_pool2d(self.conv2(x), 2)
        return self.fc2(F.relu(self.fc1(x.flatten(1))))


class Conv4(nn.Module):
    def __init__(self):
        super().__init__()
        self.convs = nn.ModuleList([nn.Conv2d(1, 64, 3, padding=1), nn.Conv2d(64, 64, 3, padding=1),
                                    nn.Conv2d(64, 128, 3, padding=1), nn.Conv2d(128, 128, 3, padding=1)])
        self.fc1, self.fc2, self.fc3 = nn.Linear(128 * 7 * 7, 256), nn.Linear(256, 256), nn.Linear(256, 10)

    def forward(self, x):
        for i in range(0, 4, 2):
            x = F.relu(self.convs[i](x))
            x = F.max_pool2d(F.relu(self.convs[i + 1](x)), 2)
        x = F.relu(self.fc1(x.flatten(1)))
        return self.fc3(F.relu(self.fc2(x)))


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout)
        self.conv2, self.bn2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout)
        self.stride = stride
        self.downsample = (nn.Sequential(nn.Conv2d(cin, cout, 1, 1, 0, bias=False), nn.BatchNorm2d(cout))
                           if stride != 1 or cin != cout else None)

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        s = x if self.downsample is None else self.downsample(x[:, :, ::self.stride, ::self.stride])
        return F.relu(y + s)


class ResNet20(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv, self.bn = nn.Conv2d(1, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16)
        stage = lambda cin, cout, stride: nn.Sequential(*[Block(cin if b == 0 else cout, cout, stride if b == 0 else 1) for b in range(3)])
        self.layer1, self.layer2, self.layer3 = stage(16, 16, 1), stage(16, 32, 2), stage(32, 64, 2)
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        x = F.relu(self.bn(self.conv(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


class Attention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.q_proj, self.k_proj, self.v_proj, self.out_proj = (nn.Linear(d, d) for _ in range(4))

    def forward(self, x):
        b, t, d = x.shape
        split = lambda z: z.view(b, t, self.heads, d // self.heads).transpose(1, 2)
        q, k, v = split(self.q_proj(x)), split(self.k_proj(x)), split(self.v_proj(x))
        weights = F.softmax(q.matmul(k.transpose(-2, -1)).div((d // self.heads) ** 0.5), -1)
        return self.out_proj(weights.matmul(v).transpose(1, 2).reshape(b, t, d))


class EncoderLayer(nn.Module):
    def __init__(self, d, heads, mlp):
        super().__init__()
        self.norm1, self.self_attn, self.norm2 = nn.LayerNorm(d), Attention(d, heads), nn.LayerNorm(d)
        self.fc1, self.fc2 = nn.Linear(d, mlp), nn.Linear(mlp, d)

    def forward(self, x):
        x = x + self.self_attn(self.norm1(x))
        return x + self.fc2(F.gelu(self.fc1(self.norm2(x))))


class VitSmall(nn.Module):
    def __init__(self, d=128, depth=6, heads=4, mlp=256, patch=4, image=28):
        super().__init__()
        self.patch_embed = nn.Conv2d(1, d, patch, stride=patch)
        self.cls_token = nn.Parameter(torch.randn(1, 1, d) * 0.02)
        self.pos_embed = nn.Parameter(torch.randn(1, (image // patch) ** 2 + 1, d) * 0.02)
        self.layers = nn.ModuleList([EncoderLayer(d, heads, mlp) for _ in range(depth)])
        self.norm, self.head = nn.LayerNorm(d), nn.Linear(d, 10)

    def forward(self, images):
        x = self.patch_embed(images).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], 1) + self.pos_embed
        for layer in self.layers:
            x = layer(x)
        return self.head(self.norm(x)[:, 0])


def mlp1200():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 1200), nn.ReLU(), nn.Linear(1200, 1200), nn.ReLU(), nn.Linear(1200, 10))


def create(seed=0):
    torch.manual_seed(seed)
    model = {"lenet5": LeNet5, "conv4": Conv4, "resnet20": ResNet20, "mlp1200": mlp1200, "vit-small": VitSmall}[a.model]()
    return model.to(memory_format=torch.channels_last) if a.channels_last else model


def idx(name, offset):
    return np.fromfile(f"{a.data}/{name}", dtype=np.uint8, offset=offset)


x = torch.tensor(idx("train-images-idx3-ubyte", 16).reshape(-1, 1, 28, 28), dtype=torch.float32) / 255.0
y = torch.tensor(idx("train-labels-idx1-ubyte", 8), dtype=torch.long)
n = x.shape[0]


class Run:
    """One training run: model, Adam, optional fixed random mask, its own batch order."""

    def __init__(self, sparsity, seed):
        self.model = create()
        self.model.train()
        self.opt = torch.optim.Adam(self.model.parameters(), lr=1.2e-3)
        torch.manual_seed(seed)
        # Every convolution and linear weight (not the ViT's class token and positions, as SparsityKit's prunable set).
        self.masks = [(w, (torch.rand_like(w) >= sparsity).float())
                      for name, w in self.model.named_parameters() if name.endswith("weight") and w.dim() > 1] if sparsity > 0 else []
        with torch.no_grad():
            for w, m in self.masks:
                w.mul_(m)
        self.perm, self.offset = torch.randperm(n), 0

    def batch(self):
        if self.offset + a.batch > n:
            self.perm, self.offset = torch.randperm(n), 0
        i = self.perm[self.offset:self.offset + a.batch]
        self.offset += a.batch
        images = x[i]
        return (images.contiguous(memory_format=torch.channels_last) if a.channels_last else images), y[i]

    def step(self, clock=None):
        t0 = time.perf_counter()
        images, labels = self.batch()
        t1 = time.perf_counter()
        loss = F.cross_entropy(self.model(images), labels)
        t2 = time.perf_counter()
        self.opt.zero_grad()
        loss.backward()
        t3 = time.perf_counter()
        self.opt.step()
        if self.masks:
            with torch.no_grad():
                for w, m in self.masks:
                    w.mul_(m)
        t4 = time.perf_counter()
        if clock is not None:
            for k, d in enumerate((t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
                clock[k] += d
        return loss


head = f"pytorch {torch.__version__} model={a.model} threads={torch.get_num_threads()} backend={backend}{' channels_last' if a.channels_last else ''} batch={a.batch}"
if a.mode == "train":
    runs = [Run(0, 1)] + ([Run(a.sparsity, 2)] if a.sparsity > 0 else [])
    seconds, timed, block = [0.0] * len(runs), 0, 0
    # Opened read-write: a FIFO opened so never blocks waiting for the other side to open it.
    turn_in, turn_out = (os.open(f, os.O_RDWR) for f in a.turns) if a.turns else (None, None)
    while timed < a.steps:
        if turn_in is not None:
            os.read(turn_in, 1)
        for k in range(len(runs)):
            which = (block + k) % len(runs)
            start = time.perf_counter()
            for _ in range(a.block):
                runs[which].step()
            if block > 0:
                seconds[which] += time.perf_counter() - start
        if block > 0:
            timed += a.block
        block += 1
        if turn_out is not None:
            os.write(turn_out, b"t")
    masked = (f" masked_steps_per_s={timed / seconds[1]:.2f} masked/dense={seconds[1] / seconds[0]:.3f}"
              if len(runs) > 1 else "")
    print(f"{head} steps={timed} sparsity={a.sparsity} dense_steps_per_s={timed / seconds[0]:.2f}{masked}")
elif a.mode == "profile":
    for s in (0, a.sparsity):
        run, clock = Run(s, 2), [0.0] * 4
        warmup = max(1, a.steps // 10)
        for _ in range(warmup):
            run.step()
        for _ in range(a.steps):
            run.step(clock)
        us = [c * 1e6 / a.steps for c in clock]
        print(f"{head} profile {'masked=' + str(s) if s else 'dense'} " +
              " ".join(f"{p}_us={u:.0f}" for p, u in zip(("data", "forward", "backward", "optimizer"), us)) +
              f" total_us={sum(us):.0f}")
else:
    torch.manual_seed(1)
    i = torch.randperm(n)[:a.batch]
    images, labels = x[i], y[i]
    base = create()

    def run(dtype, mkldnn):
        torch.backends.mkldnn.enabled = mkldnn
        m = create()
        m.load_state_dict(base.state_dict())
        m.to(dtype).train()
        logits = m(images.to(dtype))
        F.cross_entropy(logits, labels).backward()
        return logits.detach().double(), {k: p.grad.double() for k, p in m.named_parameters()}

    ref_logits, ref_grads = run(torch.float64, False)
    rel = lambda u, v: float((u - v).abs().max() / v.abs().max().clamp_min(1e-30))
    for mk in (True, False):
        logits, grads = run(torch.float32, mk)
        worst = max(((k, rel(g, ref_grads[k])) for k, g in grads.items()), key=lambda t: t[1])
        largest = max(float(g.abs().max()) for g in ref_grads.values())
        overall = max(float((g - ref_grads[k]).abs().max()) for k, g in grads.items()) / largest
        print(f"pytorch {torch.__version__} check model={a.model} threads={torch.get_num_threads()} "
              f"backend={'onednn' if mk else 'native'} batch={a.batch} logits_rel_err={rel(logits, ref_logits):.2E} "
              f"worst_grad={worst[0]} grad_rel_err={worst[1]:.2E} grad_err_vs_largest={overall:.2E}")
