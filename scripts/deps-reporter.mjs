/**
 * dependency-cruiser reporter for `npm run -s deps:check`: the rule violations of
 * .dependency-cruiser.cjs, plus the one rule dependency-cruiser cannot state — no cycle
 * between module folders (src/modules/<m>, libs/<l>, src/config, src/database, src/cli): a
 * folder-level cycle (membership → org-api → membership) needs no cycle between files, so
 * it is found here on the graph of folders. Exit code 1 when there is either.
 */

/** The folder a file belongs to for the cycle check (null: the application's root files, which wire everything). */
function folderOf(path) {
  const m = path.match(/^(src\/modules\/[^/]+|libs\/[^/]+|src\/[^/]+)\//);
  return m ? m[1] : null;
}

/** Strongly connected components of more than one folder (Tarjan). */
function cycles(graph) {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const scc = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) found.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

export default function report(result) {
  const lines = [];
  for (const v of result.summary.violations) {
    const via = v.cycle?.length ? ` (cycle: ${v.cycle.map((c) => c.name ?? c).join(' → ')})` : '';
    lines.push(`  error ${v.rule.name}: ${v.from} → ${v.to}${via}`);
  }

  const graph = new Map();
  const edges = new Map();
  for (const m of result.modules) {
    const from = folderOf(m.source);
    if (!from) continue;
    if (!graph.has(from)) graph.set(from, new Set());
    for (const d of m.dependencies) {
      const to = d.resolved && folderOf(d.resolved);
      if (!to || to === from || d.coreModule || d.couldNotResolve) continue;
      graph.get(from).add(to);
      const key = `${from} → ${to}`;
      if (!edges.has(key)) edges.set(key, `${m.source} → ${d.resolved}`);
    }
  }
  const folderCycles = cycles(graph);
  for (const scc of folderCycles) {
    lines.push(`  error no-folder-cycle: ${scc.join(', ')} import each other:`);
    for (const a of scc) for (const b of scc) if (edges.has(`${a} → ${b}`)) lines.push(`      ${a} → ${b} (e.g. ${edges.get(`${a} → ${b}`)})`);
  }

  const problems = result.summary.violations.length + folderCycles.length;
  const summary = `${result.summary.totalCruised} modules, ${result.summary.totalDependenciesCruised} dependencies, ${graph.size} folders cruised`;
  return {
    output: problems ? `${lines.join('\n')}\n\n✘ ${problems} dependency problem(s). ${summary}\n` : `✔ dependency rules hold, no folder cycle (${summary})\n`,
    exitCode: problems ? 1 : 0,
  };
}
