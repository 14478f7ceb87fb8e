// What the referrer's desk prints after an Open Day: one claim code per card.
// Names stay in identity: a card carries the recipient's line number in the batch.

export interface CodeSheetRow {
  /** 1-based line of the recipient in the batch as it was sent. */
  line: number;
  grantId: string;
  status: string;
  programName: string;
  amountCents: number;
  claimCode: string;
  expiresAt: Date;
}

/** A CSV field, quoted when needed; a leading = + - @ is defused for spreadsheets. */
function csvField(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function codeSheetCsv(rows: CodeSheetRow[]): string {
  const header = ['line', 'grant_id', 'status', 'program', 'amount_cents', 'claim_code', 'expires_at'];
  const lines = rows.map((r) =>
    [r.line, r.grantId, r.status, r.programName, r.amountCents, r.claimCode, r.expiresAt.toISOString()]
      .map(csvField)
      .join(','),
  );
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

const euros = (cents: number) => `€ ${(cents / 100).toFixed(2).replace('.', ',')}`;

/** A printable page of cut-out cards (dashed borders), one per code. */
export function codeSheetHtml(rows: CodeSheetRow[], title: string): string {
  const cards = rows
    .map(
      (r) => `<section class="card">
  <p class="line">#${r.line}</p>
  <h2>${escapeHtml(r.programName)}</h2>
  <p class="amount">${escapeHtml(euros(r.amountCents))}</p>
  <p class="code">${escapeHtml(r.claimCode)}</p>
  <p class="small">Attiva il buono su Mentoring con questo codice entro il ${escapeHtml(r.expiresAt.toISOString().slice(0, 10))}.<br>Claim it on Mentoring with this code.</p>
</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="it"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body { font-family: sans-serif; margin: 1cm; }
.cards { display: grid; grid-template-columns: repeat(2, 1fr); gap: 0.5cm; }
.card { border: 2px dashed #555; padding: 0.6cm; break-inside: avoid; }
.code { font-family: monospace; font-size: 22pt; letter-spacing: 0.15em; }
.line, .small { color: #444; font-size: 9pt; }
</style></head>
<body><h1>${escapeHtml(title)}</h1>
<div class="cards">
${cards}
</div></body></html>
`;
}
