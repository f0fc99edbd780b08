/** The one short line under a reply that says which files were left out and why. */
export function refusedLine(refused: readonly { readonly name: string; readonly why: string }[]): string | undefined {
	if (refused.length === 0) return undefined;
	return `-# Left out: ${refused.map((file) => `${file.name}, ${file.why}`).join(' · ')}.`;
}
