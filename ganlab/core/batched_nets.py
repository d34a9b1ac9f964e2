"""N same-shaped MLPs as one stack of weights, with the losses and optimizers of N runs at once.

A small GAN step spends much of its time in per-call overhead (a few microseconds for each of ~100 torch
calls), so N independent networks run as ONE batched computation: each layer is a (N, out, in) weight stack
and a torch.baddbmm over (N, batch, in) inputs; a loss is one value per member (N,), and summing the
members' losses before backward gives every member exactly its own gradient (they share no weights).
torch.func.vmap over functional_call was measured too: 12-14 ms for a 16-member D and G forward and backward
at the default size against 10-11 ms for plain baddbmm under autograd, on one CPU thread.

Everything mirrors the single Trainer's numerics: weights are stacked from the very modules Trainer
builds, baddbmm(b, x, W^T) is the batched form of nn.Linear's addmm(b, x, W^T), losses are losses.py's
formulas with the mean taken per member, and the optimizer step is the same torch kernel (fused Adam,
SGD's add_) applied to each member's slice of the stack.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .config import OptimConfig
from .losses import check_loss
from .netpass import activation_ops, forward_layers, fused_adam

ADAM_EPS = 1e-8  # torch.optim.Adam's default, which Trainer uses
class StackedMLP:
    """N copies of one MLP (networks.make_mlp: Linear layers with an activation between), stacked.

    params: leaf tensors [W0, b0, W1, b1, ...], W (N, out, in), b (N, out), in the order of
    module.parameters(); names: the matching state-dict keys ("net.0.weight", ...).

    Two ways to run it. Calling it runs under autograd (what the penalties need: they differentiate twice).
    forward_saving/backward is a hand-written pass with autograd's formulas into buffers kept between
    steps: at 16 members an activation is 2 MB, and freshly allocated ones were page-faulted in anew on
    every step (glibc hands blocks that size back to the OS), which cost a third of the step.
    """

    def __init__(self, modules: Sequence[nn.Module], activation: str, squeeze: bool):
        first = modules[0]
        self.names = [name for name, _ in first.named_parameters()]
        per_member = [[p.detach() for p in m.parameters()] for m in modules]
        self.params = [torch.stack([ps[j] for ps in per_member]).requires_grad_(True)
                       for j in range(len(self.names))]
        self._w = [p.detach() for p in self.params]  # the same storage, outside autograd
        self.acts = [m for m in first.net if not isinstance(m, nn.Linear)]  # the modules the single net runs
        self.inplace, self._act_fwd, self._act_bwd = activation_ops(activation)
        self.squeeze = squeeze  # a discriminator returns (N, n) logits, not (N, n, 1)
        self.n = len(modules)
        self.grads = [torch.zeros_like(p) for p in self._w]  # what backward() writes
        self._ws: dict[str, dict] = {}

    def __call__(self, x: Tensor) -> Tensor:
        """x (N, batch, in) -> (N, batch, out), or (N, batch) logits for a discriminator; under autograd."""
        ps = self.params
        h = x
        for j in range(0, len(ps), 2):
            h = torch.baddbmm(ps[j + 1].unsqueeze(1), h, ps[j].transpose(1, 2))
            if j // 2 < len(self.acts):
                h = self.acts[j // 2](h)
        return h.squeeze(-1) if self.squeeze else h

    # ------------------------------------------------------------ hand-written pass into kept buffers
    def _buffers(self, tag: str, rows: int, x: Tensor) -> dict:
        ws = self._ws.get(tag)
        if ws is None or ws["rows"] != rows:
            w = self._w
            n_layers = len(w) // 2
            outs = [w[2 * j].shape[1] for j in range(n_layers)]
            ins = [w[2 * j].shape[2] for j in range(n_layers)]

            def new(c: int) -> Tensor:
                return x.new_empty((self.n, rows, c))

            ws = self._ws[tag] = {
                "rows": rows,
                "pre": [new(c) for c in outs],
                "post": [None if self.inplace else new(c) for c in outs[:-1]],
                "gin": [new(c) for c in ins],
                "gwt": [x.new_empty((self.n, i, o)) for i, o in zip(ins, outs, strict=True)],
                "gxt": x.new_empty((self.n, ins[0], rows)),
            }
        return ws

    @torch.no_grad()
    def forward_saving(self, x: Tensor, tag: str) -> Tensor:
        """As __call__, keeping what backward(tag) needs; the result lives in a buffer that the next
        forward_saving with the same tag overwrites."""
        w = self._w
        return forward_layers(self, x, self._buffers(tag, x.shape[1], x), lambda j, h, out: torch.baddbmm(
            w[2 * j + 1].unsqueeze(1), h, w[2 * j].transpose(1, 2), out=out))

    @torch.no_grad()
    def backward(self, tag: str, g: Tensor, weight_grads: bool, input_grad: bool) -> Tensor | None:
        """Backpropagate g (the gradient of the summed losses at the output of forward_saving(tag)); with
        weight_grads, into self.grads; returns the gradient at the input when input_grad."""
        ws = self._ws[tag]
        w = self._w
        if self.squeeze:
            g = g.unsqueeze(-1)
        for j in range(len(w) // 2 - 1, -1, -1):
            if j == 0:
                inp = ws["x"]
            else:
                inp = ws["pre"][j - 1] if self.inplace else ws["post"][j - 1]
            W = w[2 * j]
            narrow_in = W.shape[2] < W.shape[1]
            # autograd's products, each in the orientation where MKL's batched kernel is fast: the narrow side
            # (2 or 1) as the rows of the result; the same dot products, the same numbers, up to 10x faster
            if weight_grads:
                if narrow_in:  # dW^T = inp^T @ g, copied into W's layout
                    self.grads[2 * j].copy_(torch.bmm(inp.transpose(1, 2), g, out=ws["gwt"][j]).transpose(1, 2))
                else:
                    torch.bmm(g.transpose(1, 2), inp, out=self.grads[2 * j])
                torch.sum(g, dim=1, out=self.grads[2 * j + 1])
            if j > 0:
                if W.shape[1] == 1:  # D's output layer: a product over one term is a broadcast product,
                    g = torch.mul(g, W, out=ws["gin"][j])  # the same numbers at a third of bmm's time
                else:
                    g = torch.bmm(g, W, out=ws["gin"][j])
                self._act_bwd(g, ws["pre"][j - 1], inp)
            elif input_grad:  # the gradient at the input points, (N, rows, in)
                if narrow_in:
                    g = torch.bmm(W.transpose(1, 2), g.transpose(1, 2), out=ws["gxt"]).transpose(1, 2)
                else:
                    g = torch.bmm(g, W, out=ws["gin"][0])
        return g if input_grad else None

    def member_state(self, i: int) -> dict[str, Tensor]:
        """Member i as the state dict of one single network (copies)."""
        return {name: p[i].clone() for name, p in zip(self.names, self._w, strict=True)}

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None


# ------------------------------------------------------------------------ losses, one value per member
def d_loss(loss: str, r: Tensor, f: Tensor) -> Tensor:
    """losses.d_loss per member: r, f (N, n) logits -> (N,)."""
    check_loss(loss)
    if loss in ("minimax", "nonsaturating"):
        return F.softplus(-r).mean(-1) + F.softplus(f).mean(-1)
    if loss == "lsgan":
        return 0.5 * (r - 1.0).square().mean(-1) + 0.5 * (f + 1.0).square().mean(-1)
    if loss == "wgan-gp":
        return f.mean(-1) - r.mean(-1)
    return F.relu(1.0 - r).mean(-1) + F.relu(1.0 + f).mean(-1)  # hinge


def g_loss(loss: str, f: Tensor) -> Tensor:
    """losses.g_loss per member: f (N, n) -> (N,)."""
    check_loss(loss)
    if loss == "minimax":
        return -F.softplus(f).mean(-1)
    if loss == "nonsaturating":
        return F.softplus(-f).mean(-1)
    if loss == "lsgan":
        return 0.5 * f.square().mean(-1)
    return -f.mean(-1)


def _input_grad(D: StackedMLP, x: Tensor) -> Tensor:
    # Members do not interact, so the gradient of the SUM of all logits is each member's own input gradient.
    x = x.detach().requires_grad_(True)
    (grad,) = torch.autograd.grad(D(x).sum(), x, create_graph=True)
    return grad


def gradient_penalty(D: StackedMLP, real: Tensor, fake: Tensor, e: Tensor) -> Tensor:
    """losses.gradient_penalty per member, with the interpolation weights e (N, n, 1) drawn by the caller
    (from each member's own noise stream)."""
    x_hat = e * real.detach() + (1.0 - e) * fake.detach()
    norm = _input_grad(D, x_hat).norm(dim=-1)
    return (norm - 1.0).square().mean(-1)


def r1_penalty(D: StackedMLP, real: Tensor) -> Tensor:
    """losses.r1_penalty per member: (N, n, 2) -> (N,)."""
    return _input_grad(D, real).square().sum(dim=-1).mean(-1)


def member_norms(grads: Sequence[Tensor]) -> Tensor:
    """Each member's gradient norm over all its parameters (Trainer's norm of per-tensor norms): (N,)."""
    n = grads[0].shape[0]
    per_tensor = [torch.linalg.vector_norm(g.reshape(n, -1), dim=1) for g in grads]
    return torch.linalg.vector_norm(torch.stack(per_tensor), dim=0)


# ------------------------------------------------------------------------------------- optimizer
class StackedOptimizer:
    """Adam or SGD over stacked parameters, each member with its own learning rate (and betas).

    Members with equal hyperparameters share one call of the kernel Trainer's optimizer runs
    (torch._fused_adam_ for Adam(fused=True), add_(grad, alpha=-lr) for plain SGD), on their slices of
    the stack, so each member's update is bitwise the single run's. Cost: one call per distinct
    (lr, betas) among the active members; a member set inactive (diverged) is no longer updated at all.
    """

    def __init__(self, params: Sequence[Tensor], configs: Sequence[OptimConfig]):
        self.params = [p.detach() for p in params]  # aliases of the leaves, updated in place
        self.name = configs[0].name
        self.hyper = [(c.lr, c.beta1, c.beta2) if self.name == "adam" else (c.lr,) for c in configs]
        self.n = len(configs)
        p0 = self.params[0]
        if self.name == "adam":
            self.exp_avg = [torch.zeros_like(p) for p in self.params]
            self.exp_avg_sq = [torch.zeros_like(p) for p in self.params]
            # fused Adam keeps its step count as a float32 tensor; all active members step together
            self.step_t = torch.zeros((), dtype=torch.float32, device=p0.device)
        self.steps = 0
        self.set_active(np.ones(self.n, dtype=bool))

    def set_active(self, active: np.ndarray) -> None:
        groups: dict[tuple, list[int]] = {}
        for i in np.flatnonzero(active):
            groups.setdefault(self.hyper[int(i)], []).append(int(i))
        self.groups = []
        for h, idx in groups.items():
            if len(idx) == self.n:  # everyone: the whole stacks, no slicing
                self.groups.append((h, None))
            else:
                self.groups.append((h, idx))

    def _lists(self, tensors: Sequence[Tensor], idx: list[int] | None) -> list[Tensor]:
        return list(tensors) if idx is None else [t[i] for i in idx for t in tensors]

    @torch.no_grad()
    def step(self, grads: Sequence[Tensor]) -> None:
        self.steps += 1
        if self.name == "adam":
            self.step_t += 1
            for (lr, b1, b2), idx in self.groups:
                ps = self._lists(self.params, idx)
                fused_adam(ps, self._lists(grads, idx), self._lists(self.exp_avg, idx),
                           self._lists(self.exp_avg_sq, idx), [self.step_t] * len(ps), lr, b1, b2, ADAM_EPS)
        else:
            for (lr,), idx in self.groups:
                torch._foreach_add_(self._lists(self.params, idx), self._lists(grads, idx), alpha=-lr)

    def member_state(self, i: int) -> dict[int, dict]:
        """Member i's part in the format of torch.optim's state_dict()["state"] (copies)."""
        if self.name != "adam" or self.steps == 0:
            return {}
        return {j: {"step": self.step_t.clone(), "exp_avg": m[i].clone(), "exp_avg_sq": v[i].clone()}
                for j, (m, v) in enumerate(zip(self.exp_avg, self.exp_avg_sq, strict=True))}
