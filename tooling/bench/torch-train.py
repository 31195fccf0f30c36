# PyTorch's training throughput on the architectures the dense-ae and conv-ae benches time, for a same-run
# comparison (Debian's python3-torch; never needed by tests). Random rows in [0, 1) (throughput does not depend
# on pixel content), batch 128, MSE, Adam, one warm-up pass then `batches` timed steps. Prints one JSON line:
# samples/s, torch's version and thread count.
# Usage: OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 torch-train.py dense|conv-lecture BATCHES [THREADS]
import json, sys, time

import torch
from torch import nn


def dense():
    # dense-ae's default: 784-256-64-16, ReLU hidden, linear code, sigmoid output.
    return nn.Sequential(
        nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 64), nn.ReLU(), nn.Linear(64, 16),
        nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 784), nn.Sigmoid(),
    ), (784,)


def conv_lecture():
    # The lecture's five layers at 32 channels (conv-ae channels 32,32,32,32, d=16): 5×5, 5×5, 4×4/2, 3×3/2,
    # 4×4 valid convolutions down to 1×1×16, mirrored by transposed convolutions; ELU hidden, sigmoid output.
    c, d = 32, 16
    return nn.Sequential(
        nn.Conv2d(1, c, 5), nn.ELU(), nn.Conv2d(c, c, 5), nn.ELU(), nn.Conv2d(c, c, 4, stride=2), nn.ELU(),
        nn.Conv2d(c, c, 3, stride=2), nn.ELU(), nn.Conv2d(c, d, 4),
        nn.ConvTranspose2d(d, c, 4), nn.ELU(), nn.ConvTranspose2d(c, c, 3, stride=2), nn.ELU(),
        nn.ConvTranspose2d(c, c, 4, stride=2), nn.ELU(), nn.ConvTranspose2d(c, c, 5), nn.ELU(),
        nn.ConvTranspose2d(c, 1, 5), nn.Sigmoid(),
    ), (1, 28, 28)


def main():
    which, batches = sys.argv[1], int(sys.argv[2])
    if len(sys.argv) > 3:
        torch.set_num_threads(int(sys.argv[3]))
    torch.manual_seed(1)
    model, shape = {'dense': dense, 'conv-lecture': conv_lecture}[which]()
    batch = 128
    x = torch.rand(batches * batch, *shape)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.MSELoss()

    def step(xb):
        opt.zero_grad()
        loss = loss_fn(model(xb), xb)
        loss.backward()
        opt.step()
        return loss

    for i in range(min(3, batches)):
        step(x[i * batch:(i + 1) * batch])
    started = time.perf_counter()
    for i in range(batches):
        step(x[i * batch:(i + 1) * batch])
    seconds = time.perf_counter() - started
    print(json.dumps({'samplesPerSecond': batches * batch / seconds, 'batches': batches, 'version': torch.__version__, 'threads': torch.get_num_threads()}))


main()
