export const DEMO_GLUE: string;
export const DEMO_OUTPUT: string;
export const BROWSER_OUTPUT: string;
export function browserBundle(): Promise<string>;
export function demoScript(): Promise<string>;
