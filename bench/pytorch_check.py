"""Loads a model exported by `SparsityKit.Train --export DIR` in PyTorch and checks it against DIR/model.json.

Builds LeNet-300-100 with SparsityKit's parameter names (fc1, fc2, fc3), loads DIR/model.pt (plain), DIR/model.pruned.pt
(into a module pruned with torch.nn.utils.prune, so the file's weight_orig and weight_mask land where PyTorch keeps them)
and DIR/model.safetensors (read with a few lines of numpy: PyTorch 1.13 has no safetensors reader), evaluates each on the
MNIST test set normalised as model.json says, and prints the accuracies beside the one SparsityKit measured.
usage: python3 bench/pytorch_check.py DIR MNIST_DIR
"""
import json, struct, sys
import numpy as np
import torch
import torch.nn.utils.prune as prune

directory, mnist = sys.argv[1], sys.argv[2]
meta = json.load(open(f"{directory}/model.json"))
assert meta["architecture"] == "lenet300-100", meta["architecture"]


class LeNet300100(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2, self.fc3 = torch.nn.Linear(784, 300), torch.nn.Linear(300, 100), torch.nn.Linear(100, 10)

    def forward(self, x):
        x = torch.relu(self.fc1(x.flatten(1)))
        return self.fc3(torch.relu(self.fc2(x)))


images = np.fromfile(f"{mnist}/t10k-images-idx3-ubyte", dtype=np.uint8, offset=16).reshape(-1, 1, 28, 28)
labels = torch.tensor(np.fromfile(f"{mnist}/t10k-labels-idx1-ubyte", dtype=np.uint8, offset=8).astype(np.int64))
norm = meta["normalisation"]
x = (torch.tensor(images, dtype=torch.float32) / 255 - norm["mean"]) / norm["std"]


def accuracy(model):
    with torch.no_grad():
        return (model(x).argmax(1) == labels).float().mean().item()


def safetensors(path):
    raw = open(path, "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32", info["dtype"]
        a, b = info["data_offsets"]
        out[name] = torch.tensor(np.frombuffer(raw[8 + n + a:8 + n + b], dtype="<f4").reshape(info["shape"]))
    return out


plain = LeNet300100()
plain.load_state_dict(torch.load(f"{directory}/model.pt"))
assert [(k, list(v.shape)) for k, v in plain.state_dict().items()] == [(p["name"], p["shape"]) for p in meta["parameters"]]
pruned = LeNet300100()
for layer in (pruned.fc1, pruned.fc2, pruned.fc3):
    prune.identity(layer, "weight")
pruned.load_state_dict(torch.load(f"{directory}/model.pruned.pt"))
same = all(torch.equal(getattr(pruned, n).weight_orig * getattr(pruned, n).weight_mask, getattr(plain, n).weight) for n in ("fc1", "fc2", "fc3"))
st = LeNet300100()
st.load_state_dict(safetensors(f"{directory}/model.safetensors"))
kept = sum(int(m.sum()) for n, m in pruned.named_buffers() if n.endswith("weight_mask"))
total = sum(m.numel() for n, m in pruned.named_buffers() if n.endswith("weight_mask"))
print(f"pytorch {torch.__version__}: model.pt {accuracy(plain):.4f}, model.pruned.pt {accuracy(pruned):.4f} "
      f"(weight_orig x weight_mask equals model.pt's weights: {same}; sparsity {1 - kept / total:.4f}), "
      f"model.safetensors {accuracy(st):.4f}; SparsityKit measured {meta['test_accuracy']:.4f}")
