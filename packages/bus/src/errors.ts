export class MessageSchemaError extends Error {
  readonly code = 'MESSAGE_INVALID';
  constructor(
    readonly topic: string,
    readonly issues: readonly { path: readonly PropertyKey[]; message: string }[],
  ) {
    super(
      `message for ${topic} fails its schema: ${issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  }
}
