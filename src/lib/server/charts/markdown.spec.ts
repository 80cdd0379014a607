import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeHtml, renderMarkdown, safeHref } from './markdown';

const html = (md: string, o?: Parameters<typeof renderMarkdown>[1]) => renderMarkdown(md, o).html;

/** Every tag name in the output: the renderer may only ever emit these. */
const ALLOWED_TAGS = new Set([
	'h1',
	'h2',
	'h3',
	'h4',
	'h5',
	'h6',
	'p',
	'ul',
	'ol',
	'li',
	'table',
	'thead',
	'tbody',
	'tr',
	'th',
	'td',
	'code',
	'pre',
	'em',
	'strong',
	'a',
	'blockquote',
	'hr'
]);
function tags(out: string): string[] {
	return [...out.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1]!.toLowerCase());
}
/** Attributes of every tag: only these names may appear. */
function attributes(out: string): string[] {
	return [...out.matchAll(/<[a-z0-9]+((?:\s+[a-z-]+="[^"]*")*)\s*>/g)].flatMap((m) =>
		[...m[1]!.matchAll(/([a-z-]+)="/g)].map((a) => a[1]!)
	);
}

describe('renderMarkdown: the supported subset', () => {
	it('headings with ids and a table of contents, offset and deduplicated', () => {
		const r = renderMarkdown('# Method\n\n## Scores & weights\n\n### Over*all*\n\n## Scores & weights\n\n#### Deep', {
			headingOffset: 1,
			idPrefix: 'm-'
		});
		expect(r.html).toContain('<h2 id="m-method">Method</h2>');
		expect(r.html).toContain('<h3 id="m-scores-weights">Scores &amp; weights</h3>');
		expect(r.html).toContain('<h4 id="m-overall">Over<em>all</em></h4>');
		expect(r.html).toContain('<h3 id="m-scores-weights-2">');
		expect(r.html).toContain('<h5 id="m-deep">Deep</h5>');
		expect(r.toc).toEqual([
			{ level: 2, id: 'm-method', text: 'Method' },
			{ level: 3, id: 'm-scores-weights', text: 'Scores & weights' },
			{ level: 3, id: 'm-scores-weights-2', text: 'Scores & weights' }
		]);
	});

	it('keeps non-Latin heading text in ids', () => {
		const r = renderMarkdown('## Metodología — ponderación\n## المنهجية');
		expect(r.toc.map((t) => t.id)).toEqual(['metodología-ponderación', 'المنهجية']);
	});

	it('paragraphs, emphasis, strong, code and links', () => {
		expect(
			html(
				'Overall = **0.70** × *objectives* + _principles_, see `O7.2` and [the GCM](https://undocs.org/A/RES/73/195 "Text").'
			)
		).toBe(
			'<p>Overall = <strong>0.70</strong> × <em>objectives</em> + <em>principles</em>, see <code>O7.2</code> and <a href="https://undocs.org/A/RES/73/195" title="Text">the GCM</a>.</p>'
		);
		expect(html('one\ntwo\n\nthree')).toBe('<p>one\ntwo</p>\n<p>three</p>');
		expect(html('snake_case_word and 2*3*4')).toBe('<p>snake_case_word and 2<em>3</em>4</p>');
		expect(html('`a*b*` and ``x ` y``')).toBe('<p><code>a*b*</code> and <code>x ` y</code></p>');
		expect(html('\\*not em\\* and \\[not link\\]')).toBe('<p>*not em* and [not link]</p>');
		expect(html('<https://example.org/a?b=1&c=2>')).toBe(
			'<p><a href="https://example.org/a?b=1&amp;c=2">https://example.org/a?b=1&amp;c=2</a></p>'
		);
	});

	it('bullet and ordered lists, nested, tight and loose', () => {
		expect(html('- one\n- two\n  - two a\n  - two b\n- three')).toBe(
			'<ul><li>one</li><li>two\n<ul><li>two a</li><li>two b</li></ul></li><li>three</li></ul>'
		);
		expect(html('3. c\n4. d')).toBe('<ol start="3"><li>c</li><li>d</li></ol>');
		expect(html('1. a\n\n2. b')).toBe('<ol><li><p>a</p></li><li><p>b</p></li></ol>');
		expect(html('Text\n- item')).toBe('<p>Text</p>\n<ul><li>item</li></ul>');
		expect(html('- a long item\ncontinued lazily')).toBe('<ul><li>a long item\ncontinued lazily</li></ul>');
	});

	it('GFM tables with alignment, escaped pipes and ragged rows', () => {
		const out = html('| Item | Weight |\n|:-----|-------:|\n| O1 | **1** |\n| a \\| b |\n| x | y | extra |');
		expect(out).toBe(
			'<table><thead><tr><th scope="col" class="align-start">Item</th><th scope="col" class="align-end">Weight</th></tr></thead>' +
				'<tbody><tr><td class="align-start">O1</td><td class="align-end"><strong>1</strong></td></tr>' +
				'<tr><td class="align-start">a | b</td><td class="align-end"></td></tr>' +
				'<tr><td class="align-start">x</td><td class="align-end">y</td></tr></tbody></table>'
		);
	});

	it('fenced code, block quotes and rules', () => {
		expect(html('```ts\nconst a = 1 < 2;\n```')).toBe(
			'<pre><code class="language-ts">const a = 1 &lt; 2;</code></pre>'
		);
		expect(html('> quoted *text*')).toBe('<blockquote><p>quoted <em>text</em></p></blockquote>');
		expect(html('---')).toBe('<hr>');
	});
});

describe('renderMarkdown: hostile input', () => {
	it('raw HTML is text, never markup', () => {
		const out = html(
			'<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> **<b>bold</b>**\n\n# <svg onload=alert(1)>'
		);
		expect(out).not.toMatch(/<(script|img|b|svg)\b/i);
		expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
		expect(out).toContain('<strong>&lt;b&gt;bold&lt;/b&gt;</strong>');
	});

	it('drops links with dangerous or odd targets, keeping their text', () => {
		for (const target of [
			'javascript:alert(1)',
			'JaVaScRiPt:alert(1)',
			'data:text/html;base64,PHNjcmlwdD4=',
			'vbscript:msgbox(1)',
			'//evil.example/x',
			'\\\\evil.example',
			'file:///etc/passwd',
			'mailto:someone@example.org'
		]) {
			const out = html(`[click](${target})`);
			expect(out, target).toBe('<p>click</p>');
		}
		// NUL becomes U+FFFD (never stripped by browsers): an inert relative path.
		expect(html('[x](java\u0000script:alert(1))')).toBe('<p><a href="java\ufffdscript:alert(1)">x</a></p>');
		// Whitespace inside the destination is not a link at all (CommonMark), and stays inert.
		expect(html('[x](java\tscript:alert(1))')).not.toContain('<a');
		expect(html('<javascript:alert(1)>')).toBe('<p>&lt;javascript:alert(1)&gt;</p>');
		// Entities are not decoded: an encoded scheme is an inert relative path, escaped.
		expect(html('[x](&#106;avascript:alert(1))')).toBe('<p><a href="&amp;#106;avascript:alert(1)">x</a></p>');
		// Attribute breakout attempts stay inside the quoted value.
		expect(html('[x](https://a.example/"onmouseover="alert(1))')).toBe(
			'<p><a href="https://a.example/&quot;onmouseover=&quot;alert(1)">x</a></p>'
		);
		expect(html('[x](#anchor) [y](../data/m.json) [z](/methodology)')).toBe(
			'<p><a href="#anchor">x</a> <a href="../data/m.json">y</a> <a href="/methodology">z</a></p>'
		);
	});

	it('safeHref allows http(s) and relative references only', () => {
		expect(safeHref('https://example.org')).toBe('https://example.org');
		expect(safeHref(' HTTP://example.org ')).toBe('HTTP://example.org');
		expect(safeHref('docs/adr/0001.md')).toBe('docs/adr/0001.md');
		expect(safeHref('javascript:void(0)')).toBeNull();
		expect(safeHref('')).toBeNull();
		expect(safeHref('/\\evil.example')).toBeNull();
	});

	it('unclosed markup renders literally', () => {
		expect(html('**bold and *em and `code and [link](http://x')).toBe(
			'<p>**bold and *em and `code and [link](http://x</p>'
		);
		expect(html('```\nunclosed <fence>')).toBe('<pre><code>unclosed &lt;fence&gt;</code></pre>');
		expect(html('[a]')).toBe('<p>[a]</p>');
		expect(html('| not | a table')).toBe('<p>| not | a table</p>');
	});

	it('nested links are not produced, and the rewrite hook can drop or change links', () => {
		expect(html('[outer [inner](https://b.example)](https://a.example)')).toBe(
			'<p><a href="https://a.example">outer inner</a></p>'
		);
		const out = html('[doc](adr/0001.md) [web](https://x.example)', {
			rewriteHref: (h) => (h.endsWith('.md') ? null : h)
		});
		expect(out).toBe('<p>doc <a href="https://x.example">web</a></p>');
	});

	it('deep nesting and long runs finish quickly', () => {
		const start = performance.now();
		renderMarkdown('>'.repeat(5000) + ' deep');
		renderMarkdown('- '.repeat(2000) + 'x');
		renderMarkdown('*a '.repeat(20000));
		renderMarkdown('['.repeat(20000) + ']'.repeat(10));
		renderMarkdown('`'.repeat(20000));
		renderMarkdown(Array.from({ length: 300 }, (_, i) => ' '.repeat(i * 2) + '- item').join('\n'));
		expect(performance.now() - start).toBeLessThan(5000);
	});

	it('never emits a tag or attribute outside the allow-list, whatever the input (property)', () => {
		const alphabet = fc.constantFrom(
			'<',
			'>',
			'"',
			"'",
			'&',
			'*',
			'_',
			'`',
			'[',
			']',
			'(',
			')',
			'#',
			'-',
			'|',
			'\\',
			':',
			'\n',
			' ',
			'a',
			'1',
			'.',
			'javascript:',
			'https://x',
			'<script>',
			'onerror=',
			'> ',
			'```',
			'---',
			'مرحبا'
		);
		fc.assert(
			fc.property(fc.array(alphabet, { maxLength: 80 }), (parts) => {
				const out = html(parts.join(''));
				for (const t of tags(out)) expect(ALLOWED_TAGS.has(t), `tag ${t} in ${out}`).toBe(true);
				for (const a of attributes(out)) expect(['id', 'href', 'title', 'class', 'scope', 'start']).toContain(a);
				expect(out).not.toMatch(/href="\s*javascript:/i);
				// No raw "<" except our own tags.
				expect(out.replace(/<\/?[a-z0-9]+(\s+[a-z-]+="[^"<>]*")*\s*>/g, '')).not.toContain('<');
			}),
			{ numRuns: 500 }
		);
	});

	it('escapeHtml escapes the five special characters', () => {
		expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
			'&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;'
		);
	});

	it('rejects a bad heading offset', () => {
		expect(() => renderMarkdown('# x', { headingOffset: 9 })).toThrow(/headingOffset/);
	});
});
