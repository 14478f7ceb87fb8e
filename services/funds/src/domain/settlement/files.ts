// The files an approved settlement run produces: a SEPA credit transfer
// initiation (ISO 20022 pain.001.001.09) for the bank and a CSV for accounting.
// Pure functions: amounts are integer cents, formatted without floating point.

/** `12345` → `"123.45"` (integer arithmetic only). */
export function euros(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new Error(`not a whole number of cents: ${cents}`);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Whether XML 1.0 can carry the code point (no control characters but tab/newlines, no surrogates, not U+FFFE/U+FFFF). */
function xmlChar(cp: number): boolean {
  if (cp === 0x9 || cp === 0xa || cp === 0xd) return true;
  if (cp < 0x20) return false;
  if (cp >= 0xd800 && cp <= 0xdfff) return false;
  return cp !== 0xfffe && cp !== 0xffff;
}

/** Text or attribute content, escaped; characters XML cannot represent are dropped. */
export function xmlText(value: string): string {
  return Array.from(value)
    .filter((ch) => xmlChar(ch.codePointAt(0)!))
    .join('')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** At most `max` characters (code points), whitespace collapsed. */
export function clip(value: string, max: number): string {
  return Array.from(value.replace(/\s+/g, ' ').trim()).slice(0, max).join('');
}

/** An IBAN as banks want it: no spaces, upper case. */
export const compactIban = (iban: string) => iban.replace(/\s+/g, '').toUpperCase();

/** A payout id as a SEPA reference (EndToEndId ≤ 35): the UUID without dashes (32 characters). */
export const sepaReference = (id: string) => id.replace(/-/g, '').slice(0, 35);

export interface SepaDebtor {
  name: string;
  iban: string;
  bic?: string | undefined;
}

export interface SepaPayment {
  payoutId: string;
  amountCents: number;
  creditorName: string;
  iban: string;
  redemptionIds: string[];
}

export interface SepaFile {
  /** ≤ 35 characters, unique per file. */
  messageId: string;
  createdAt: Date;
  /** YYYY-MM-DD. */
  executionDate: string;
  debtor: SepaDebtor;
  /** The initiating party's name (default: the debtor's). */
  initiatingParty?: string;
  payments: SepaPayment[];
}

export const PAIN_001_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09';

/** Remittance information: the redemption ids, at most 140 characters. */
export function remittance(redemptionIds: string[]): string {
  const text = `Mentoring ${redemptionIds.join(' ')}`;
  return Array.from(text).length <= 140 ? text : `${clip(text, 139)}…`;
}

/** The pain.001.001.09 document for one batch of credit transfers (at least one payment). */
export function sepaCreditTransfer(file: SepaFile): string {
  if (file.payments.length === 0) throw new Error('A SEPA file needs at least one payment.');
  if (file.messageId.length > 35) throw new Error('MsgId is at most 35 characters.');
  const total = file.payments.reduce((sum, p) => sum + p.amountCents, 0);
  const count = file.payments.length;
  const created = `${file.createdAt.toISOString().slice(0, 19)}Z`;
  const t = (name: string, value: string) => `<${name}>${xmlText(value)}</${name}>`;
  const debtorName = clip(file.debtor.name, 70);
  const agent = file.debtor.bic
    ? `<DbtrAgt><FinInstnId><BICFI>${xmlText(file.debtor.bic.trim().toUpperCase())}</BICFI></FinInstnId></DbtrAgt>`
    : '<DbtrAgt><FinInstnId><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId></DbtrAgt>';
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<Document xmlns="${PAIN_001_NAMESPACE}">`,
    '<CstmrCdtTrfInitn>',
    '<GrpHdr>',
    t('MsgId', file.messageId),
    t('CreDtTm', created),
    t('NbOfTxs', String(count)),
    t('CtrlSum', euros(total)),
    `<InitgPty>${t('Nm', clip(file.initiatingParty ?? file.debtor.name, 70))}</InitgPty>`,
    '</GrpHdr>',
    '<PmtInf>',
    t('PmtInfId', clip(`${file.messageId}-1`, 35)),
    t('PmtMtd', 'TRF'),
    t('BtchBookg', 'true'),
    t('NbOfTxs', String(count)),
    t('CtrlSum', euros(total)),
    '<PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl></PmtTpInf>',
    `<ReqdExctnDt>${t('Dt', file.executionDate)}</ReqdExctnDt>`,
    `<Dbtr>${t('Nm', debtorName)}</Dbtr>`,
    `<DbtrAcct><Id>${t('IBAN', compactIban(file.debtor.iban))}</Id></DbtrAcct>`,
    agent,
    t('ChrgBr', 'SLEV'),
    ...file.payments.map((p) =>
      [
        '<CdtTrfTxInf>',
        `<PmtId>${t('EndToEndId', sepaReference(p.payoutId))}</PmtId>`,
        `<Amt><InstdAmt Ccy="EUR">${euros(p.amountCents)}</InstdAmt></Amt>`,
        `<Cdtr>${t('Nm', clip(p.creditorName, 70))}</Cdtr>`,
        `<CdtrAcct><Id>${t('IBAN', compactIban(p.iban))}</Id></CdtrAcct>`,
        `<RmtInf>${t('Ustrd', remittance(p.redemptionIds))}</RmtInf>`,
        '</CdtTrfTxInf>',
      ].join(''),
    ),
    '</PmtInf>',
    '</CstmrCdtTrfInitn>',
    '</Document>',
  ];
  return `${lines.join('\n')}\n`;
}

/** A CSV field, quoted when needed; a leading = + - @ is defused for spreadsheets. */
export function csvField(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export interface CsvPayout {
  payoutId: string;
  providerId: string;
  providerName: string;
  iban: string;
  amountCents: number;
  redemptionIds: string[];
}

/** One line per payout and a totals line; amounts in euros with 2 decimals. */
export function payoutsCsv(payouts: CsvPayout[]): string {
  const header = [
    'payout_id',
    'provider_id',
    'provider_name',
    'iban',
    'amount_eur',
    'redemption_count',
    'redemption_ids',
  ];
  const rows = payouts.map((p) => [
    p.payoutId,
    p.providerId,
    p.providerName,
    compactIban(p.iban),
    euros(p.amountCents),
    p.redemptionIds.length,
    p.redemptionIds.join(' '),
  ]);
  const total = payouts.reduce((sum, p) => sum + p.amountCents, 0);
  const count = payouts.reduce((sum, p) => sum + p.redemptionIds.length, 0);
  rows.push(['TOTAL', '', '', '', euros(total), count, '']);
  return `${[header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}
