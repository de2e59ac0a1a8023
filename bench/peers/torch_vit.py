#!/usr/bin/python3
"""The embed benchmark's PyTorch peer (the stack of the first user's Python pipeline): the ViT-S/14 stand-in's architecture in
torch on CPU, with the stand-in's own weights read from the .onnx, so its outputs can be checked
against onnxruntime's and its speed compared like for like.

    /usr/bin/python3 bench/peers/torch_vit.py MODEL.onnx --threads 1 --batches 1,8,16 --images 8,16,16

Prints one JSON object per line: {"check": [...]} (pooler_output for the reference input), then
{"threads", "batch", "images", "seconds"} per batch size. Runs under torch.no_grad(), float32.
"""
import argparse
import json
import math
import time

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper


def reference_input() -> np.ndarray:
    """sin(0.001·i) over [1, 3, 224, 224]: the same tensor bench/embed.ts feeds onnxruntime-node."""
    return np.sin(np.arange(3 * 224 * 224, dtype=np.float64) * 0.001).astype(np.float32).reshape(1, 3, 224, 224)


class StandinViT(torch.nn.Module):
    """scripts/build-standin.ts's graph, op for op: Conv patch embedding, CLS + position embeddings,
    pre-LN blocks (fused qkv MatMul, softmax attention, exact GELU, LayerScale), final LayerNorm."""

    def __init__(self, weights: dict, depth: int, heads: int):
        super().__init__()
        self.w = {k: torch.from_numpy(v.copy()) for k, v in weights.items()}
        self.depth, self.heads = depth, heads
        self.dim = self.w["embeddings.cls_token"].shape[-1]
        self.patch = self.w["embeddings.patch_embeddings.projection.weight"].shape[-1]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        w, d, h = self.w, self.dim, self.heads
        b = x.shape[0]
        t = F.conv2d(x, w["embeddings.patch_embeddings.projection.weight"], w["embeddings.patch_embeddings.projection.bias"], stride=self.patch)
        t = t.flatten(2).transpose(1, 2)
        x = torch.cat([w["embeddings.cls_token"].expand(b, -1, -1), t], 1) + w["embeddings.position_embeddings"]
        hd = d // h
        for i in range(self.depth):
            p = f"encoder.layer.{i}"
            n1 = F.layer_norm(x, (d,), w[f"{p}.norm1.weight"], w[f"{p}.norm1.bias"], 1e-6)
            qkv = (n1 @ w[f"{p}.attention.qkv.weight"] + w[f"{p}.attention.qkv.bias"]).reshape(b, -1, 3, h, hd).permute(2, 0, 3, 1, 4)
            q, k, v = qkv[0], qkv[1], qkv[2]
            attn = torch.softmax((q * (1 / math.sqrt(hd))) @ k.transpose(-2, -1), dim=-1)
            o = (attn @ v).transpose(1, 2).reshape(b, -1, d)
            o = o @ w[f"{p}.attention.output.weight"] + w[f"{p}.attention.output.bias"]
            x = x + o * w[f"{p}.layer_scale1.lambda1"]
            n2 = F.layer_norm(x, (d,), w[f"{p}.norm2.weight"], w[f"{p}.norm2.bias"], 1e-6)
            m = F.gelu(n2 @ w[f"{p}.mlp.fc1.weight"] + w[f"{p}.mlp.fc1.bias"])
            m = m @ w[f"{p}.mlp.fc2.weight"] + w[f"{p}.mlp.fc2.bias"]
            x = x + m * w[f"{p}.layer_scale2.lambda1"]
        x = F.layer_norm(x, (d,), w["layernorm.weight"], w["layernorm.bias"], 1e-6)
        return x[:, 0]  # pooler_output


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batches", default="1,8,16")
    ap.add_argument("--images", default="8,16,16", help="images timed per batch size")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    graph = onnx.load(args.model).graph
    weights = {t.name: numpy_helper.to_array(t) for t in graph.initializer if t.data_type == onnx.TensorProto.FLOAT}
    depth = sum(1 for n in weights if n.endswith(".attention.qkv.weight"))
    dim = weights["embeddings.cls_token"].shape[-1]
    model = StandinViT(weights, depth, heads=dim // 64).eval()

    with torch.no_grad():
        print(json.dumps({"check": model(torch.from_numpy(reference_input()))[0].tolist()}), flush=True)
        rng = np.random.default_rng(0)
        for batch, count in zip(map(int, args.batches.split(",")), map(int, args.images.split(","))):
            x = torch.from_numpy(rng.standard_normal((batch, 3, 224, 224)).astype(np.float32))
            model(x)  # warm-up at this shape
            runs = max(1, count // batch)
            start = time.perf_counter()
            for _ in range(runs):
                model(x)
            seconds = time.perf_counter() - start
            print(json.dumps({"threads": args.threads, "batch": batch, "images": runs * batch, "seconds": seconds}), flush=True)


if __name__ == "__main__":
    main()
