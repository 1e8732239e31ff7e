import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { AlertUpdate } from '../../core/ports.js';
import type { RedisAlertFeed } from '../redis/alert-feed.js';
import { type AlertHub, compareStreamIds } from './alert-hub.js';

export type AlertsStreamOptions = {
  hub: AlertHub;
  feed: RedisAlertFeed;
  heartbeatS: number;
  maxBufferedBytes: number;
  log: Logger;
};

const Query = z.strictObject({
  after: z
    .string()
    .regex(/^(0|\d+-\d+)$/, 'must be a stream id like 1764115269000-0, or 0 for everything kept')
    .optional()
    .describe('resume strictly after this alert id; absent: only alerts from now on'),
});
const ClientMessage = z.discriminatedUnion('type', [z.object({ type: z.literal('ping') })]);

const REPLAY_PAGE = 500;
/** Live updates held while a client replays; past this the replay simply reads them from the stream instead. */
const MAX_HELD = 10_000;

/**
 * GET /ws/alerts?after=<id>: every alert change as JSON. A client that reconnects with the id of the last change it
 * saw first receives what it missed from the stream, then live changes, with no gap and no duplicate: live changes
 * that arrive during the replay are held and sent only if newer than what the replay sent.
 */
export function alertsStreamRoute(app: FastifyInstance, o: AlertsStreamOptions): void {
  app.get('/ws/alerts', { websocket: true }, (socket: WebSocket, req) => {
    let live = false;
    let overflow = false;
    let held: AlertUpdate[] = [];
    let last = '0-0';

    const send = (msg: unknown): boolean => {
      if (socket.readyState !== socket.OPEN) return false;
      if (socket.bufferedAmount > o.maxBufferedBytes) {
        o.log.warn({ bufferedAmount: socket.bufferedAmount }, 'alert consumer too slow; disconnecting');
        socket.close(1013, 'consumer too slow; reconnect with ?after=<last id>');
        return false;
      }
      socket.send(JSON.stringify(msg));
      return true;
    };
    const sendUpdate = (u: AlertUpdate) => {
      if (compareStreamIds(u.streamId, last) <= 0) return;
      if (send({ type: 'alert', id: u.streamId, change: u.change, alert: u.alert })) last = u.streamId;
    };

    const unsubscribe = o.hub.subscribe((u) => {
      if (live) sendUpdate(u);
      else if (held.length < MAX_HELD) held.push(u);
      else overflow = true;
    });
    const heartbeat = setInterval(
      () => send({ type: 'heartbeat', at: new Date().toISOString(), lastId: last }),
      o.heartbeatS * 1000,
    );
    socket.on('close', () => {
      unsubscribe();
      clearInterval(heartbeat);
    });
    socket.on('message', (data) => {
      const parsed = ClientMessage.safeParse(safeJson(data.toString()));
      if (!parsed.success)
        send({ type: 'error', error: 'unsupported message; the only client message is {"type":"ping"}' });
      else send({ type: 'pong', lastId: last });
    });

    const query = Query.safeParse(req.query);
    if (!query.success) {
      send({
        type: 'error',
        error: query.error.issues.map((i) => `query.${i.path.join('.')}: ${i.message}`).join('; '),
      });
      socket.close(1008, 'invalid query');
      return;
    }

    void (async () => {
      try {
        last =
          query.data.after === undefined ? await o.feed.lastId() : query.data.after === '0' ? '0-0' : query.data.after;
        for (;;) {
          const page = await o.feed.readAfter(last, REPLAY_PAGE);
          for (const u of page) sendUpdate(u);
          if (page.length === REPLAY_PAGE) continue;
          if (!overflow) break;
          // more arrived during the replay than we hold: drop the held ones and read them from the stream too
          overflow = false;
          held = [];
        }
        live = true;
        for (const u of held) sendUpdate(u);
        held = [];
        send({ type: 'ready', lastId: last });
      } catch (err) {
        o.log.error({ err }, 'alert replay failed');
        socket.close(1011, 'replay failed; try again');
      }
    })();
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
