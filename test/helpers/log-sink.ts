import { Writable } from 'node:stream';

export type LogLine = { level: number; msg?: string; [key: string]: unknown };
export type LogSink = { stream: Writable; lines: LogLine[]; text(): string };

/** A pino destination that keeps parsed JSON lines for assertions (as pino's own tests do with sink()). */
export function createLogSink(): LogSink {
  const lines: LogLine[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) {
        if (!line) continue;
        raw.push(line);
        try {
          lines.push(JSON.parse(line) as LogLine);
        } catch {
          // not JSON: kept in text() only
        }
      }
      done();
    },
  });
  return { stream, lines, text: () => raw.join('\n') };
}
