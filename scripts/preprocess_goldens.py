#!/usr/bin/python3
"""Golden tensors for the DINOv2 preprocessing test (tests/unit/embedding/preprocess.test.ts).

Run with Debian's interpreter, which has numpy and PIL:  /usr/bin/python3 scripts/preprocess_goldens.py

For every tests/fixtures/images/*.png this replays, step by step, what Hugging Face's (slow, PIL-based)
BitImageProcessor does with facebook/dinov2-* 's preprocessor_config.json
({"size": {"shortest_edge": 256}, "resample": 3, "crop_size": 224x224, "rescale_factor": 1/255,
"image_mean": [0.485, 0.456, 0.406], "image_std": [0.229, 0.224, 0.225], "do_convert_rgb": true}).
transformers is not installed here, so each step cites the function it reproduces
(transformers/image_transforms.py and models/bit/image_processing_bit.py, v4.4x):

1. convert_rgb: PIL Image.convert("RGB") (grayscale replicated, alpha dropped, not composited).
2. resize: get_resize_output_image_size(default_to_square=False): short side -> 256,
   long side -> int(256 * long / short); then PIL Image.resize((w, h), BICUBIC, reducing_gap=None)
   on the uint8 image (no rescale before the PIL conversion, since the array is uint8).
3. center_crop: top = (h - 224) // 2, left = (w - 224) // 2.
4. rescale: image.astype(float64) * (1/255), then .astype(float32).
5. normalize: (image - mean) / std with mean and std cast to the image's dtype (float32).
6. channels first: [3, 224, 224] float32.

Writes tests/fixtures/images/goldens/<name>.pixel_values.npy.gz (gzip of a standard .npy, float32,
shape (3, 224, 224)): the tensor the model receives.
"""
import gzip
import io
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "tests" / "fixtures" / "images"
GOLDENS = IMAGES / "goldens"

SHORTEST_EDGE = 256
CROP = 224
RESCALE = 0.00392156862745098  # 1/255 as written in preprocessor_config.json
MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]


def resize_output_size(height: int, width: int, size: int) -> tuple:
    short, long = (width, height) if width <= height else (height, width)
    new_short, new_long = size, int(size * long / short)
    return (new_long, new_short) if width <= height else (new_short, new_long)  # (height, width)


def dinov2_pixel_values(path: Path) -> np.ndarray:
    image = Image.open(path).convert("RGB")
    array = np.asarray(image)  # uint8 HWC
    height, width = array.shape[:2]
    new_h, new_w = resize_output_size(height, width, SHORTEST_EDGE)
    resized = np.asarray(Image.fromarray(array).resize((new_w, new_h), resample=Image.BICUBIC, reducing_gap=None))
    top, left = (new_h - CROP) // 2, (new_w - CROP) // 2
    cropped = resized[top : top + CROP, left : left + CROP]
    rescaled = (cropped.astype(np.float64) * RESCALE).astype(np.float32)
    mean = np.array(MEAN, dtype=rescaled.dtype)
    std = np.array(STD, dtype=rescaled.dtype)
    normalized = (rescaled - mean) / std
    return np.ascontiguousarray(normalized.transpose(2, 0, 1)).astype(np.float32)


def main() -> None:
    GOLDENS.mkdir(parents=True, exist_ok=True)
    for path in sorted(IMAGES.glob("*.png")):
        tensor = dinov2_pixel_values(path)
        buffer = io.BytesIO()
        np.save(buffer, tensor)
        out = GOLDENS / f"{path.stem}.pixel_values.npy.gz"
        # mtime=0: the same input gives byte-identical output, so re-running leaves git clean.
        out.write_bytes(gzip.compress(buffer.getvalue(), compresslevel=9, mtime=0))
        print(f"{out.relative_to(ROOT)}  shape {tensor.shape}  {out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
