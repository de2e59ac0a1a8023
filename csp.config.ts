/**
 * The Content-Security-Policy the app is served with (dev server, preview, and any static host that
 * copies it from docs/decisions.md, "Content-Security-Policy"): scripts and workers from the page's own
 * origin only (WebAssembly compiled from them: 'wasm-unsafe-eval'), network requests to the page's
 * origin and the model host only, no plugins, no framing. Styles allow inline: React's style attributes
 * and Plotly's injected stylesheet need it, and a style cannot send data anywhere connect-src forbids.
 */
export const DEV_SCRIPT_NONCE = 'lcs-dev-server';

/** Where the embedding models are downloaded from (the catalog's URLs and their redirects). */
export const MODEL_HOSTS = ['https://huggingface.co', 'https://*.huggingface.co', 'https://*.hf.co'];

/**
 * `dev`: the dev server's header; `built`: the preview server's header; `meta`: the built index.html's
 * <meta> copy for static hosts that send no header (a meta policy cannot say frame-ancestors).
 */
export function contentSecurityPolicy(mode: 'dev' | 'built' | 'meta'): string {
  const dev = mode === 'dev';
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    // Dev: Vite's client and React's refresh preamble are inline scripts with the dev nonce.
    'script-src': ["'self'", "'wasm-unsafe-eval'", ...(dev ? [`'nonce-${DEV_SCRIPT_NONCE}'`] : [])],
    'worker-src': ["'self'", 'blob:'],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'blob:', 'data:'],
    'font-src': ["'self'", 'data:'],
    // Dev: the dev server's websocket (hot reload), and loopback servers on this machine (the tests'
    // stand-in model host); neither leaves the machine.
    'connect-src': ["'self'", 'blob:', 'data:', ...MODEL_HOSTS, ...(dev ? ['ws:', 'wss:', 'http://127.0.0.1:*', 'http://localhost:*'] : [])],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'none'"],
    ...(mode === 'meta' ? {} : { 'frame-ancestors': ["'none'"] }),
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}
