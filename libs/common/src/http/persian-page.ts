import { readFileSync } from 'node:fs';

/**
 * The shell of the small public pages people open on a phone (certificate verification,
 * payment result): Persian, right-to-left, a phone viewport, one column, and nothing
 * fetched: the font (Vazirmatn) and the styles are inline. Served with its own strict
 * Content-Security-Policy (`PERSIAN_PAGE_CSP`): no scripts, no requests.
 */

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page's policy: inline styles and the inline font only; no script, no network, no framing. */
export const PERSIAN_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

let fontCache: string | null = null;

function fontFaces(): string {
  if (fontCache !== null) return fontCache;
  const face = (file: string, weight: number) => {
    try {
      const bytes = readFileSync(require.resolve(`vazirmatn/fonts/webfonts/${file}`));
      return `@font-face{font-family:'Vazirmatn';font-weight:${weight};font-display:block;src:url(data:font/woff2;base64,${bytes.toString('base64')}) format('woff2');}`;
    } catch {
      return ''; // the system's sans-serif then
    }
  };
  fontCache = face('Vazirmatn-Regular.woff2', 400) + face('Vazirmatn-Bold.woff2', 700);
  return fontCache;
}

export type PageTone = 'ok' | 'bad' | 'warn' | 'neutral';

const STYLE = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{font-family:'Vazirmatn',Tahoma,sans-serif;background:#f3f5f8;color:#1d2733;margin:0;line-height:1.8;font-size:16px}
main{max-width:34rem;margin:0 auto;padding:1rem}
.card{background:#fff;border-radius:.75rem;box-shadow:0 2px 12px rgba(0,0,0,.08);padding:1.25rem;overflow-wrap:anywhere}
.org{color:#5b6775;font-size:.9rem;margin:0 0 .75rem;text-align:center}
.status{border-radius:.6rem;padding:1rem;text-align:center;margin-bottom:1rem}
.status h1{font-size:1.5rem;margin:0}
.status p{margin:.25rem 0 0;font-size:.95rem}
.ok{background:#e3f4ea;color:#0a5c2f;border:1px solid #9fd6b4}
.bad{background:#fde8e8;color:#8a1c1c;border:1px solid #f1a9a9}
.warn{background:#fff4d6;color:#7a5300;border:1px solid #f0d36b}
.neutral{background:#eceff3;color:#333f4d;border:1px solid #cdd3da}
dl{margin:0;display:grid;grid-template-columns:minmax(7rem,40%) 1fr;gap:.1rem .75rem}
dt{color:#5b6775;font-size:.9rem;padding:.45rem 0;border-bottom:1px solid #eef0f3}
dd{margin:0;padding:.45rem 0;border-bottom:1px solid #eef0f3;font-weight:700;min-width:0}
.ltr{direction:ltr;unicode-bidi:isolate;display:inline-block}
.note{color:#5b6775;font-size:.85rem;margin:1rem 0 0}
`;

/** A whole page: a status box (tone, heading, line), the facts as label/value rows, notes under them. */
export function persianPage(input: {
  title: string;
  tone: PageTone;
  heading: string;
  line?: string;
  /** Label → value HTML (already escaped by the caller). */
  rows: Array<[string, string]>;
  /** Notes, already escaped HTML. */
  notes?: string[];
}): string {
  const rows = input.rows.map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${value}</dd>`).join('');
  return `<!doctype html>
<html lang="fa" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(input.title)}</title>
<style>${fontFaces()}${STYLE}</style>
</head>
<body>
<main>
<div class="card">
<p class="org">شهرداری قزوین — سامانه شهروندسپاری</p>
<div class="status ${input.tone}"><h1>${escapeHtml(input.heading)}</h1>${input.line ? `<p>${escapeHtml(input.line)}</p>` : ''}</div>
${rows ? `<dl>${rows}</dl>` : ''}
${(input.notes ?? []).map((n) => `<p class="note">${n}</p>`).join('\n')}
</div>
</main>
</body>
</html>`;
}

/** Whether the client asked for a page (a browser) rather than JSON: only an Accept that prefers text/html. */
export function prefersHtml(accepts: (types: string[]) => string | false): boolean {
  return accepts(['application/json', 'text/html']) === 'text/html';
}
