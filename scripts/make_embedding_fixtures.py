#!/usr/bin/python3
"""Writes the small fixture images the embedding tests use (tests/fixtures/images/*.png).

Run once with Debian's interpreter (/usr/bin/python3: numpy + PIL); the PNGs are committed, so tests
never run this. Deterministic (fixed seed). The set covers what the preprocessing must get right:
grayscale and RGB, portrait, landscape and square, downscaling (antialiased bicubic) and upscaling,
an RGBA file (alpha is dropped, as Hugging Face's convert("RGB") does) and an image whose short side
is exactly 256 (no resize).
"""
from pathlib import Path

import numpy as np
from PIL import Image

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "images"


def chip(width: int, height: int, rng: np.random.Generator, voids: int) -> np.ndarray:
    """A grey X-ray-like chip: smooth background, a bright die rectangle, dark round voids, mild noise."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    img = 90 + 60 * (x / width) + 30 * np.sin(y / height * 3.1)
    die = (np.abs(x - width / 2) < width * 0.32) & (np.abs(y - height / 2) < height * 0.3)
    img[die] += 70
    for _ in range(voids):
        cx, cy = rng.uniform(0.25, 0.75) * width, rng.uniform(0.25, 0.75) * height
        r = rng.uniform(0.02, 0.08) * min(width, height)
        d = np.hypot(x - cx, y - cy)
        img *= np.where(d < r, 0.55, np.where(d < r + 2, 0.55 + 0.45 * (d - r) / 2, 1.0))
    img += rng.normal(0, 4, img.shape)
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20240603)

    gray = chip(300, 400, rng, 6)  # portrait, downscale 300 -> 256
    Image.fromarray(gray, "L").save(OUT / "chip_gray_300x400.png")

    base = chip(400, 300, rng, 8)  # landscape RGB, downscale 300 -> 256; channels differ
    rgb = np.stack([base, np.clip(base * 0.85 + 20, 0, 255), np.clip(255 - base * 0.7, 0, 255)], -1).astype(np.uint8)
    Image.fromarray(rgb, "RGB").save(OUT / "chip_rgb_400x300.png")

    small = chip(150, 97, rng, 3)  # upscale 97 -> 256, odd sizes
    small_rgb = np.stack([small, small // 2 + 60, np.flipud(small)], -1).astype(np.uint8)
    Image.fromarray(small_rgb, "RGB").save(OUT / "chip_rgb_150x97.png")

    square = chip(256, 256, rng, 5)  # short side exactly 256: no resize, crop only
    alpha = np.full_like(square, 255)
    alpha[:16, :16] = 128  # a translucent corner: alpha must be ignored, not composited
    rgba = np.stack([square, square, np.clip(square.astype(int) + 30, 0, 255), alpha], -1).astype(np.uint8)
    Image.fromarray(rgba, "RGBA").save(OUT / "chip_rgba_256x256.png")

    for p in sorted(OUT.glob("*.png")):
        print(p.name, p.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
