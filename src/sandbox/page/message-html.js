import { escapeHtml, inline, markdown } from './markdown.js';
import { nameOfId } from './page-state.js';

/** One message as Discord lays it out: who, when, content, files, embeds, buttons, its thread, "only you". */
export function messageHtml(message) {
	const classes = ['message', message.ephemeral ? 'ephemeral' : ''].join(' ');
	const context = [
		message.command
			? `${escapeHtml(message.command.user)} used <strong>/${escapeHtml(message.command.name)}</strong>`
			: '',
		message.replyTo ? `↱ ${escapeHtml(message.replyTo.author)}: ${escapeHtml(message.replyTo.excerpt)}` : '',
	].filter(Boolean);
	const attachments = message.attachments
		.map((file) =>
			file.contentType.startsWith('image/')
				? `<img src="${file.url}" alt="${escapeHtml(file.filename)}">`
				: `<a class="file" href="${file.url}" download="${escapeHtml(file.filename)}">File: ${escapeHtml(file.filename)}</a>`,
		)
		.join('');
	const embeds = message.embeds
		.map(
			(embed) =>
				`<div class="embed"><strong>${inline(escapeHtml(embed.title), nameOfId)}</strong>${markdown(embed.description, nameOfId)}</div>`,
		)
		.join('');
	const buttons = message.buttons
		.map(
			(button) =>
				`<button type="button" class="style-${button.style}" data-custom-id="${escapeHtml(button.customId)}" data-message-id="${message.id}" ${button.disabled ? 'disabled' : ''}>${escapeHtml(button.label)}</button>`,
		)
		.join('');
	const thread = message.thread
		? `<a class="thread-link" data-thread-id="${message.thread.id}">↳ Thread: ${escapeHtml(message.thread.name)} · ${message.thread.messages} ${message.thread.messages === 1 ? 'message' : 'messages'}</a>`
		: '';
	return `<article class="${classes}" data-message-id="${message.id}" data-author-bot="${message.author.bot}">
		${context.map((line) => `<div class="context">${line}</div>`).join('')}
		<div class="meta"><span class="author">${escapeHtml(message.author.name)}</span>${message.author.bot ? '<span class="bot-tag">APP</span>' : ''}
		<time>${new Date(message.createdAt).toLocaleTimeString()}</time>${message.edited ? '<span class="edited">(edited)</span>' : ''}</div>
		<div class="content">${message.loading ? `<em class="hint">${escapeHtml(message.author.name)} is thinking…</em>` : markdown(message.content, nameOfId)}</div>
		${embeds}<div class="attachments">${attachments}</div>
		${buttons ? `<div class="buttons">${buttons}</div>` : ''}${thread}
		${message.ephemeral ? '<div class="ephemeral-note">Only you can see this</div>' : ''}
	</article>`;
}
