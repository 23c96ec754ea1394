// Types for the parts of mjml 4 this feature uses. DefinitelyTyped's @types/mjml pulls
// @types/mjml-core@5, which describes mjml 5's asynchronous API; mjml 4 is synchronous.
declare module 'mjml' {
  interface MjmlValidationError {
    line?: number;
    message: string;
    tagName?: string;
    formattedMessage?: string;
  }
  interface MjmlOptions {
    validationLevel?: 'strict' | 'soft' | 'skip';
    /** Leave <mj-include> alone instead of reading files from disk. */
    ignoreIncludes?: boolean;
    keepComments?: boolean;
    minify?: boolean;
    beautify?: boolean;
    fonts?: Record<string, string>;
  }
  function mjml2html(input: string, options?: MjmlOptions): { html: string; errors: MjmlValidationError[] };
  export = mjml2html;
}

declare module 'mjml-core' {
  /** The component registry `mjml` fills in when it is loaded: attribute types and ending tags. */
  export const components: Record<string, { allowedAttributes?: Record<string, string>; endingTag?: boolean } | undefined>;
}
