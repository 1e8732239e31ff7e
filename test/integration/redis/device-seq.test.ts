import { describe, expect, it } from 'vitest';
import { RedisCorrelationStore } from '../../../src/adapters/redis/correlation-store.js';
import { parseSeqRun } from '../../../src/adapters/redis/seq-run.js';
import type { AcceptedEvent } from '../../../src/core/intake.js';
import {
  accept,
  accessPayload,
  alarmPayload,
  at,
  credentialPayload,
  detection,
  facePayload,
  iso,
  tinyEstate,
} from '../../helpers/core-fixtures.js';
import { keySlot } from '../../helpers/key-slot.js';
import { useRedis } from '../../helpers/redis.js';

const ctx = useRedis();
const estate = tinyEstate();
const events = () => new RedisCorrelationStore({ redis: ctx.redis, keys: ctx.keys, detection: () => detection() });

const MINUTE = 60_000;
const T0 = at(0, '06:00:00');

/** One event of each script's kind, with the seq and time given (ids unique per run, as the contract says). */
const MAKERS: Record<string, (id: string, seq: number, ms: number) => AcceptedEvent> = {
  'lock-b1-101': (id, seq, ms) => accept('lock-b1-101', { ...accessPayload(id, ms, 'c1'), seq }),
  'lock-b1-102': (id, seq, ms) => accept('lock-b1-102', { ...credentialPayload(id, ms, 'enrolled', `c${seq}`), seq }),
  'gate-b1': (id, seq, ms) => accept('gate-b1', { ...facePayload(id, ms, `p${seq}`), seq }),
  'gate-main': (id, seq, ms) => accept('gate-main', { ...facePayload(id, ms, `p${seq}`), seq }),
  'stair-b1-1': (id, seq, ms) =>
    accept('stair-b1-1', { id, seq, ts: iso(ms), type: 'passage', in: 1, out: 0, periodS: 60 }),
  'smoke-b1-101': (id, seq, ms) =>
    accept('smoke-b1-101', { ...alarmPayload(id, ms, 'low-battery', seq % 2 === 0), seq }),
};

/** Events of seqs `from..to` of one run, minus `missing`, a minute apart from `startMs`. */
function run(deviceId: string, run: string, from: number, to: number, missing: number[], startMs = T0) {
  const make = MAKERS[deviceId] as (id: string, seq: number, ms: number) => AcceptedEvent;
  const out: AcceptedEvent[] = [];
  for (let seq = from; seq <= to; seq++) {
    if (!missing.includes(seq)) out.push(make(`${run}-${seq}`, seq, startMs + (seq - from) * MINUTE));
  }
  return out;
}

/** A fixed permutation (a seeded LCG), so a failure can be replayed. */
function shuffled<T>(items: readonly T[], seed = 7): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

async function feedOneByOne(list: readonly AcceptedEvent[]): Promise<void> {
  for (const e of list) await events().applyEvents([e]);
}

async function lostOf(deviceId: string) {
  const run = await ctx.redis.hget(
    ctx.keys.deviceStatus('tiny', estate.devices.get(deviceId)?.buildingId, deviceId),
    'seq',
  );
  return run === null ? undefined : parseSeqRun(run);
}

describe('lost events from seq gaps, kept by the event scripts', () => {
  for (const deviceId of Object.keys(MAKERS)) {
    it(`counts the same lost events of ${deviceId} in order, shuffled and duplicated`, async () => {
      const list = run(deviceId, 'r', 0, 29, [5, 11, 12, 28]);
      await feedOneByOne(list);
      const inOrder = await lostOf(deviceId);
      expect(inOrder).toEqual({ lost: 4, resets: 0, highestSeq: 29 });

      await ctx.redis.hdel(ctx.keys.deviceStatus('tiny', estate.devices.get(deviceId)?.buildingId, deviceId), 'seq');
      // a fresh device id space: the idempotency buckets still hold the first pass, so use new ids
      const again = run(deviceId, 's', 0, 29, [5, 11, 12, 28]);
      const mixed = shuffled([...again, ...shuffled(again, 3)]);
      await events().applyEvents(mixed.slice(0, 20));
      await feedOneByOne(mixed.slice(20));
      expect(await lostOf(deviceId)).toEqual(inOrder);
    });
  }

  it('fills a gap when its event arrives late, and never counts a redelivery', async () => {
    const [e0, e1, e2, e3] = run('lock-b1-101', 'r', 0, 3, []) as [
      AcceptedEvent,
      AcceptedEvent,
      AcceptedEvent,
      AcceptedEvent,
    ];
    await feedOneByOne([e0, e1, e3]);
    expect((await lostOf('lock-b1-101'))?.lost).toBe(1);
    await feedOneByOne([e3, e1, e0]);
    expect((await lostOf('lock-b1-101'))?.lost).toBe(1);
    await feedOneByOne([e2]);
    expect((await lostOf('lock-b1-101'))?.lost).toBe(0);
  });

  it('does not count the seqs before the first one heard as lost (a gateway joining a running device)', async () => {
    await feedOneByOne(run('gate-b1', 'r', 5121, 5125, []));
    expect(await lostOf('gate-b1')).toEqual({ lost: 0, resets: 0, highestSeq: 5125 });
  });

  it('starts a new run after a factory reset, keeping what the run before lost', async () => {
    const before = run('stair-b1-1', 'old', 0, 9, [4]);
    const after = run('stair-b1-1', 'new', 0, 5, [2], T0 + 60 * MINUTE);
    await feedOneByOne([...before, ...after]);
    expect(await lostOf('stair-b1-1')).toEqual({ lost: 2, resets: 1, highestSeq: 5 });
  });

  it('lets a late event of the run before the reset fill the gap it left there', async () => {
    const before = run('stair-b1-1', 'old', 0, 9, []);
    const late = before.splice(4, 1);
    const after = run('stair-b1-1', 'new', 0, 5, [], T0 + 60 * MINUTE);
    await feedOneByOne([...before, ...after]);
    expect((await lostOf('stair-b1-1'))?.lost).toBe(1);
    await feedOneByOne(late);
    expect(await lostOf('stair-b1-1')).toEqual({ lost: 0, resets: 1, highestSeq: 5 });
  });

  it('takes a seq already seen in a run without a gap for a reset, even at the same time', async () => {
    await feedOneByOne(run('lock-b1-101', 'old', 0, 3, []));
    await feedOneByOne(run('lock-b1-101', 'new', 1, 2, []));
    expect(await lostOf('lock-b1-101')).toEqual({ lost: 0, resets: 1, highestSeq: 2 });
  });

  it('takes a jump of millions for a corrupted counter, not for lost events', async () => {
    const make = MAKERS['lock-b1-101'] as (id: string, seq: number, ms: number) => AcceptedEvent;
    await feedOneByOne([
      make('a', 10, T0),
      make('b', 9_000_000_000, T0 + MINUTE),
      make('c', 9_000_000_001, T0 + 2 * MINUTE),
    ]);
    expect(await lostOf('lock-b1-101')).toMatchObject({ lost: 0, resets: 1 });
  });

  it("keeps a device's seq run in its status, in the slot of its idempotency blocks, never shortening its TTL", async () => {
    await feedOneByOne(run('lock-b1-101', 'r', 0, 1, []));
    const device = ctx.keys.deviceStatus('tiny', 'b1', 'lock-b1-101');
    expect(keySlot(device)).toBe(keySlot(ctx.keys.seen('tiny', 'b1', 'lock-b1-101', 0)));
    const ttl = await ctx.redis.pttl(device);
    expect(ttl).toBeGreaterThan(14 * 86_400_000);
    // a status keeps the HASH longer; an event after it leaves that TTL as it is
    await ctx.redis.pexpire(device, 100 * 86_400_000);
    await feedOneByOne(run('lock-b1-101', 'r', 2, 3, []));
    expect(await ctx.redis.pttl(device)).toBeGreaterThan(99 * 86_400_000);
    expect(await ctx.redis.hget(device, 'seq')).toMatch(/^0 3 /);
  });
});
