# LeNet-5's conv2 in float32 against float64 in the PyTorch 1.13 peer, with oneDNN (mkldnn) on and off; see
# bench/onednn-conv-check.cs for the same check in SparsityKit's libtorch. Run in the peer's private environment:
#   env LD_LIBRARY_PATH=/opt/peer-torch/usr/lib/x86_64-linux-gnu PYTHONPATH=/opt/peer-torch/usr/lib/python3/dist-packages \
#     /usr/bin/python3 bench/pytorch_conv_check.py        (bench/peer.sh installs it there on first use)
import torch
torch.set_num_threads(1)
torch.manual_seed(0)
conv = torch.nn.Conv2d(20, 50, 5)
x = torch.randn(60, 20, 12, 12, requires_grad=True)
def run(dtype):
    c = torch.nn.Conv2d(20, 50, 5).to(dtype); c.load_state_dict({k: v.to(dtype) for k, v in conv.state_dict().items()})
    xi = x.detach().to(dtype).requires_grad_(True)
    y = c(xi)
    (y * torch.arange(y.numel(), dtype=dtype).view_as(y).sin()).sum().backward()
    return y.detach().double(), xi.grad.double(), c.weight.grad.double()
for mkldnn in [True, False]:
    torch.backends.mkldnn.enabled = mkldnn
    a = run(torch.float32); b = run(torch.float64)
    print("mkldnn" if mkldnn else "native", [float((p - q).abs().max() / q.abs().max()) for p, q in zip(a, b)])
print(torch.__version__, torch.backends.mkldnn.is_available())
