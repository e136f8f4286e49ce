/**
 * A strict little XML well-formedness check for the SVGs the project writes (no dependency):
 * every tag closes in order, attributes are quoted and unique, entities are known. Returns the
 * element names in document order.
 */
export function parseXml(text: string): string[] {
  const names: string[] = []
  const stack: string[] = []
  let i = text.startsWith('<?xml') ? text.indexOf('?>') + 2 : 0
  const checkText = (s: string): void => {
    const bad = /&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.exec(s)
    if (bad) throw new Error(`XML: bare '&' at ${i}`)
    if (s.includes('<')) throw new Error(`XML: stray '<' at ${i}`)
  }
  while (i < text.length) {
    const open = text.indexOf('<', i)
    if (open < 0) {
      if (text.slice(i).trim()) throw new Error('XML: text after the root element')
      break
    }
    checkText(text.slice(i, open))
    const close = text.indexOf('>', open)
    if (close < 0) throw new Error(`XML: unterminated tag at ${open}`)
    const tag = text.slice(open + 1, close)
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim()
      if (stack.pop() !== name) throw new Error(`XML: </${name}> closes the wrong element at ${open}`)
    } else {
      const selfClosing = tag.endsWith('/')
      const m = /^([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*\/?$/.exec(tag)
      if (!m) throw new Error(`XML: malformed tag <${tag.slice(0, 60)}> at ${open}`)
      const attrs = [...m[2].matchAll(/([\w:.-]+)="([^"]*)"/g)]
      const keys = attrs.map((a) => a[1])
      if (new Set(keys).size !== keys.length) throw new Error(`XML: repeated attribute in <${m[1]}>`)
      attrs.forEach((a) => checkText(a[2]))
      if (stack.length === 0 && names.length > 0) throw new Error('XML: more than one root element')
      names.push(m[1])
      if (!selfClosing) stack.push(m[1])
    }
    i = close + 1
  }
  if (stack.length) throw new Error(`XML: <${stack.pop()}> is never closed`)
  if (names.length === 0) throw new Error('XML: no root element')
  return names
}
