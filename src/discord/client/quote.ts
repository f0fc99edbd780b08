/** Discord block quote: every line prefixed with "> ". */
export function quote(text: string): string {
	return text
		.split('\n')
		.map((line) => `> ${line}`)
		.join('\n');
}
