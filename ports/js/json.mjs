// A strict JSON (RFC 8259) reader and the RFC 8785 canonical writer.
//
// JSON.parse cannot be used: it turns every number into a double, and a recipe's seed is a u64
// (2^64 - 1 is not a double). This reader keeps each number's literal text (JNum) so the recipe
// validator can tell integers from floats and read integers exactly. Duplicate object keys keep
// the last value, like the reference service's parser.

export class JNum {
  constructor(text) {
    this.text = text;
    // Like the reference's JSON reader: a literal with a fraction or an exponent is a float,
    // anything else an integer (so 1.0 and 1e2 are floats, -0 is the integer 0).
    this.isInt = !/[.eE]/.test(text);
  }
  /**
   * The nearest binary64 to the literal (Number() rounds correctly). An integer literal denotes
   * an integer, and the integer 0 has no sign: "-0" is +0 (while "-0.0" is -0).
   */
  toDouble() {
    const x = Number(this.text);
    return this.isInt ? x + 0 : x;
  }
  toBigInt() {
    return BigInt(this.text);
  }
}

export class JsonError extends Error {}

const MAX_DEPTH = 512;

/** Parses JSON text (a JS string) into Map / Array / string / JNum / boolean / null. */
export function parseJson(text) {
  let i = 0;
  const fail = (msg) => {
    throw new JsonError(`invalid JSON at character ${i}: ${msg}`);
  };
  const ws = () => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else return;
    }
  };
  const value = (depth) => {
    if (depth > MAX_DEPTH) fail('nested too deeply');
    ws();
    const c = text[i];
    if (c === '{') return object(depth);
    if (c === '[') return array(depth);
    if (c === '"') return string();
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    if (text.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return false;
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return null;
    }
    return fail(c === undefined ? 'unexpected end of input' : `unexpected character ${JSON.stringify(c)}`);
  };
  const object = (depth) => {
    i++;
    const m = new Map();
    ws();
    if (text[i] === '}') {
      i++;
      return m;
    }
    for (;;) {
      ws();
      if (text[i] !== '"') fail('expected a string key');
      const k = string();
      ws();
      if (text[i] !== ':') fail("expected ':'");
      i++;
      m.set(k, value(depth + 1));
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') {
        i++;
        return m;
      }
      fail("expected ',' or '}'");
    }
  };
  const array = (depth) => {
    i++;
    const a = [];
    ws();
    if (text[i] === ']') {
      i++;
      return a;
    }
    for (;;) {
      a.push(value(depth + 1));
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ']') {
        i++;
        return a;
      }
      fail("expected ',' or ']'");
    }
  };
  const NUM = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/y;
  const number = () => {
    NUM.lastIndex = i;
    const m = NUM.exec(text);
    if (!m) fail('invalid number');
    i += m[0].length;
    return new JNum(m[0]);
  };
  const ESC = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
  const string = () => {
    i++;
    let out = '';
    let run = i;
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(run, i);
        i++;
        return out;
      }
      if (c < 0x20) fail('control character in string');
      if (c === 0x5c) {
        out += text.slice(run, i);
        const e = text[i + 1];
        if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid \\u escape');
          // UTF-16 code units: an escaped surrogate pair joins by concatenation; a lone
          // surrogate stays lone (and is rejected wherever a name is validated).
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else if (e !== undefined && Object.hasOwn(ESC, e)) {
          out += ESC[e];
          i += 2;
        } else {
          fail('invalid escape');
        }
        run = i;
        continue;
      }
      i++;
    }
  };
  if (text.charCodeAt(0) === 0xfeff) fail('byte order mark');
  const v = value(0);
  ws();
  if (i !== text.length) fail('extra data after the JSON value');
  return v;
}

// ---------------------------------------------------------------------------------------------
// RFC 8785 canonical JSON of plain values: Map or plain object, Array, string, finite number,
// boolean, null. Numbers print as ECMAScript's Number.prototype.toString, which is exactly the
// RFC's definition (String(-0) is "0").

export function canonicalJson(v) {
  if (v === null) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error('internal: non-finite number in canonical JSON');
    return String(v);
  }
  if (typeof v === 'string') return canonicalString(v);
  if (Array.isArray(v)) return '[' + v.map(canonicalJson).join(',') + ']';
  const entries = v instanceof Map ? [...v.entries()] : Object.entries(v);
  // JavaScript's < on strings compares UTF-16 code units: RFC 8785's member order.
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return '{' + entries.map(([k, x]) => canonicalString(k) + ':' + canonicalJson(x)).join(',') + '}';
}

const SHORT = { 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0c: '\\f', 0x0d: '\\r', 0x22: '\\"', 0x5c: '\\\\' };

export function canonicalString(s) {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (SHORT[c] !== undefined) out += SHORT[c];
    else if (c < 0x20) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += s[i];
  }
  return out + '"';
}
