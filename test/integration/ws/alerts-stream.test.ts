import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { AlertDecision } from '../../../src/core/alerts.js';
import { deviceAlarmDraft } from '../../../src/core/rules/device-alarm.js';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { waitFor } from '../../helpers/wait.js';

type Frame = { type: string; id?: string; change?: string; lastId?: string; alert?: { deviceId?: string } };

function raiseAlarm(gw: TestGateway, deviceId: string, ms: number): AlertDecision {
  const binding = gw.registry.device('tiny', deviceId);
  if (!binding) throw new Error(`no device ${deviceId}`);
  const draft = deviceAlarmDraft(binding, 'tamper', new Date(ms).toISOString());
  return { action: 'raise', draft, eventMs: ms, fingerprint: `active|${ms}` };
}

async function connect(gw: TestGateway, query = ''): Promise<{ ws: WebSocket; frames: Frame[] }> {
  const frames: Frame[] = [];
  const ws = await gw.app.injectWS(
    `/ws/alerts${query}`,
    { headers: gw.as('operator') },
    {
      onInit: (socket) => socket.on('message', (d) => frames.push(JSON.parse(d.toString()) as Frame)),
    },
  );
  return { ws, frames };
}

const alertIds = (frames: Frame[]) => frames.filter((f) => f.type === 'alert').map((f) => f.id as string);

describe('alert WebSocket feed', () => {
  let gw: TestGateway | undefined;
  afterEach(async () => {
    await gw?.cleanup();
    gw = undefined;
  });

  it('replays what a reconnecting client missed, then goes live, with no gap and no duplicate', async () => {
    gw = await startTestGateway();
    const store = gw.alerts;
    const t0 = Date.parse('2026-11-20T10:00:00Z');
    await store.apply([raiseAlarm(gw, 'lock-b1-101', t0), raiseAlarm(gw, 'lock-b1-102', t0)]);

    const first = await connect(gw, '?after=0');
    await waitFor(() => first.frames.some((f) => f.type === 'ready'), 'replay of the first client');
    const seen = alertIds(first.frames);
    expect(seen).toHaveLength(2);
    first.ws.terminate();

    // while the client is away: two changes; then one more once it is back
    await store.apply([raiseAlarm(gw, 'lock-b1-201', t0 + 1000), raiseAlarm(gw, 'gate-b1', t0 + 2000)]);
    const again = await connect(gw, `?after=${seen.at(-1)}`);
    await waitFor(() => again.frames.some((f) => f.type === 'ready'), 'replay after reconnect');
    await store.apply([raiseAlarm(gw, 'stair-b1-1', t0 + 3000)]);
    await waitFor(() => alertIds(again.frames).length === 3, 'the live alert');

    const resumed = alertIds(again.frames);
    expect(new Set([...seen, ...resumed]).size).toBe(5);
    expect(resumed.every((id) => !seen.includes(id))).toBe(true);
    expect(again.frames.filter((f) => f.type === 'alert').map((f) => f.alert?.deviceId)).toEqual([
      'lock-b1-201',
      'gate-b1',
      'stair-b1-1',
    ]);
    again.ws.terminate();
  });

  it('resumes across a gateway restart: both feeds, no gap and no duplicate', async () => {
    const first = await startTestGateway();
    const t0 = Date.parse('2026-11-20T10:00:00Z');
    const smoke = (deviceId: string, ms: number): AlertDecision => ({
      ...raiseAlarm(first, deviceId, ms),
      police: {
        type: 'alarm',
        at: new Date(ms).toISOString(),
        estateId: 'tiny',
        deviceId,
        alarm: 'smoke',
        active: true,
        severity: 'critical',
      },
    });
    await first.alerts.apply([smoke('lock-b1-101', t0)]);
    const policeFrames = async (g: TestGateway, query: string) => {
      const frames: Frame[] = [];
      const ws = await g.app.injectWS(
        `/ws/police${query}`,
        { headers: g.as('police') },
        {
          onInit: (s) => s.on('message', (d) => frames.push(JSON.parse(String(d)) as Frame)),
        },
      );
      await waitFor(() => frames.some((f) => f.type === 'ready'), 'police replay');
      return { ws, frames };
    };
    const before = await connect(first, '?after=0');
    const policeBefore = await policeFrames(first, '?after=0');
    await waitFor(() => before.frames.some((f) => f.type === 'ready'), 'replay');
    const lastAlert = alertIds(before.frames).at(-1) as string;
    const lastPolice = policeBefore.frames.filter((f) => f.type === 'police').at(-1)?.id as string;
    expect(lastPolice).toBeDefined();
    before.ws.terminate();
    policeBefore.ws.terminate();
    await first.stop(); // keys stay: the next gateway takes over the same Redis

    gw = await startTestGateway({ prefix: first.prefix });
    await gw.alerts.apply([smoke('lock-b1-102', t0 + 1000), smoke('lock-b1-201', t0 + 2000)]);
    const after = await connect(gw, `?after=${lastAlert}`);
    const policeAfter = await policeFrames(gw, `?after=${lastPolice}`);
    await waitFor(() => after.frames.some((f) => f.type === 'ready'), 'replay after the restart');
    expect(after.frames.filter((f) => f.type === 'alert').map((f) => f.alert?.deviceId)).toEqual([
      'lock-b1-102',
      'lock-b1-201',
    ]);
    const entries = policeAfter.frames.filter((f) => f.type === 'police') as (Frame & {
      entry: { deviceId: string };
    })[];
    expect(entries.map((f) => f.entry.deviceId)).toEqual(['lock-b1-102', 'lock-b1-201']);
    after.ws.terminate();
    policeAfter.ws.terminate();
  });

  it('sends only new alerts to a client that gives no id', async () => {
    gw = await startTestGateway();
    const t0 = Date.parse('2026-11-20T10:00:00Z');
    await gw.alerts.apply([raiseAlarm(gw, 'lock-b1-101', t0)]);
    const c = await connect(gw);
    await waitFor(() => c.frames.some((f) => f.type === 'ready'), 'ready');
    await gw.alerts.apply([raiseAlarm(gw, 'lock-b1-102', t0)]);
    await waitFor(() => alertIds(c.frames).length === 1, 'one live alert');
    expect(c.frames.find((f) => f.type === 'alert')?.alert?.deviceId).toBe('lock-b1-102');
    c.ws.terminate();
  });

  it('refuses a malformed resume id with a message that says what is expected', async () => {
    gw = await startTestGateway();
    const c = await connect(gw, '?after=yesterday');
    await waitFor(() => c.frames.length > 0, 'an error frame');
    expect(c.frames[0]).toMatchObject({ type: 'error' });
    expect(JSON.stringify(c.frames[0])).toContain('query.after');
  });

  it('answers an unknown client message with an error and keeps the connection', async () => {
    gw = await startTestGateway();
    const c = await connect(gw);
    await waitFor(() => c.frames.some((f) => f.type === 'ready'), 'ready');
    c.ws.send('{"type":"subscribe-everything"}');
    c.ws.send('{"type":"ping"}');
    await waitFor(() => c.frames.some((f) => f.type === 'pong'), 'pong');
    expect(c.frames.some((f) => f.type === 'error')).toBe(true);
    c.ws.terminate();
  });
});
