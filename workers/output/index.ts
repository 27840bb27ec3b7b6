export { extractJsonOutput, type ExtractJsonOptions, type JsonExtraction, type JsonOutputSource } from './extractJson.js';
export { parseMarkdown, type MarkdownCodeBlock, type MarkdownSection, type ParsedMarkdown } from './parseMarkdown.js';
export { validateJson, type JsonValidation } from './validateJson.js';
