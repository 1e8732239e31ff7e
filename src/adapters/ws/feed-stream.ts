import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { Action, Principal } from '../../core/access.js';
import { type Authenticator, principalOf, requireAccess } from '../http/auth.js';
import { checkOrigin } from '../http/origin-check.js';
import type { RedisStreamFeed } from '../redis/stream-feed.js';
import { compareStreamIds, type Hub } from './alert-hub.js';

export type FeedRouteOptions<T extends { streamId: string }> = {
  path: string;
  /** What a principal needs to subscribe. */
  action: Action;
  auth: Authenticator;
  hub: Hub<T>;
  feed: RedisStreamFeed<T>;
  heartbeatS: number;
  maxBufferedBytes: number;
  log: Logger;
  /** The frame a client receives for an item. */
  frame: (item: T) => Record<string, unknown>;
  /** Whether this principal may see this item (its estates). */
  visible: (principal: Principal, item: T) => boolean;
  /** Called once per subscription (the police feed's reads are audited). */
  onSubscribe?: (principal: Principal, req: FastifyRequest) => Promise<unknown>;
};

const Query = z.strictObject({
  after: z
    .string()
    .regex(/^(0|\d+-\d+)$/, 'must be a stream id like 1764115269000-0, or 0 for everything kept')
    .optional()
    .describe('resume strictly after this id; absent: only entries from now on'),
});
const ClientMessage = z.discriminatedUnion('type', [z.object({ type: z.literal('ping') })]);

const REPLAY_PAGE = 500;
/** Live items held while a client replays; past this the replay simply reads them from the stream instead. */
const MAX_HELD = 10_000;

/**
 * A WebSocket feed: the upgrade needs a bearer token whose role may read it; a client that reconnects with the id
 * of the last entry it saw first receives what it missed from the stream, then live entries, with no gap and no
 * duplicate (live entries that arrive during the replay are held and sent only if newer than what the replay
 * sent). A client that does not read is disconnected once its unsent data passes the bound, never buffered without
 * end; it resumes with `?after=`.
 */
export function feedRoute<T extends { streamId: string }>(app: FastifyInstance, o: FeedRouteOptions<T>): void {
  app.get(
    o.path,
    { websocket: true, onRequest: [checkOrigin, bearerFromSubprotocol, requireAccess(o.auth, o.action)] },
    (socket: WebSocket, req) => {
      const principal = principalOf(req);
      let live = false;
      let overflow = false;
      let held: T[] = [];
      let last = '0-0';

      const send = (msg: unknown): boolean => {
        if (socket.readyState !== socket.OPEN) return false;
        if (socket.bufferedAmount > o.maxBufferedBytes) {
          o.log.warn({ bufferedAmount: socket.bufferedAmount, path: o.path }, 'feed consumer too slow; disconnecting');
          socket.close(1013, 'consumer too slow; reconnect with ?after=<last id>');
          return false;
        }
        socket.send(JSON.stringify(msg));
        return true;
      };
      const sendItem = (item: T) => {
        if (compareStreamIds(item.streamId, last) <= 0) return;
        // an entry this principal may not see still moves its position, so a resume never re-reads it
        if (!o.visible(principal, item) || send({ ...o.frame(item), id: item.streamId })) last = item.streamId;
      };

      const unsubscribe = o.hub.subscribe((item) => {
        if (live) sendItem(item);
        else if (held.length < MAX_HELD) held.push(item);
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
          await o.onSubscribe?.(principal, req);
          last =
            query.data.after === undefined
              ? await o.feed.lastId()
              : query.data.after === '0'
                ? '0-0'
                : query.data.after;
          for (;;) {
            const page = await o.feed.readPage(last, REPLAY_PAGE);
            for (const item of page.items) sendItem(item);
            if (page.lastId && compareStreamIds(page.lastId, last) > 0) last = page.lastId;
            if (page.full) continue;
            if (!overflow) break;
            // more arrived during the replay than we hold: drop the held ones and read them from the stream too
            overflow = false;
            held = [];
          }
          live = true;
          for (const item of held) sendItem(item);
          held = [];
          send({ type: 'ready', lastId: last });
        } catch (err) {
          o.log.error({ err, path: o.path }, 'feed replay failed');
          socket.close(1011, 'replay failed; try again');
        }
      })();
    },
  );
}

/**
 * Browsers cannot set headers on a WebSocket: the page offers its token as the subprotocol pair
 * `linli.bearer, <token>` instead (still never in the URL), which becomes the Authorization header here.
 */
export function bearerFromSubprotocol(req: FastifyRequest, _reply: FastifyReply, done: () => void): void {
  if (req.headers.authorization) {
    done();
    return;
  }
  const offered = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim());
  const at = offered.indexOf('linli.bearer');
  const token = at >= 0 ? offered[at + 1] : undefined;
  if (token) req.headers.authorization = `Bearer ${token}`;
  done();
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
