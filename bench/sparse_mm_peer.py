"""PyTorch's CSR product on LeNet-300-100's first layer (784 -> 300), for comparison with SparsityKit's sparse kernel.

Run by bench/sparse-inference.sh with the peer's private PyTorch (../shared/peers/README.md). A 300 x 784 weight with a
random mask of the given sparsity, a bias, random inputs; dense = torch.nn.functional.linear, sparse =
torch.addmm(bias, W as CSR, x.T made contiguous).T (the fastest form found here: torch.sparse.mm(W, x.T) on the
strided x.T runs 6x slower, x @ W.T 8x); csr_pre also times it on an x.T transposed beforehand, PyTorch's best case.
Dense and sparse alternate within each repeat (order alternating between
repeats); one line per batch: median times in ms and the dense/sparse ratio's median and range over repeats.
"""
import argparse, os, time

p = argparse.ArgumentParser()
p.add_argument("--threads", type=int, default=1)
p.add_argument("--sparsity", type=float, default=0.95)
p.add_argument("--batches", default="1,60,10000")
p.add_argument("--repeats", type=int, default=5)
a = p.parse_args()
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(a.threads)
import warnings
warnings.filterwarnings("ignore", message="Sparse CSR tensor support is in beta")
import torch

torch.set_num_threads(a.threads)
torch.manual_seed(0)
w = torch.randn(300, 784) * (torch.rand(300, 784) >= a.sparsity)
b = torch.randn(300)
w_csr = w.to_sparse_csr()
b_column = b[:, None]


def timed(f, runs):
    start = time.perf_counter()
    for _ in range(runs):
        f()
    return (time.perf_counter() - start) / runs


def runs_for(f):
    return max(1, min(20000, int(0.04 / max(timed(f, 1), 1e-7))))


def median(v):
    v = sorted(v)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


with torch.no_grad():
    for batch in [int(s) for s in a.batches.split(",")]:
        x = torch.randn(batch, 784)
        dense = lambda: torch.nn.functional.linear(x, w, b)
        sparse = lambda: torch.addmm(b_column, w_csr, x.t().contiguous()).t()
        xt = x.t().contiguous()
        sparse_pre = lambda: torch.addmm(b_column, w_csr, xt)
        err = (dense() - sparse()).abs().max().item()
        dense(); sparse(); sparse_pre()
        nd, ns, npre = runs_for(dense), runs_for(sparse), runs_for(sparse_pre)
        times = []
        for r in range(a.repeats):
            if r % 2 == 0:
                d = timed(dense, nd); s = timed(sparse, ns); sp = timed(sparse_pre, npre)
            else:
                sp = timed(sparse_pre, npre); s = timed(sparse, ns); d = timed(dense, nd)
            times.append((d, s, sp))
        ratios = sorted(d / s for d, s, _ in times)
        print(f"pytorch {torch.__version__} first layer sparsity={a.sparsity} threads={a.threads} batch={batch} "
              f"dense_ms={median([t[0] for t in times]) * 1e3:.4f} csr_ms={median([t[1] for t in times]) * 1e3:.4f} "
              f"csr_pre_ms={median([t[2] for t in times]) * 1e3:.4f} "
              f"speedup={median(ratios):.2f} range={ratios[0]:.2f}-{ratios[-1]:.2f} max_abs_diff={err:.1e}")
