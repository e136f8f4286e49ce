/** The run report: an index.html with a summary table and the pictures, all in one folder; and tables as text. */

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

const STYLE =
  'body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}table{border-collapse:collapse}' +
  'td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}td:first-child,th:first-child{text-align:left}' +
  'figure{display:inline-block;margin:1em}figcaption{font-size:90%;color:#555}'

/**
 * @example reportHtml('digits', [['model', 'test MSE'], ['vanilla', '0.019']], [{ file: 'loss.svg', caption: 'Loss' }])
 */
export function reportHtml(
  title: string,
  table: string[][],
  pictures: { file: string; caption: string }[],
  notes: string[] = [],
): string {
  const [head, ...rows] = table
  const cells = (r: string[], tag: string): string =>
    `<tr>${r.map((c) => `<${tag}>${escape(c)}</${tag}>`).join('')}</tr>`
  const figure = (p: { file: string; caption: string }): string => {
    const caption = escape(p.caption)
    return `<figure><img src="${escape(p.file)}" alt="${caption}"><figcaption>${caption}</figcaption></figure>`
  }
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>${STYLE}</style>
</head><body>
<h1>${escape(title)}</h1>
${notes.map((n) => `<p>${escape(n)}</p>`).join('\n')}
<table>${head ? cells(head, 'th') : ''}${rows.map((r) => cells(r, 'td')).join('')}</table>
${pictures.map(figure).join('\n')}
</body></html>
`
}

/**
 * A number in a table: `digits` decimals, or '-' when there is none.
 * @example fmt(0.123456) // '0.1235'
 */
export const fmt = (v: number | undefined, digits = 4): string => (v === undefined ? '-' : v.toFixed(digits))

/** Rows as an aligned plain-text table, the first row the header. @example textTable([['a', 'b'], ['1', '2']]) */
export function textTable(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)))
  const line = (r: string[]): string =>
    r.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join('  ')
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n') + '\n'
}
