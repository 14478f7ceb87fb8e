// A small MIME reader for the messages nodemailer writes (headers, multipart,
// quoted-printable, base64, RFC 2047 encoded words): enough for assertions.

export interface MimePart {
  headers: Map<string, string>;
  /** Decoded body of a leaf part ('' for multipart containers). */
  body: string;
  parts: MimePart[];
}

export interface ParsedMail {
  headers: Map<string, string>;
  subject: string;
  messageId: string;
  to: string;
  from: string;
  text: string;
  html: string;
}

const decodeBytes = (hexEscaped: string) => {
  const bytes: number[] = [];
  for (let i = 0; i < hexEscaped.length; i++) {
    const c = hexEscaped[i]!;
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(hexEscaped.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(hexEscaped.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(c, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
};

/** `=?UTF-8?Q?=E2=82=AC_80?=` → `€ 80`; adjacent encoded words join without the space between them. */
export function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, _charset: string, encoding: string, data: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeBytes(data.replace(/_/g, ' ')),
    );
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  return headers;
}

function decodeBody(body: string, encoding: string | undefined): string {
  switch (encoding?.toLowerCase()) {
    case 'quoted-printable':
      return decodeBytes(body.replace(/=\r?\n/g, ''));
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    default:
      return body;
  }
}

export function parseMime(raw: string): MimePart {
  const split = /\r?\n\r?\n/.exec(raw);
  const headerBlock = split ? raw.slice(0, split.index) : raw;
  const body = split ? raw.slice(split.index + split[0].length) : '';
  const headers = parseHeaders(headerBlock);
  const contentType = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (contentType.toLowerCase().startsWith('multipart/') && boundary) {
    const sections = body.split(`--${boundary}`);
    const parts = sections
      .slice(1)
      .filter((section) => !section.startsWith('--'))
      .map((section) => parseMime(section.replace(/^\r?\n/, '').replace(/\r?\n$/, '')));
    return { headers, body: '', parts };
  }
  return { headers, body: decodeBody(body, headers.get('content-transfer-encoding')), parts: [] };
}

function findPart(part: MimePart, type: string): MimePart | undefined {
  if (part.parts.length === 0)
    return (part.headers.get('content-type') ?? 'text/plain').startsWith(type) ? part : undefined;
  for (const child of part.parts) {
    const found = findPart(child, type);
    if (found) return found;
  }
  return undefined;
}

export function parseMail(raw: string): ParsedMail {
  const root = parseMime(raw);
  return {
    headers: root.headers,
    subject: root.headers.get('subject') ?? '',
    messageId: root.headers.get('message-id') ?? '',
    to: root.headers.get('to') ?? '',
    from: root.headers.get('from') ?? '',
    text: findPart(root, 'text/plain')?.body ?? '',
    html: findPart(root, 'text/html')?.body ?? '',
  };
}
