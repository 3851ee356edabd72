export type Lang = 'fa' | 'en';

/**
 * Picks the response language from an Accept-Language header: Persian by default,
 * English when English is preferred over Persian.
 */
export function pickLanguage(header: string | string[] | undefined): Lang {
  const raw = Array.isArray(header) ? header.join(',') : header;
  if (!raw) return 'fa';
  const ranked = raw
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return { tag, weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((x) => x.tag && x.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag === 'fa' || tag.startsWith('fa-')) return 'fa';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'fa';
}
