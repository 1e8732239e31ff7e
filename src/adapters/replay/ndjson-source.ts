import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import type { IncomingMessage } from '../../core/ingest.js';
import { parseTopic } from '../mqtt/topics.js';

/**
 * A recorded message: its MQTT topic and its payload, as the device sent it (a JSON object, or the raw text when the
 * recording kept it verbatim). One per line; the simulator's `--ndjson` writes this format.
 */
export const RecordedMessageSchema = z.strictObject({
  topic: z.string().min(1).max(512),
  payload: z.union([z.record(z.string(), z.unknown()), z.string()]),
});

export type ReplayItem = { message: IncomingMessage } | { line: number; error: string };

/** Reads an NDJSON recording line by line; a bad line is reported with its number and skipped, never fatal. */
export async function* readRecording(path: string): AsyncGenerator<ReplayItem> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  for await (const text of lines) {
    n++;
    if (text.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      yield { line: n, error: `not JSON: ${(err as Error).message.split("'")[0]?.trim()}` };
      continue;
    }
    const parsed = RecordedMessageSchema.safeParse(json);
    if (!parsed.success) {
      yield {
        line: n,
        error: parsed.error.issues.map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`).join('; '),
      };
      continue;
    }
    const { topic, payload } = parsed.data;
    yield {
      message: {
        topic,
        origin: parseTopic(topic),
        payload: Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)),
      },
    };
  }
}
