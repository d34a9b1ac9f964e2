"""One MLP's forward and backward written out by hand, and Adam's update called directly: the Trainer's fast path.

At the playground's sizes a training step is mostly per-call overhead: nn.Module dispatch, the autograd graph
and engine, and torch.optim's bookkeeping cost more than the arithmetic (at the default 2x64, batch 256, the
matrix products are about a third of an autograd step). A step without penalties (which differentiate D twice and
need autograd) runs here instead, with the very aten calls autograd makes for networks.make_mlp's layers, in
the orientations it picks, so the numbers are bit for bit the autograd path's (tests/test_netpass.py).

- Linear forward is addmm(b, x, W^T), nn.Linear's own call; backward is AddmmBackward0's products:
  dW = g^T @ x, db = sum of g over rows, dx = g @ W.
- An activation's backward is its aten *_backward kernel; relu, leaky_relu and tanh read their result, so they
  run in place on the layer's output (autograd saves the same tensor).
- The loss's gradient at the logits comes from autograd on that small tensor alone: the loss's own graph.
- Activations and gradients live in buffers kept between steps (no allocator traffic per step).
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from . import losses

_aten = torch.ops.aten


def activation_ops(name: str):
    """(in place?, forward(pre, post), backward(g, pre, post) into g) with the aten calls autograd makes for the
    activation modules of networks.py. Shapes are free: the batched nets (N, rows, width) use them too."""
    if name == "relu":
        return True, lambda pre, post: pre.relu_(), \
            lambda g, pre, post: _aten.threshold_backward.grad_input(g, post, 0.0, grad_input=g)
    if name == "leaky_relu":
        return True, lambda pre, post: F.leaky_relu_(pre, 0.2), \
            lambda g, pre, post: _aten.leaky_relu_backward.grad_input(g, post, 0.2, True, grad_input=g)
    if name == "tanh":
        return True, lambda pre, post: pre.tanh_(), \
            lambda g, pre, post: _aten.tanh_backward.grad_input(g, post, grad_input=g)
    if name == "elu":
        return False, lambda pre, post: _aten.elu.out(pre, 1.0, 1, 1, out=post), \
            lambda g, pre, post: _aten.elu_backward.grad_input(g, 1.0, 1, 1, False, pre, grad_input=g)
    if name == "gelu":
        return False, lambda pre, post: _aten.gelu.out(pre, approximate="none", out=post), \
            lambda g, pre, post: _aten.gelu_backward.grad_input(g, pre, approximate="none", grad_input=g)
    raise ValueError(f"unknown activation {name!r}")


def loss_grad(fn: Callable[[Tensor], Tensor], logits: Tensor) -> tuple[Tensor, Tensor]:
    """fn(logits) -> loss (a scalar, or one per member), and the gradient of its sum at the logits (by autograd,
    on a small tensor: the exact graph of the loss)."""
    with torch.enable_grad():
        leaf = logits.detach().requires_grad_(True)
        loss = fn(leaf)
        (g,) = torch.autograd.grad(loss.sum() if loss.dim() else loss, leaf)
    return loss.detach(), g


def forward_layers(net, x: Tensor, ws: dict, linear: Callable[[int, Tensor, Tensor], Tensor]) -> Tensor:
    """The forward pass NetPass and batched_nets.StackedMLP share: linear(j, h, out) is layer j's product into
    out; net gives the activation (inplace, _act_fwd), squeeze and the weights _w. Keeps the input and every
    layer's output in ws for the backward pass."""
    last = len(net._w) // 2 - 1
    ws["x"] = x
    h = x
    for j in range(last + 1):
        pre = linear(j, h, ws["pre"][j])
        if j < last:
            post = pre if net.inplace else ws["post"][j]
            net._act_fwd(pre, post)
            h = post
        else:
            h = pre
    return h.squeeze(-1) if net.squeeze else h


class NetPass:
    """The hand-written pass of one networks.Generator or Discriminator (2-D inputs: rows x features).

    It reads the module's own parameter tensors (no copy: an optimizer's in-place update is seen at once) and
    writes their gradients into `grads`, which backward() also sets as each parameter's .grad, as
    loss.backward() would. Build a new one whenever the module is replaced.
    """

    def __init__(self, module: nn.Module, activation: str, squeeze: bool):
        linears = [m for m in module.net if isinstance(m, nn.Linear)]
        self.params = [p for lin in linears for p in (lin.weight, lin.bias)]
        self._w = [p.detach() for p in self.params]  # the same storage, outside autograd
        self.inplace, self._act_fwd, self._act_bwd = activation_ops(activation)
        self.squeeze = squeeze  # a discriminator returns (rows,) logits
        self.grads = [torch.empty_like(p) for p in self._w]
        self._ws: dict[str, dict] = {}

    def _buffers(self, tag: str, x: Tensor) -> dict:
        rows = x.shape[0]
        ws = self._ws.get(tag)
        if ws is None or ws["rows"] != rows:
            outs = [self._w[j].shape[0] for j in range(0, len(self._w), 2)]
            ws = self._ws[tag] = {
                "rows": rows,
                "pre": [x.new_empty((rows, c)) for c in outs],
                "post": [None if self.inplace else x.new_empty((rows, c)) for c in outs[:-1]],
                "gin": [x.new_empty((rows, self._w[j].shape[1])) for j in range(0, len(self._w), 2)],
            }
        return ws

    @torch.no_grad()
    def forward(self, x: Tensor, tag: str) -> Tensor:
        """The module's output for x, keeping what backward(tag) needs; the result lives in a buffer that the
        next forward with the same tag overwrites."""
        w = self._w
        return forward_layers(self, x, self._buffers(tag, x),
                              lambda j, h, out: torch.addmm(w[2 * j + 1], h, w[2 * j].t(), out=out))

    @torch.no_grad()
    def backward(self, tag: str, g: Tensor, weight_grads: bool, input_grad: bool) -> Tensor | None:
        """Backpropagate g (the loss's gradient at the output of forward(tag)); with weight_grads into `grads`
        (and each parameter's .grad); returns the gradient at the input when input_grad."""
        ws = self._ws[tag]
        w = self._w
        if self.squeeze:
            g = g.unsqueeze(-1)
        for j in range(len(w) // 2 - 1, -1, -1):
            inp = ws["x"] if j == 0 else (ws["pre"][j - 1] if self.inplace else ws["post"][j - 1])
            if weight_grads:
                torch.mm(g.t(), inp, out=self.grads[2 * j])
                torch.sum(g, dim=0, out=self.grads[2 * j + 1])
            if j > 0:
                g = torch.mm(g, w[2 * j], out=ws["gin"][j])
                self._act_bwd(g, ws["pre"][j - 1], inp)
            elif input_grad:
                g = torch.mm(g, w[0], out=ws["gin"][0])
        if weight_grads:
            for p, grad in zip(self.params, self.grads, strict=True):
                p.grad = grad
        return g if input_grad else None


@torch.no_grad()
def optimizer_step(opt: torch.optim.Optimizer) -> None:
    """opt.step(), with fused Adam's kernel called directly on the optimizer's own state (initialised as Adam
    initialises it), so a state_dict() reads the same and the update is bit for bit Adam.step()'s. Adam.step()
    spends ~0.1 ms per call in bookkeeping at these sizes; this ~0.01 ms. Anything else: opt.step()."""
    if not isinstance(opt, torch.optim.Adam) or len(opt.param_groups) != 1:
        opt.step()
        return
    group = opt.param_groups[0]
    if not group["fused"] or group["amsgrad"] or group["maximize"] or group["weight_decay"] \
            or group["decoupled_weight_decay"] or torch.is_tensor(group["lr"]):
        opt.step()
        return
    params, grads, avgs, sqs, steps = [], [], [], [], []
    for p in group["params"]:
        if p.grad is None:
            continue
        state = opt.state[p]
        if not state:
            state["step"] = torch.zeros((), dtype=torch.float32, device=p.device)
            state["exp_avg"] = torch.zeros_like(p, memory_format=torch.preserve_format)
            state["exp_avg_sq"] = torch.zeros_like(p, memory_format=torch.preserve_format)
        params.append(p)
        grads.append(p.grad)
        avgs.append(state["exp_avg"])
        sqs.append(state["exp_avg_sq"])
        steps.append(state["step"])
    if not params:
        return
    beta1, beta2 = group["betas"]
    torch._foreach_add_(steps, 1)
    fused_adam(params, grads, avgs, sqs, steps, group["lr"], beta1, beta2, group["eps"])


def fused_adam(params, grads, avgs, sqs, steps, lr: float, beta1: float, beta2: float, eps: float) -> None:
    """Adam(fused=True)'s update kernel on lists of tensors, in place, with the step counts already advanced:
    the call optimizer_step and the batched nets' StackedOptimizer both make."""
    torch._fused_adam_(params, grads, avgs, sqs, [], steps, amsgrad=False, lr=lr, beta1=beta1, beta2=beta2,
                       weight_decay=0.0, eps=eps, maximize=False, grad_scale=None, found_inf=None)


class FastSteps:
    """The Trainer's D and G steps through NetPass (trainer.py keeps the sampling, the reuse of the D step's
    G(z) and the bookkeeping; the steps' numbers are its autograd steps', bit for bit)."""

    def __init__(self, G: nn.Module, D: nn.Module, config):
        self.g = NetPass(G, config.generator.activation, squeeze=False)
        self.d = NetPass(D, config.discriminator.activation, squeeze=True)
        self._xin: Tensor | None = None  # cat(real, fake), kept

    def generate(self, z: Tensor) -> Tensor:
        """G(z), keeping G's activations for the next g_step (a buffer: the next generate overwrites it)."""
        return self.g.forward(z, "g")

    def d_step(self, loss_name: str, real: Tensor, z: Tensor, opt_d: torch.optim.Optimizer) -> tuple[Tensor, Tensor]:
        """One D step on real and G(z); returns L_D and the fake batch G(z) (which a g_step may reuse)."""
        n = real.shape[0]
        fake = self.generate(z)
        xin = self._xin
        if xin is None or xin.shape != (2 * n, real.shape[1]):
            xin = self._xin = real.new_empty((2 * n, real.shape[1]))
        logits = self.d.forward(torch.cat([real, fake], out=xin), "d")
        loss, g = loss_grad(lambda lo: losses.d_loss(loss_name, lo[:n], lo[n:]), logits)
        self.d.backward("d", g, weight_grads=True, input_grad=False)
        optimizer_step(opt_d)
        return loss, fake

    def g_step(self, loss_name: str, fake: Tensor, opt_g: torch.optim.Optimizer) -> tuple[Tensor, Tensor]:
        """One G step on fake, the output of the last generate(); returns L_G and the norm of G's gradient."""
        loss, g = loss_grad(lambda lo: losses.g_loss(loss_name, lo), self.d.forward(fake, "f"))
        g = self.d.backward("f", g, weight_grads=False, input_grad=True)
        self.g.backward("g", g, weight_grads=True, input_grad=False)
        gnorm = torch.linalg.vector_norm(torch.stack(torch._foreach_norm(self.g.grads)))
        optimizer_step(opt_g)
        return loss, gnorm
