/**
 * A small, strict Markdown renderer for the project's own documents (docs/methodology.md), for
 * the public /methodology page. No Markdown library is installed, and this subset is all the
 * documents use, so a renderer we can read end to end beats a dependency:
 *
 *   blocks:  ATX headings (# …), paragraphs, bullet and ordered lists (nested by indentation),
 *            GFM pipe tables (with :--: alignment), fenced code blocks, block quotes, rules (---)
 *   inline:  `code`, *em* / _em_, **strong** / __strong__, [text](url "title"), <https://autolinks>,
 *            backslash escapes
 *
 * Safety rules (the output goes into the page with {@html}):
 * - ALL text is HTML-escaped; raw HTML in the source is shown as text, never passed through.
 * - Links are kept only for http(s) and relative targets; any other scheme (javascript:, data:,
 *   vbscript:, …), protocol-relative `//host`, or a target with whitespace/control characters
 *   (which browsers strip, turning `java\tscript:` into `javascript:`) drops the link and keeps
 *   its text. Entities are not decoded, so `&#106;avascript:` stays an inert relative path.
 * - Unclosed markup (`**bold`, `[text`, an unclosed fence) is rendered literally / to the end.
 * - Nesting is capped (block quotes and lists at MAX_DEPTH), so hostile input cannot blow the stack.
 *
 * Headings get ids (slug of their text, deduplicated) and are returned as a table of contents.
 */

export interface TocEntry {
	/** Heading level after `headingOffset` (2 = h2). */
	level: number;
	id: string;
	/** Plain text of the heading. */
	text: string;
}

export interface RenderedMarkdown {
	html: string;
	toc: TocEntry[];
}

export interface MarkdownOptions {
	/** Added to every heading level, capped at 6 (1: the document's `#` becomes an <h2>). */
	headingOffset?: number;
	/** Prefix of heading ids, to keep them apart from the page's own ids. */
	idPrefix?: string;
	/** Heading levels (after the offset) listed in the toc, inclusive. Default [2, 3]. */
	tocLevels?: readonly [number, number];
	/**
	 * Called with every link target that passed the safety check; return the href to use, or null
	 * to drop the link (keeping its text). E.g. map repository-relative links to public URLs.
	 */
	rewriteHref?: (href: string) => string | null;
}

const MAX_DEPTH = 12;
/** How far link/emphasis scanning looks ahead, bounding the work on hostile input. */
const SCAN_LIMIT = 2000;
/** Longest link text (between the brackets) recognised as a link. */
const LINK_TEXT_LIMIT = 500;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and (double-quoted) attribute values. */
export function escapeHtml(s: string): string {
	return s.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

function unescapeHtml(s: string): string {
	return s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) =>
		e === 'amp' ? '&' : e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : "'"
	);
}

/**
 * The link target to use, or null when it is not allowed: http(s) URLs and relative references
 * only. Exported for tests and for other renderers of user-supplied links.
 */
export function safeHref(raw: string): string | null {
	const href = raw.trim();
	if (href === '') return null;
	// Browsers drop tabs/newlines inside URLs and trim controls: reject rather than guess.
	// eslint-disable-next-line no-control-regex -- matching control characters is the point
	if (/[\u0000-\u0020\u007f-\u009f\u2028\u2029]/.test(href)) return null;
	if (href.startsWith('//') || href.startsWith('\\') || href.startsWith('/\\')) return null;
	const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(href);
	if (scheme) {
		const s = scheme[1]!.toLowerCase();
		return s === 'http' || s === 'https' ? href : null;
	}
	return href;
}

const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;

// ---------------------------------------------------------------------------------------------
// Inline
// ---------------------------------------------------------------------------------------------

interface InlineContext {
	options: MarkdownOptions;
}

/** Code spans of `s` as [start, end) ranges keyed by start (content between the backtick runs). */
function findCodeSpans(s: string): Map<number, { end: number; content: string }> {
	const runs: { at: number; len: number }[] = [];
	for (let i = 0; i < s.length; i++) {
		if (s[i] === '\\') {
			i++; // an escaped character never opens a code span
			continue;
		}
		if (s[i] !== '`') continue;
		let j = i;
		while (s[j] === '`') j++;
		runs.push({ at: i, len: j - i });
		i = j - 1;
	}
	const spans = new Map<number, { end: number; content: string }>();
	for (let r = 0; r < runs.length; r++) {
		const open = runs[r]!;
		const close = runs.slice(r + 1).findIndex((x) => x.len === open.len);
		if (close < 0) continue;
		const c = runs[r + 1 + close]!;
		let content = s.slice(open.at + open.len, c.at).replace(/\n/g, ' ');
		if (content.length > 2 && content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '') {
			content = content.slice(1, -1);
		}
		spans.set(open.at, { end: c.at + c.len, content });
		r += close + 1;
	}
	return spans;
}

function renderInline(s: string, ctx: InlineContext, depth = 0, inLink = false): string {
	const codes = findCodeSpans(s);
	let out = '';
	let i = 0;
	// Per delimiter, a range [from, to) already scanned without finding a closer. A closer's
	// validity does not depend on its opener, so a later opener inside the range can skip it:
	// this keeps `*a *a *a …` linear instead of quadratic.
	const clean = new Map<string, { from: number; to: number }>();

	const isSpace = (c: string | undefined) => c === undefined || /\s/.test(c);
	const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);

	/** Index of the closing `delim` for an opener ending at `from`, or -1. Skips code spans and escapes. */
	const findCloser = (delim: string, from: number): number => {
		const known = clean.get(delim);
		const skipTo = known && from >= known.from && from <= known.to ? known.to : from;
		if (skipTo >= s.length) return -1;
		const ch = delim[0]!;
		const limit = Math.min(s.length, from + SCAN_LIMIT);
		for (let j = skipTo; j < limit; j++) {
			const code = codes.get(j);
			if (code) {
				j = code.end - 1;
				continue;
			}
			if (s[j] === '\\') {
				j++;
				continue;
			}
			if (s[j] !== ch) continue;
			let k = j;
			while (s[k] === ch) k++;
			const run = k - j;
			const valid =
				j > from &&
				!isSpace(s[j - 1]) &&
				(ch !== '_' || !isWordChar(s[k])) &&
				(delim.length === 1 ? run === 1 : run >= 2);
			if (valid) return j;
			j = k - 1;
		}
		clean.set(delim, { from: known && skipTo !== from ? known.from : from, to: Math.max(limit, skipTo) });
		return -1;
	};

	while (i < s.length) {
		const c = s[i]!;
		const code = codes.get(i);
		if (code) {
			out += `<code>${escapeHtml(code.content)}</code>`;
			i = code.end;
			continue;
		}
		if (c === '\\' && i + 1 < s.length && ASCII_PUNCTUATION.test(s[i + 1]!)) {
			out += escapeHtml(s[i + 1]!);
			i += 2;
			continue;
		}
		if (c === '`') {
			// A backtick run without a partner: literal.
			let j = i;
			while (s[j] === '`') j++;
			out += s.slice(i, j);
			i = j;
			continue;
		}
		if (c === '<' && !inLink) {
			const auto = /^<(https?:\/\/[^\s<>]+)>/i.exec(s.slice(i, i + SCAN_LIMIT));
			if (auto) {
				const href = safeHref(auto[1]!);
				const final = href === null ? null : ctx.options.rewriteHref ? ctx.options.rewriteHref(href) : href;
				out += final === null ? escapeHtml(auto[1]!) : `<a href="${escapeHtml(final)}">${escapeHtml(auto[1]!)}</a>`;
				i += auto[0].length;
				continue;
			}
		}
		if (c === '[' && depth < MAX_DEPTH) {
			const link = parseLink(s, i, codes);
			if (link) {
				const inner = renderInline(link.text, ctx, depth + 1, true);
				const safe = inLink ? null : safeHref(link.href);
				const href = safe === null ? null : ctx.options.rewriteHref ? ctx.options.rewriteHref(safe) : safe;
				if (href === null) {
					out += inner;
				} else {
					const title = link.title === null ? '' : ` title="${escapeHtml(link.title)}"`;
					out += `<a href="${escapeHtml(href)}"${title}>${inner}</a>`;
				}
				i = link.end;
				continue;
			}
		}
		if ((c === '*' || c === '_') && depth < MAX_DEPTH) {
			let j = i;
			while (s[j] === c) j++;
			const run = j - i;
			const leftFlanking = !isSpace(s[j]) && (c !== '_' || !isWordChar(s[i - 1]));
			if (leftFlanking) {
				const tries: [string, string][] =
					run >= 2
						? [
								[c + c, 'strong'],
								[c, 'em']
							]
						: [[c, 'em']];
				let done = false;
				for (const [delim, tag] of tries) {
					const start = i + delim.length;
					const close = findCloser(delim, start);
					if (close > start) {
						out += `<${tag}>${renderInline(s.slice(start, close), ctx, depth + 1, inLink)}</${tag}>`;
						i = close + delim.length;
						done = true;
						break;
					}
				}
				if (done) continue;
			}
			out += s.slice(i, j);
			i = j;
			continue;
		}
		out += escapeHtml(c);
		i++;
	}
	return out;
}

/** `[text](dest "title")` starting at `at`, or null. Bracket depth counted, code spans and escapes skipped. */
function parseLink(
	s: string,
	at: number,
	codes: Map<number, { end: number; content: string }>
): { text: string; href: string; title: string | null; end: number } | null {
	let depth = 0;
	let close = -1;
	const limit = Math.min(s.length, at + LINK_TEXT_LIMIT);
	for (let j = at; j < limit; j++) {
		const code = codes.get(j);
		if (code) {
			j = code.end - 1;
			continue;
		}
		if (s[j] === '\\') {
			j++;
			continue;
		}
		if (s[j] === '[') depth++;
		else if (s[j] === ']' && --depth === 0) {
			close = j;
			break;
		}
	}
	if (close < 0 || s[close + 1] !== '(') return null;
	const rest = s.slice(close + 2, close + 2 + SCAN_LIMIT);
	const m =
		/^[ \t]*(?:<([^<>\n]*)>|((?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))*))(?:[ \t]+(?:"([^"]*)"|'([^']*)'))?[ \t]*\)/.exec(
			rest
		);
	if (!m) return null;
	const href = (m[1] ?? m[2] ?? '').replace(/\\([!-/:-@[-`{-~])/g, '$1');
	return { text: s.slice(at + 1, close), href, title: m[3] ?? m[4] ?? null, end: close + 2 + m[0].length };
}

// ---------------------------------------------------------------------------------------------
// Blocks
// ---------------------------------------------------------------------------------------------

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^( {0,3})(`{3,}|~{3,})[ \t]*([^`\s]*)[^`]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const LIST_ITEM = /^( *)([-*+]|\d{1,9}[.)])(?:[ \t]+(.*))?$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const TABLE_DELIMITER = /^ *\|? *:?-+:? *(?:\| *:?-+:? *)*\|? *$/;

interface BlockContext extends InlineContext {
	toc: TocEntry[];
	ids: Map<string, number>;
}

function slugify(text: string): string {
	const slug = text
		.normalize('NFKC')
		.toLowerCase()
		.replace(/[^\p{L}\p{N}]+/gu, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 80)
		.replace(/-+$/, '');
	return slug || 'section';
}

function uniqueId(ctx: BlockContext, text: string): string {
	const base = (ctx.options.idPrefix ?? '') + slugify(text);
	const n = (ctx.ids.get(base) ?? 0) + 1;
	ctx.ids.set(base, n);
	return n === 1 ? base : `${base}-${n}`;
}

function plainText(html: string): string {
	return unescapeHtml(html.replace(/<[^>]*>/g, '')).trim();
}

/** Splits a table row on unescaped pipes (GFM: an escaped `\|` is a literal pipe, even in code). */
function splitRow(line: string): string[] {
	let row = line.trim();
	if (row.startsWith('|')) row = row.slice(1);
	if (row.endsWith('|') && !row.endsWith('\\|')) row = row.slice(0, -1);
	const cells: string[] = [];
	let cell = '';
	for (let i = 0; i < row.length; i++) {
		if (row[i] === '\\' && row[i + 1] === '|') {
			cell += '|';
			i++;
		} else if (row[i] === '|') {
			cells.push(cell.trim());
			cell = '';
		} else cell += row[i];
	}
	cells.push(cell.trim());
	return cells;
}

function isTableStart(lines: readonly string[], i: number): boolean {
	const head = lines[i];
	const delim = lines[i + 1];
	if (head === undefined || delim === undefined || !head.includes('|') || !TABLE_DELIMITER.test(delim)) return false;
	return splitRow(head).length === splitRow(delim).length;
}

function startsBlock(lines: readonly string[], i: number): boolean {
	const line = lines[i]!;
	return (
		HEADING.test(line) ||
		FENCE.test(line) ||
		RULE.test(line) ||
		QUOTE.test(line) ||
		isTableStart(lines, i) ||
		/^ {0,3}([-*+]|1[.)])[ \t]+\S/.test(line)
	);
}

function renderBlocks(lines: readonly string[], ctx: BlockContext, depth: number, tight = false): string {
	const out: string[] = [];
	let i = 0;
	while (i < lines.length) {
		const line = lines[i]!;
		if (line.trim() === '') {
			i++;
			continue;
		}

		const fence = FENCE.exec(line);
		if (fence) {
			const marker = fence[2]!;
			const indent = fence[1]!.length;
			const lang = /^[A-Za-z0-9_+-]{1,30}$/.test(fence[3] ?? '') ? fence[3]! : '';
			const body: string[] = [];
			i++;
			while (i < lines.length) {
				const l = lines[i]!;
				if (new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}[ \\t]*$`).test(l)) {
					i++;
					break;
				}
				body.push(l.replace(new RegExp(`^ {0,${indent}}`), ''));
				i++;
			}
			const cls = lang ? ` class="language-${escapeHtml(lang)}"` : '';
			out.push(`<pre><code${cls}>${escapeHtml(body.join('\n'))}</code></pre>`);
			continue;
		}

		const heading = HEADING.exec(line);
		if (heading) {
			const level = Math.min(6, heading[1]!.length + (ctx.options.headingOffset ?? 0));
			const inner = renderInline(heading[2] ?? '', ctx);
			const text = plainText(inner);
			const id = uniqueId(ctx, text);
			const [min, max] = ctx.options.tocLevels ?? [2, 3];
			if (level >= min && level <= max && text !== '') ctx.toc.push({ level, id, text });
			out.push(`<h${level} id="${escapeHtml(id)}">${inner}</h${level}>`);
			i++;
			continue;
		}

		if (RULE.test(line)) {
			out.push('<hr>');
			i++;
			continue;
		}

		if (QUOTE.test(line)) {
			const body: string[] = [];
			while (i < lines.length && lines[i]!.trim() !== '') {
				const q = QUOTE.exec(lines[i]!);
				body.push(q ? q[1]! : lines[i]!); // lazy continuation
				i++;
			}
			out.push(
				depth < MAX_DEPTH
					? `<blockquote>${renderBlocks(body, ctx, depth + 1)}</blockquote>`
					: `<blockquote><p>${renderInline(body.join('\n'), ctx)}</p></blockquote>`
			);
			continue;
		}

		if (isTableStart(lines, i)) {
			const header = splitRow(line);
			const aligns = splitRow(lines[i + 1]!).map((d) =>
				d.startsWith(':') && d.endsWith(':') ? 'center' : d.endsWith(':') ? 'end' : d.startsWith(':') ? 'start' : ''
			);
			const cell = (tag: 'th' | 'td', text: string, col: number) => {
				const a = aligns[col] ? ` class="align-${aligns[col]}"` : '';
				const scope = tag === 'th' ? ' scope="col"' : '';
				return `<${tag}${scope}${a}>${renderInline(text, ctx)}</${tag}>`;
			};
			let html = '<table><thead><tr>' + header.map((h, c) => cell('th', h, c)).join('') + '</tr></thead>';
			i += 2;
			const rows: string[] = [];
			while (i < lines.length && lines[i]!.trim() !== '' && lines[i]!.includes('|')) {
				const cells = splitRow(lines[i]!);
				rows.push('<tr>' + header.map((_, c) => cell('td', cells[c] ?? '', c)).join('') + '</tr>');
				i++;
			}
			if (rows.length > 0) html += `<tbody>${rows.join('')}</tbody>`;
			out.push(html + '</table>');
			continue;
		}

		const item = LIST_ITEM.exec(line);
		if (item && item[1]!.length <= 3) {
			const end = renderList(lines, i, ctx, depth, out);
			i = end;
			continue;
		}

		// Paragraph: until a blank line or the start of another block.
		const para: string[] = [line.trim()];
		i++;
		while (i < lines.length && lines[i]!.trim() !== '' && !startsBlock(lines, i)) {
			para.push(lines[i]!.trim());
			i++;
		}
		const inner = renderInline(para.join('\n'), ctx);
		out.push(tight ? inner : `<p>${inner}</p>`);
	}
	return out.join('\n');
}

/** Renders the list starting at line `start`; pushes its HTML to `out`, returns the next line index. */
function renderList(lines: readonly string[], start: number, ctx: BlockContext, depth: number, out: string[]): number {
	const first = LIST_ITEM.exec(lines[start]!)!;
	const indent = first[1]!.length;
	const ordered = /\d/.test(first[2]!);
	const markerChar = ordered ? first[2]!.slice(-1) : first[2]!;
	const items: { lines: string[]; blank: boolean }[] = [];
	let i = start;
	let sawBlankBetween = false;

	while (i < lines.length) {
		const m = LIST_ITEM.exec(lines[i]!);
		const sameList =
			m !== null &&
			m[1]!.length === indent &&
			(ordered ? /\d/.test(m[2]!) && m[2]!.slice(-1) === markerChar : m[2] === markerChar);
		if (!sameList) break;
		const contentOffset = indent + m[2]!.length + 1;
		const itemLines = [m[3] ?? ''];
		let blank = false;
		i++;
		while (i < lines.length) {
			const l = lines[i]!;
			if (l.trim() === '') {
				// A blank line continues the item only if indented content follows.
				const next = lines[i + 1];
				if (next !== undefined && next.trim() !== '' && leadingSpaces(next) > indent) {
					itemLines.push('');
					blank = true;
					i++;
					continue;
				}
				if (next !== undefined && LIST_ITEM.test(next) && leadingSpaces(next) === indent) sawBlankBetween = true;
				break;
			}
			const lead = leadingSpaces(l);
			if (lead > indent) {
				itemLines.push(l.slice(Math.min(lead, contentOffset)));
			} else if (!blank && !startsBlock(lines, i) && !LIST_ITEM.test(l)) {
				itemLines.push(l.trim()); // lazy continuation of the item's paragraph
			} else break;
			i++;
		}
		items.push({ lines: itemLines, blank });
		// Skip the blank line between two items of a loose list.
		if (lines[i] !== undefined && lines[i]!.trim() === '' && sawBlankBetween) i++;
	}

	const loose = sawBlankBetween || items.some((it) => it.blank);
	const tag = ordered ? 'ol' : 'ul';
	const startNum = ordered ? parseInt(first[2]!, 10) : 1;
	const startAttr = ordered && startNum !== 1 ? ` start="${startNum}"` : '';
	const body = items
		.map((it) =>
			depth < MAX_DEPTH
				? `<li>${renderBlocks(it.lines, ctx, depth + 1, !loose)}</li>`
				: `<li>${renderInline(it.lines.join('\n'), ctx)}</li>`
		)
		.join('');
	out.push(`<${tag}${startAttr}>${body}</${tag}>`);
	return i;
}

function leadingSpaces(line: string): number {
	let n = 0;
	for (const ch of line) {
		if (ch === ' ') n++;
		else if (ch === '\t') n += 4 - (n % 4);
		else break;
	}
	return n;
}

/** Renders Markdown to safe HTML plus a table of contents. See the module comment for the subset. */
export function renderMarkdown(source: string, options: MarkdownOptions = {}): RenderedMarkdown {
	const offset = options.headingOffset ?? 0;
	if (!Number.isInteger(offset) || offset < 0 || offset > 5) {
		throw new RangeError(`headingOffset must be an integer 0–5, got ${offset}`);
	}
	const text = source
		.replace(/^\uFEFF/, '')
		.replace(/\r\n?/g, '\n')
		.replaceAll('\u0000', '\uFFFD'); // NUL is never valid in HTML
	const lines = text.split('\n').map((l) => l.replace(/\t/g, '    '));
	const ctx: BlockContext = { options, toc: [], ids: new Map() };
	const html = renderBlocks(lines, ctx, 0);
	return { html, toc: ctx.toc };
}
