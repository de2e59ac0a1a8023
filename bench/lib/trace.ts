/* eslint-disable @typescript-eslint/no-explicit-any -- trace event arguments are free-form */
import type { CDPSession } from 'playwright-core';

/** A Chromium trace event (CDP Tracing, JSON format); `dur`/`tdur` are wall and thread µs of complete ('X') events. */
export interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
  id?: string;
  args?: any;
}

/** Ends the CDP trace and returns its events (null when Chromium returned none). */
export async function readTrace(cdp: CDPSession | null): Promise<TraceEvent[] | null> {
  if (!cdp) return null;
  const done = new Promise<{ stream?: string }>((resolve) => cdp.once('Tracing.tracingComplete', (e) => resolve(e as { stream?: string })));
  await cdp.send('Tracing.end');
  const { stream } = await done;
  if (!stream) return null;
  let text = '';
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle: stream, size: 1 << 20 });
    text += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString('utf8') : chunk.data;
    if (chunk.eof) break;
  }
  await cdp.send('IO.close', { handle: stream });
  const parsed = JSON.parse(text);
  return Array.isArray(parsed) ? parsed : parsed.traceEvents;
}

/** The events of the page's main thread (CrRendererMain), or null when the trace names none. */
export function mainThreadEvents(events: TraceEvent[]): TraceEvent[] | null {
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  return main ? events.filter((e) => e.pid === main.pid && e.tid === main.tid) : null;
}

