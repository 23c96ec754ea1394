/** Dependency-injection token of the sandbox session store (features/sandbox). */
export const SANDBOX_STORE = Symbol('SANDBOX_STORE');
