// Debian's Chromium, never a downloaded browser (`playwright install` cannot work offline).
// The flags stop Chromium calling home on a closed network, where every such attempt fails.
// Shared by playwright.config.ts, the screenshot script and the benchmarks.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const chromiumLaunchOptions = { executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS };
