// Harness: exposes the real generator pool to Playwright's page.evaluate.
import { GeneratorPool } from '../../../src/runtime/generatorPool';

async function sha256(bytes: ArrayBufferView | ArrayBuffer): Promise<string> {
  const buffer = bytes instanceof ArrayBuffer ? bytes : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', buffer as ArrayBuffer));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function fetchBytes(url: string): Promise<ArrayBuffer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

/** Encodes a canvas-drawn test picture as the given browser format (JPEG, WebP). */
async function canvasImage(type: string, width = 64, height = 48): Promise<ArrayBuffer> {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#808080';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#303030';
  ctx.fillRect(8, 8, 16, 16);
  return (await canvas.convertToBlob({ type, quality: 0.9 })).arrayBuffer();
}

Object.assign(window, { GeneratorPool, sha256, fetchBytes, canvasImage, harnessReady: true });
