// A small, strict XML well-formedness parser for the tests (no DOM in Node):
// elements, attributes, text, the XML declaration; entities limited to the
// five predefined ones and character references. Throws on anything malformed.

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][\w.-]*(:[A-Za-z_][\w.-]*)?/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: number): string {
  return raw.replace(/&([^;&]*);|&/g, (match, body: string | undefined) => {
    if (body === undefined) throw new Error(`bare & at ${where}`);
    if (body in ENTITIES) return ENTITIES[body]!;
    const num = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(body);
    if (num) return String.fromCodePoint(Number(num[1]!.startsWith('x') ? `0${num[1]}` : num[1]));
    throw new Error(`unknown entity ${match} at ${where}`);
  });
}

export function parseXml(source: string): XmlElement {
  let i = 0;
  const fail = (message: string): never => {
    throw new Error(`${message} at offset ${i}`);
  };
  if (source.startsWith('<?xml')) {
    const end = source.indexOf('?>');
    if (end < 0) fail('unterminated declaration');
    i = end + 2;
  }
  const skipSpace = () => {
    while (i < source.length && /\s/.test(source[i]!)) i++;
  };
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  skipSpace();
  while (i < source.length) {
    if (source.startsWith('</', i)) {
      const match = NAME.exec(source.slice(i + 2));
      if (!match) fail('bad closing tag');
      const open = stack.pop();
      if (!open || open.name !== match![0]) fail(`</${match![0]}> does not close <${open?.name}>`);
      i += 2 + match![0].length;
      skipSpace();
      if (source[i] !== '>') fail('expected >');
      i++;
      if (stack.length === 0) {
        skipSpace();
        if (i < source.length) fail('content after the root element');
      }
      continue;
    }
    if (source[i] === '<') {
      const match = NAME.exec(source.slice(i + 1));
      if (!match) fail('bad tag name');
      if (root && stack.length === 0) fail('second root element');
      const element: XmlElement = { name: match![0], attributes: {}, children: [], text: '' };
      i += 1 + match![0].length;
      for (;;) {
        const before = i;
        skipSpace();
        if (source.startsWith('/>', i)) {
          i += 2;
          break;
        }
        if (source[i] === '>') {
          i++;
          stack.push(element);
          break;
        }
        if (i === before) fail('expected whitespace before an attribute');
        const attr = NAME.exec(source.slice(i));
        if (!attr) fail('bad attribute name');
        i += attr![0].length;
        if (source[i] !== '=') fail('expected =');
        const quote = source[i + 1];
        if (quote !== '"' && quote !== "'") fail('expected a quoted value');
        const end = source.indexOf(quote!, i + 2);
        if (end < 0) fail('unterminated attribute');
        const raw = source.slice(i + 2, end);
        if (raw.includes('<')) fail('< in an attribute');
        if (attr![0] in element.attributes) fail('duplicate attribute');
        element.attributes[attr![0]] = decode(raw, i);
        i = end + 1;
      }
      const parent = stack.at(element === stack.at(-1) ? -2 : -1);
      if (parent) parent.children.push(element);
      else root = element;
      continue;
    }
    const next = source.indexOf('<', i);
    const raw = source.slice(i, next < 0 ? source.length : next);
    const current = stack.at(-1);
    if (!current) {
      if (raw.trim()) fail('text outside the root element');
    } else {
      if (raw.includes('>') && raw.includes(']]>')) fail(']]> in text');
      current.text += decode(raw, i);
    }
    i = next < 0 ? source.length : next;
  }
  if (stack.length) fail(`<${stack.at(-1)!.name}> is not closed`);
  if (!root) fail('no root element');
  return root!;
}

/** Every descendant element named `name` (depth first). */
export function all(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((child) => [...(child.name === name ? [child] : []), ...all(child, name)]);
}

export function one(element: XmlElement, name: string): XmlElement {
  const found = all(element, name);
  if (found.length !== 1) throw new Error(`expected one <${name}>, found ${found.length}`);
  return found[0]!;
}
