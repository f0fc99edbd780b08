// Discord's markdown, as far as the bot uses it: code blocks, `-#` subtext, headings, quotes, lists, emphasis, links
// and mentions. Input is escaped first, so members' text never becomes markup.
export const escapeHtml = (text) =>
	text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]);

export function inline(text, nameOfId) {
	const codes = [];
	let html = text.replace(/`([^`\n]+)`/g, (_, code) => `\uE000${codes.push(code) - 1}\uE000`);
	html = html
		.replace(/\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)/g, '<a href="$2" target="_blank" rel="noreferrer">$1</a>')
		.replace(/(^|[\s(])(https?:\/\/[^\s<]+[^\s<.,:;"')\]])/g, '$1<a href="$2" target="_blank" rel="noreferrer">$2</a>')
		.replace(/&lt;@!?(\d+)&gt;/g, (_, id) => `<span class="mention">@${escapeHtml(nameOfId(id))}</span>`)
		.replace(/\*\*([^*\n]+)\*\*/g, '<strong>$1</strong>')
		.replace(/__([^_\n]+)__/g, '<u>$1</u>')
		.replace(/(^|[^*\w])\*([^*\n]+)\*/g, '$1<em>$2</em>')
		.replace(/(^|[^\w])_([^_\n]+)_(?!\w)/g, '$1<em>$2</em>')
		.replace(/~~([^~\n]+)~~/g, '<s>$1</s>');
	return html.replace(/\uE000(\d+)\uE000/g, (_, index) => `<code>${codes[Number(index)]}</code>`);
}

function block(line, nameOfId) {
	const heading = /^(#{1,3}) (.*)$/.exec(line);
	if (heading) return `<h${heading[1].length}>${inline(heading[2], nameOfId)}</h${heading[1].length}>`;
	if (line.startsWith('-# ')) return `<div class="subtext">${inline(line.slice(3), nameOfId)}</div>`;
	if (line.startsWith('&gt; ')) return `<blockquote>${inline(line.slice(5), nameOfId)}</blockquote>`;
	const item = /^(\s*)[-*] (.*)$/.exec(line);
	if (item) return `<div>${item[1]}• ${inline(item[2], nameOfId)}</div>`;
	return line === '' ? '<div><br></div>' : `<div>${inline(line, nameOfId)}</div>`;
}

/** Content as Discord renders it: code blocks (closed or still streaming), then each line. */
export function markdown(content, nameOfId) {
	const parts = escapeHtml(content).split('```');
	return parts
		.map((part, index) => {
			if (index % 2 === 0)
				return part
					.replace(/^\n|\n$/g, '')
					.split('\n')
					.map((line) => block(line, nameOfId))
					.join('');
			const code = part.replace(/^[\w+-]*\n/, '');
			return `<pre><code>${code.replace(/\n$/, '')}</code></pre>`;
		})
		.join('');
}
