// Browser tests drive a real Chromium. Find it, or say in one line how to get it.
import { existsSync } from 'node:fs';

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
const found = candidates.find((p) => existsSync(p));
if (!found) {
  console.error(
    'Chromium not found: set CHROMIUM_PATH, or install it with `sudo apt-get install -y chromium` (Debian).',
  );
  process.exit(1);
}
