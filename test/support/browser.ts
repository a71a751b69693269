// Headless Debian chromium for browser tests: launched through playwright-core with the system
// executable (nothing downloads a browser), WebGPU enabled, a throwaway profile per launch.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium; CHROMIUM_PATH points elsewhere when needed. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  // names the adapter ("SwiftShader Device") instead of an empty description
  '--enable-webgpu-developer-features',
  // this machine reaches no outside host: no background fetches, updates or sync
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

/** Launch chromium headless; `extraArgs` add flags, `keepThrottling` leaves background-tab throttling on. */
export async function launchBrowser(options: { extraArgs?: string[]; keepThrottling?: boolean } = {}): Promise<Browser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'sero-chromium-'));
  const ignoreDefaultArgs = ['--headless'];
  if (options.keepThrottling) {
    ignoreDefaultArgs.push('--disable-background-timer-throttling', '--disable-backgrounding-occluded-windows', '--disable-renderer-backgrounding');
  }
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...FLAGS, ...(options.extraArgs ?? [])],
    ignoreDefaultArgs,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Where a test writes screenshots and other artefacts (TEST_OUTPUT_DIR, else test-output/). */
export function testOutputDir(): string {
  const dir = process.env.TEST_OUTPUT_DIR ?? path.resolve('test-output');
  mkdirSync(dir, { recursive: true });
  return dir;
}
