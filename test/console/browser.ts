/** Debian's Chromium for the console tests (`.ci/run` installs it when missing). */
export const CHROMIUM = process.env.MAILROOM_CHROMIUM ?? '/usr/bin/chromium';

/** Headless, no sandbox (CI runs as root), nothing that reaches the network by itself. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
