import type { AddressInfo } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertDecision } from '../../src/core/alerts.js';
import { deviceAlarmDraft } from '../../src/core/rules/device-alarm.js';
import { raiseGroupRental } from '../helpers/core-fixtures.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

// Debian's chromium (installed by .ci/run); Playwright never downloads a browser here.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function smoke(gw: TestGateway, deviceId: string, ms: number): AlertDecision {
  const binding = gw.registry.device('tiny', deviceId);
  if (!binding) throw new Error(`no device ${deviceId}`);
  return {
    action: 'raise',
    draft: deviceAlarmDraft(binding, 'smoke', new Date(ms).toISOString()),
    eventMs: ms,
    fingerprint: `a|${ms}`,
  };
}

const groupRental = (ms: number) =>
  raiseGroupRental('b1-201', 11, ms, { buildingId: 'b1', floor: 2, summary: 'Unit b1-201: about 11 people.' });

describe('control-room page in a real browser', () => {
  let gw: TestGateway;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    gw = await startTestGateway({ listen: true });
    url = `http://127.0.0.1:${(gw.app.server.address() as AddressInfo).port}/`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  });
  afterAll(async () => {
    await browser?.close();
    await gw?.cleanup();
  });

  it('shows the alerts kept in the feed, then new ones live', async () => {
    const t0 = Date.parse('2026-11-20T10:00:00Z');
    await gw.alerts.apply([smoke(gw, 'smoke-b1-101', t0)]);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.fill('#token', 'test-operator.not-the-secret');
    await page.click('#signin button');
    await page.waitForSelector('#conn:text("token refused: sign in again")');
    await page.fill('#token', gw.tokens.operator);
    await page.click('#signin button');
    await page.waitForSelector('#conn.live');
    expect(await page.locator('#signin').isHidden()).toBe(true);
    await expect.poll(() => page.locator('#rows tr').count()).toBe(1);
    expect(await page.locator('#rows tr').first().textContent()).toContain('smoke detected at unit b1-101');

    await gw.alerts.apply([smoke(gw, 'lock-b1-102', t0 + 60_000)]);
    await expect.poll(() => page.locator('#rows tr').count()).toBe(2);
    expect(await page.locator('#rows').textContent()).toContain('b1-102');

    // a group-rental alert becomes a case; the operator acknowledges it from the list
    await gw.alerts.apply([groupRental(t0 + 120_000)]);
    await expect.poll(() => page.locator('#cases tr').count()).toBe(1);
    expect(await page.locator('#cases tr').textContent()).toContain('candidate');
    await page.click('#cases button[data-ack]');
    await expect.poll(() => page.locator('#cases tr').textContent()).toContain('acknowledged');
    expect(errors).toEqual([]);
    await page.close();
  });
});
