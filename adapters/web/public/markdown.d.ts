// Types for the browser module markdown.js, so unit tests (strict TypeScript) can import it.

/** HTML-escapes text for element content and double-quoted attributes. */
export function escapeHtml(text: string): string;
/** Renders card markdown (**bold**, _italic_, https links, line breaks, backslash escapes) to safe HTML. */
export function renderMarkdown(source: string | null | undefined): string;
