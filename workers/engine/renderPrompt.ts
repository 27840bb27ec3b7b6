/** Values for the placeholders of a prompt template. */
export interface PromptValues {
  readonly target: string;
  readonly fileList: string;
  readonly chained: string;
  readonly context: string;
}

/**
 * Fills `{{placeholder}}`s in ONE pass over the template: text coming from the
 * repository (which may itself contain `{{context}}`) is never expanded again.
 * Unknown placeholders stay as they are, so a typo in a user's template shows.
 */
export function renderPrompt(template: string, values: PromptValues): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? values[name as keyof PromptValues] : whole,
  );
}
