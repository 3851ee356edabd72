/**
 * Serves the calls made in one event-loop turn with one call of `run` (for example one SQL
 * statement for many rows instead of one statement each). Every caller still waits for, and
 * gets, its own result; when `run` fails, every call of that turn fails with its error.
 * `run` returns one result per input, in the order of the inputs.
 *
 * ```ts
 * const markDone = tickBatcher<string, void>(async (ids) => {
 *   await conn.execute('update job set ... where id = any(?::uuid[])', [`{${ids.join(',')}}`]);
 *   return ids.map(() => undefined);
 * });
 * await markDone(job.id); // jobs finishing together share one UPDATE
 * ```
 */
export function tickBatcher<I, O>(run: (inputs: I[]) => Promise<O[]>): (input: I) => Promise<O> {
  let pending: Array<{ input: I; resolve: (output: O) => void; reject: (err: unknown) => void }> = [];
  const flush = async (): Promise<void> => {
    const batch = pending;
    pending = [];
    try {
      const outputs = await run(batch.map((call) => call.input));
      if (outputs.length !== batch.length) throw new Error(`tickBatcher: ${outputs.length} results for ${batch.length} inputs`);
      batch.forEach((call, i) => call.resolve(outputs[i]));
    } catch (err) {
      for (const call of batch) call.reject(err ?? new Error('batched call failed'));
    }
  };
  return (input: I) =>
    new Promise<O>((resolve, reject) => {
      pending.push({ input, resolve, reject });
      if (pending.length === 1) setImmediate(() => void flush());
    });
}
