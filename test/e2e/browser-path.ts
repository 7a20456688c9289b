/** Where the browser tests find Chromium (Debian's by default; see global-setup.ts). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
