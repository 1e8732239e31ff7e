/** Wall-clock milliseconds with sub-millisecond precision, comparable between the bench's processes on one machine. */
export const wallMs = (): number => performance.timeOrigin + performance.now();
