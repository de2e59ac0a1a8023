import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectOnnxFile } from '../../../src/embedders/onnxFile';
import { FIXTURES, TINY_MODEL } from './fixtures';

const tiny = new Uint8Array(readFileSync(TINY_MODEL));
const text = (s: string) => new TextEncoder().encode(s);

describe('inspectOnnxFile', () => {
  it('summarises a whole ONNX file', () => {
    const summary = inspectOnnxFile(tiny, '"dinov2-tiny.onnx"');
    expect(summary).toMatchObject({ byteLength: tiny.length, irVersion: 8, producerName: 'latent-calibration-studio/build-standin', opsets: [{ domain: '', version: 17 }] });
    expect(summary.graphByteLength).toBeGreaterThan(tiny.length * 0.9);
  });

  it('says where a truncated file was cut, at any cut point', () => {
    for (const fraction of [0.01, 0.3, 0.5, 0.999]) {
      const cut = tiny.subarray(0, Math.floor(tiny.length * fraction));
      expect(() => inspectOnnxFile(cut, '"partial.onnx"'), `cut at ${fraction}`).toThrow(/^"partial\.onnx" is truncated: /);
    }
    expect(() => inspectOnnxFile(tiny.subarray(0, tiny.length / 2), 'm')).toThrow(/its graph section needs 8\d\.\d kB from byte \d+, but the file ends after 4\d\.\d kB \(a download or copy was cut short\)/);
    // Protobuf writes fields in number order, so the last bytes are opset_import (field 8), after graph (7).
    expect(() => inspectOnnxFile(tiny.subarray(0, tiny.length - 1), 'm')).toThrow(/its opset_import section needs/);
  });

  it('names formats people pick by mistake', () => {
    const cases: Array<[Uint8Array, RegExp]> = [
      [new Uint8Array(readFileSync(join(FIXTURES, 'images', 'chip_rgb_150x97.png'))), /is a PNG image, not an ONNX model\.$/],
      [new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0]), /is a JPEG image/],
      [text('<!DOCTYPE html><html><body>Sign in</body></html>'), /is an HTML page/],
      [text('version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 88500000\n'), /is a Git LFS pointer file/],
      [text('{"error": "Repository not found"}'), /is a JSON document/],
      [new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]), /is a ZIP archive/],
      [new Uint8Array([0x1f, 0x8b, 8, 0]), /is a gzip archive/],
    ];
    for (const [bytes, message] of cases) expect(() => inspectOnnxFile(bytes, 'x')).toThrow(message);
  });

  it('rejects arbitrary bytes and empty files as not ONNX', () => {
    expect(() => inspectOnnxFile(new Uint8Array(0), '"e.onnx"')).toThrow('"e.onnx" is empty (0 bytes).');
    expect(() => inspectOnnxFile(text('hello world, these are not weights'), '"t.onnx"')).toThrow(/^"t\.onnx" is not an ONNX model: /);
    const noise = Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24);
    expect(() => inspectOnnxFile(noise, '"n.onnx"')).toThrow(/^"n\.onnx" (is not an ONNX model|is truncated)/);
  });

  it('requires a graph', () => {
    // ir_version 8, producer "x", nothing else.
    expect(() => inspectOnnxFile(new Uint8Array([0x08, 0x08, 0x12, 0x01, 0x78]), '"h.onnx"')).toThrow('"h.onnx" has no graph');
  });
});
