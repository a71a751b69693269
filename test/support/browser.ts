// Headless Debian chromium and firefox-esr for browser tests, both driven by puppeteer-core with
// the system executables (nothing downloads a browser): chromium over CDP, Firefox over WebDriver
// BiDi, each in a throwaway profile (browser-profiles.ts) with WebGPU on, plus the few page
// helpers the tests share.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser as Driver, type Page } from 'puppeteer-core';
import { CHROMIUM_FLAGS, FIREFOX_ENV, FIREFOX_PREFS } from './browser-profiles.js';

export type Engine = 'chromium' | 'firefox';
export const ENGINES: readonly Engine[] = ['chromium', 'firefox'];

/** Debian's executables; CHROMIUM_PATH and FIREFOX_PATH point elsewhere when needed. */
export const BROWSER_PATHS: Record<Engine, string> = {
  chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  firefox: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
};

/** A skip reason when the engine is not installed here, false when it is or in CI (where a missing browser fails). */
export function engineSkip(engine: Engine): string | false {
  return existsSync(BROWSER_PATHS[engine]) || process.env.CI === 'true' ? false : `no ${engine} at ${BROWSER_PATHS[engine]}`;
}

export interface LaunchOptions {
  /** Host names the browser resolves to 127.0.0.1 (a rebound name, say). */
  readonly loopbackNames?: readonly string[];
  /** A program started in the browser's place with its arguments, which starts the browser itself (under a tracer, say). */
  readonly wrapper?: string;
}

export interface Browser {
  readonly engine: Engine;
  readonly driver: Driver;
  /** The tab the browser opened with. */
  readonly page: Page;
  close(): Promise<void>;
}

export async function launchBrowser(engine: Engine, options: LaunchOptions = {}): Promise<Browser> {
  const names = options.loopbackNames ?? [];
  const env = { ...process.env, ...(engine === 'firefox' ? FIREFOX_ENV : {}) };
  const driver = await puppeteer.launch({
    browser: engine === 'firefox' ? 'firefox' : 'chrome',
    executablePath: options.wrapper ?? BROWSER_PATHS[engine],
    headless: true,
    env,
    timeout: 60_000,
    // a page call may run for minutes (a search that builds its DAG first): the tests' own timeouts govern
    protocolTimeout: 900_000,
    ...(engine === 'firefox'
      ? {
          // 'network.dns.localDomains' resolves these names to loopback
          extraPrefsFirefox: { ...FIREFOX_PREFS, ...(names.length > 0 ? { 'network.dns.localDomains': names.join(',') } : {}) },
        }
      : {
          args: [
            ...CHROMIUM_FLAGS,
            // no name but loopback's resolves: nothing the browser does in the background finds a server
            `--host-resolver-rules=${[...names.map((n) => `MAP ${n} 127.0.0.1`), 'MAP * ~NOTFOUND', 'EXCLUDE localhost', 'EXCLUDE 127.0.0.1', 'EXCLUDE [::1]'].join(',')}`,
          ],
        }),
  });
  const page = (await driver.pages())[0] ?? (await driver.newPage());
  return {
    engine,
    driver,
    page,
    close: () => driver.close(),
  };
}

/** The browser's name as the page reports it in bench JSON ("Chrome 156", "Firefox 153"). */
export function reportedBrowser(engine: Engine): RegExp {
  return engine === 'firefox' ? /^Firefox \d+$/ : /^Chrome \d+$/;
}

/** Rendered text of the first element matching the selector. */
export function text(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (element) => (element as HTMLElement).innerText);
}

export function attribute(page: Page, selector: string, name: string): Promise<string | null> {
  return page.$eval(selector, (element, n) => element.getAttribute(n), name);
}

/** A form control's value, checked and disabled states. */
export function control(page: Page, selector: string): Promise<{ value: string; checked: boolean; disabled: boolean }> {
  return page.$eval(selector, (element) => {
    const input = element as HTMLInputElement;
    return { value: input.value, checked: input.checked, disabled: input.disabled };
  });
}

/** Replaces a text field's content as typing would. */
export async function fill(page: Page, selector: string, value: string): Promise<void> {
  await page.locator(selector).fill(value);
}

/** Where a test writes screenshots and other artefacts (TEST_OUTPUT_DIR, else test-output/). */
export function testOutputDir(): string {
  const dir = process.env.TEST_OUTPUT_DIR ?? path.resolve('test-output');
  mkdirSync(dir, { recursive: true });
  return dir;
}
