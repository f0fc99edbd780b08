/** A plain-text table with a header row and left-aligned columns, as Markdown-compatible pipes. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
	const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
	const line = (cells: readonly string[]): string =>
		`| ${widths.map((width, column) => (cells[column] ?? '').padEnd(width)).join(' | ')} |`;
	const rule = `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`;
	return [line(header), rule, ...rows.map(line)].join('\n');
}
